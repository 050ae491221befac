import { parser } from '../../platform/config/variables.js';

/** Fastify's `trustProxy`: `true`/`false`, a hop count, or the proxies' addresses/CIDRs. */
export const trustProxy = parser<boolean | number | string>((t) => {
  if (t === 'false' || t === 'true') return { value: t === 'true' };
  return { value: /^\d+$/.test(t) ? Number(t) : t };
});

/** LOG_FORMAT: `pretty` or `json`, read as "pretty logs?" (what the logger asks). */
export const logFormat = parser<boolean>((t) =>
  t === 'pretty' || t === 'json' ? { value: t === 'pretty' } : { problem: 'must be pretty or json' },
);
