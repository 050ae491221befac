-- Wakes the outbox relay as soon as events commit: NOTIFY is delivered at commit (never for a
-- rolled-back transaction) and repeated notifications in one transaction fold into one.
-- Polling stays as the fallback, so a missed notification only costs latency.
CREATE OR REPLACE FUNCTION "messaging"."notify_outbox"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portico_outbox', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "messaging"."outbox"
FOR EACH STATEMENT EXECUTE FUNCTION "messaging"."notify_outbox"();
