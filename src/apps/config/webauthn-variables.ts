import { origins, text, type VariableTable } from '../../platform/config/variables.js';

interface Reached {
  readonly publicUrl: string | null;
  readonly port: number;
}

/** Without PUBLIC_URL, localhost: browsers refuse WebAuthn on IP-address origins (`http://127.0.0.1`). */
const reachedAt = (c: Reached) => new URL(c.publicUrl ?? `http://localhost:${c.port}`);

/** Whether `origin` may make passkeys for `rpId`: its host is the RP ID or under it (WebAuthn §5.1.3). */
function originFits(origin: string, rpId: string): boolean {
  const host = new URL(origin).hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
}

/** The passkey (WebAuthn) variables, appended to the one configuration table after PUBLIC_URL's. */
export function withWebAuthnVariables<C extends Reached>(table: VariableTable<C>) {
  return table
    .add('webauthnRpId', {
      env: 'WEBAUTHN_RP_ID',
      parser: text(),
      default: { shown: 'PUBLIC_URL host, or localhost', from: (c) => reachedAt(c).hostname },
      doc: 'WebAuthn relying-party ID passkeys are bound to (a domain, no scheme or port); changing it voids every passkey',
    })
    .add('webauthnOrigins', {
      env: 'WEBAUTHN_ORIGINS',
      parser: origins(),
      default: {
        shown: 'PUBLIC_URL origin, or http://localhost:PORT',
        from: (c) => [reachedAt(c).origin] as readonly string[],
      },
      doc: 'origins (comma-separated, exact) of the pages that register and use passkeys; each on WEBAUTHN_RP_ID or under it',
    })
    .check((c) => {
      const bad = c.webauthnOrigins.find((o) => !originFits(o, c.webauthnRpId));
      return bad ? `WEBAUTHN_ORIGINS: ${bad} is not on WEBAUTHN_RP_ID ${c.webauthnRpId}` : null;
    });
}
