import { Type } from 'typebox';

/** Field shapes the users commands share on the wire; the domain checks the rules on arrival. */
export const UserId = Type.String({ format: 'uuid' });
export const Text = Type.String({ maxLength: 1_000 });
export const PasswordHash = Type.String({ minLength: 1 });

/** From `If-Match`: the versions the client based its change on (absent: any version). */
export const ExpectedVersions = Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 20 }));

/** A command about one existing user and nothing else (activate, deactivate, delete). */
export const userCommand = <T extends string>(type: T) =>
  Type.Object({ type: Type.Literal(type), userId: UserId, expectedVersions: ExpectedVersions });
