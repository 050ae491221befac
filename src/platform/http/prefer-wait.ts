export const MAX_WAIT_SECONDS = 30;

/**
 * Reads `Prefer: wait=N` (RFC 7240). A preference is a hint: a malformed one is ignored, and a
 * wait longer than the maximum is shortened (and `Preference-Applied` says what was applied).
 */
export function parsePreferWait(header: string | string[] | undefined): number | null {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    for (const preference of value.split(',')) {
      const match = /^\s*wait\s*=\s*"?(\d{1,6})"?\s*(?:;.*)?$/i.exec(preference);
      if (match) {
        const seconds = Number(match[1]);
        if (seconds >= 1) return Math.min(seconds, MAX_WAIT_SECONDS);
      }
    }
  }
  return null;
}
