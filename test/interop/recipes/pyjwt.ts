import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Recipe, Verdict } from './recipe.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./pyjwt_verify.py', import.meta.url));

/**
 * The first Python 3 that imports PyJWT and cryptography (Debian's python3-jwt installs them for
 * /usr/bin/python3, which a pyenv or venv `python3` on PATH may hide), or null.
 */
export const PYTHON_WITH_PYJWT =
  ['python3', '/usr/bin/python3'].find(
    (python) => spawnSync(python, ['-c', 'import jwt, cryptography'], { stdio: 'ignore' }).status === 0,
  ) ?? null;

/** PyJWT: `jwt.PyJWKClient(jwks_uri).get_signing_key_from_jwt(token)`, then `jwt.decode`, in python3. */
export const pyjwt: Recipe = {
  library: 'PyJWT',
  algorithms: ['RS256', 'ES256', 'EdDSA'],
  // jwt.decode reads the system clock, and a negative leeway also fails `iat`: no clock to move.
  movableClock: false,
  verify: async (token, { jwksUri, issuer, audience, algorithm, now }) => {
    if (now) throw new Error("PyJWT's clock cannot be moved");
    if (!PYTHON_WITH_PYJWT) throw new Error('no python3 with PyJWT: apt-get install python3-jwt python3-cryptography');
    const request = { token, jwksUri, issuer, audience, algorithm };
    const { stdout } = await run(PYTHON_WITH_PYJWT, [SCRIPT, JSON.stringify(request)]);
    return JSON.parse(stdout) as Verdict;
  },
};
