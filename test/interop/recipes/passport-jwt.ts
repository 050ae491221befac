import express, { type NextFunction, type Request, type Response } from 'express';
import type { Algorithm } from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { askExpress, epochSeconds, type Recipe } from './recipe.js';

/**
 * passport-jwt's README with jwks-rsa's `passportJwtSecret`; `passport.authenticate` with a custom
 * callback (passport's documented form) so the answer says why a token failed.
 */
export const passportJwt: Recipe = {
  library: 'passport-jwt + jwks-rsa',
  algorithms: ['RS256', 'ES256'],
  movableClock: true,
  verify: (token, { jwksUri, issuer, audience, algorithm, now }) => {
    const authenticator = new passport.Passport();
    authenticator.use(
      new JwtStrategy(
        {
          jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
          secretOrKeyProvider: jwksRsa.passportJwtSecret({
            cache: true,
            rateLimit: true,
            jwksRequestsPerMinute: 5,
            jwksUri,
          }),
          issuer,
          audience,
          algorithms: [algorithm as Algorithm],
          jsonWebTokenOptions: { clockTimestamp: epochSeconds(now) },
        },
        (payload: { sub: string }, done: (error: null, user: { sub: string }) => void) => done(null, payload),
      ),
    );
    const app = express();
    app.use(authenticator.initialize());
    app.get('/protected', (req: Request, res: Response, next: NextFunction) =>
      authenticator.authenticate(
        'jwt',
        { session: false },
        (err: Error | null, user: { sub: string } | false, info?: Error) => {
          if (err) return next(err);
          if (!user) return res.status(401).json({ error: `${info?.name}: ${info?.message}` });
          res.json({ sub: user.sub });
        },
      )(req, res, next),
    );
    return askExpress(app, token);
  },
};
