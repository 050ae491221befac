-- The audit trail reads auth events of one user from the outbox, newest first.
CREATE INDEX IF NOT EXISTS "outbox_auth_user_idx" ON "messaging"."outbox" ((data->>'userId'), "position") WHERE "type" LIKE 'auth.%';
