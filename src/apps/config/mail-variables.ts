import { parseEncryptionKeys } from '../../platform/crypto/aes-gcm-sealer.js';
import { equals, integer, parser, unset, url, type VariableTable, text } from '../../platform/config/variables.js';

/** ENCRYPTION_KEYS: the checked keys, in order (the first seals). */
const encryptionKeys = {
  ...parser<readonly Buffer[]>((t) => {
    const parsed = parseEncryptionKeys(t);
    return 'problem' in parsed ? parsed : { value: parsed.keys };
  }),
  untrimmed: false,
};

/** The address mails come from when MAIL_FROM is unset: PUBLIC_URL's host, or localhost. */
function defaultFrom(publicUrl: string | null): string {
  const host = publicUrl ? new URL(publicUrl).hostname : 'localhost';
  return `Portico <no-reply@${host}>`;
}

/**
 * Mail, verification and the sealing keys, appended to the one configuration table (kept in its
 * own file so that table stays readable): the order here is the order of `--help` and the README.
 */
export function withMailVariables<C extends { readonly publicUrl: string | null }>(table: VariableTable<C>) {
  return table
    .add('smtpUrl', {
      env: 'SMTP_URL',
      parser: url('smtp:', 'smtps:'),
      default: unset,
      doc: 'outgoing mail server (`smtp://user:pass@host:587`, `smtps://…:465`); unset: the development mailbox at /dev/mailbox (never with NODE_ENV=production)',
    })
    .add('mailFrom', {
      env: 'MAIL_FROM',
      parser: text(),
      default: { shown: 'Portico <no-reply@PUBLIC_URL host>', from: (c) => defaultFrom(c.publicUrl) },
      doc: '`From:` of every mail Portico sends',
    })
    .add('encryptionKeys', {
      env: 'ENCRYPTION_KEYS',
      parser: encryptionKeys,
      default: {
        shown:
          'generated in DATA_DIR (embedded), derived from DATABASE_URL (PostgreSQL); none with NODE_ENV=production',
        from: () => null,
      },
      doc: 'comma-separated base64 32-byte keys (`openssl rand -base64 32`) sealing tokens in mails to send: the first seals, all open; required with NODE_ENV=production (no role starts without it; give every role the same value)',
    })
    .add('requireEmailVerification', {
      env: 'REQUIRE_EMAIL_VERIFICATION',
      parser: equals('true'),
      default: 'false',
      doc: '`true`: unverified accounts cannot log in (403 `email_not_verified`), and sign-up reveals no account',
    })
    .add('emailsPerAddressPerHour', {
      env: 'RATE_LIMIT_EMAIL_PER_ADDRESS',
      parser: integer(1, 1_000_000),
      default: '5',
      doc: 'verification and reset mails per address per hour',
    })
    .add('emailRequestsPerIpPerHour', {
      env: 'RATE_LIMIT_EMAIL_PER_IP',
      parser: integer(1, 1_000_000),
      default: '30',
      doc: 'verification, reset and email-change requests per IP per hour',
    });
}
