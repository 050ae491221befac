import express, { type NextFunction, type Request, type Response } from 'express';
import { expressjwt, type Request as JWTRequest } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import type { Algorithm } from 'jsonwebtoken';
import { askExpress, epochSeconds, type Recipe } from './recipe.js';

/** express-jwt's README with jwks-rsa's `expressJwtSecret`, and its UnauthorizedError handler. */
export const expressJwt: Recipe = {
  library: 'express-jwt + jwks-rsa',
  algorithms: ['RS256', 'ES256'],
  movableClock: true,
  verify: (token, { jwksUri, issuer, audience, algorithm, now }) => {
    const app = express();
    app.get(
      '/protected',
      expressjwt({
        secret: jwksRsa.expressJwtSecret({ cache: true, rateLimit: true, jwksRequestsPerMinute: 5, jwksUri }),
        audience,
        issuer,
        algorithms: [algorithm as Algorithm],
        clockTimestamp: epochSeconds(now),
      }),
      (req: JWTRequest, res: Response) => void res.json({ sub: req.auth?.sub }),
    );
    app.use((err: Error & { inner?: Error }, _req: Request, res: Response, next: NextFunction) => {
      if (err.name !== 'UnauthorizedError') return next(err);
      res.status(401).json({ error: `${err.inner?.name}: ${err.message}` });
    });
    return askExpress(app, token);
  },
};
