/** Numbers and text for the markdown report. */

export function num(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const text =
    abs >= 100
      ? Math.round(value).toLocaleString('en-US')
      : abs >= 10
        ? value.toFixed(1)
        : abs >= 1
          ? value.toFixed(2)
          : value.toPrecision(2);
  return `${text}${unit}`;
}

/** Text for a table cell: a `|` would end the cell. */
export const cell = (text: string): string => text.replaceAll('|', '\\|');
