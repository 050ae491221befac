-- Each signing key signs and verifies with its own algorithm only; JWT_ALGORITHM picks the one of new
-- keys. Every key made before was EdDSA and already holds 'EdDSA' here, so existing tokens stay valid.
ALTER TABLE "auth"."signing_keys" ADD CONSTRAINT "signing_keys_algorithm_check" CHECK ("auth"."signing_keys"."algorithm" in ('RS256', 'ES256', 'EdDSA'));