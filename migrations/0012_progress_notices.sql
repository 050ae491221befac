-- Wakes a request waiting with `Prefer: wait` as soon as what it waits for has committed, instead
-- of at the end of its next back-off pause: a command's status leaving `pending`, a user view row
-- changing. One channel, the payload says what changed; NOTIFY is delivered at commit only.
-- Polling stays as the fallback, so a missed notification only costs latency.
--
-- PostgreSQL only for now: with these triggers on PGlite (embedded), two of three benchmark runs
-- peaked at 900-970 MB against 570-600 MB in three runs without; the cause is not settled, and an
-- embedded wait is in the process that did the work, where the back-off's pauses are short.
-- One function for both: the trigger names the payload's prefix and the column that ends it.
CREATE OR REPLACE FUNCTION "messaging"."notify_progress"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portico_progress', TG_ARGV[0] || ':' || (to_jsonb(NEW) ->> TG_ARGV[1]));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
BEGIN
  IF version() NOT LIKE '%PGlite%' THEN
    CREATE TRIGGER "command_status_finished" AFTER INSERT OR UPDATE OF "status" ON "messaging"."command_status"
    FOR EACH ROW WHEN (NEW.status <> 'pending') EXECUTE FUNCTION "messaging"."notify_progress"('command', 'command_id');
    CREATE TRIGGER "user_views_changed" AFTER INSERT OR UPDATE ON "read"."user_views"
    FOR EACH ROW EXECUTE FUNCTION "messaging"."notify_progress"('view', 'id');
  END IF;
END;
$$;
