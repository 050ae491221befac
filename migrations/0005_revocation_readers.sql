-- Revoked at once on every API process: each revocation records its transaction id, and each API
-- process records the snapshot its revocation cache last read with, so an answer can wait until
-- every live reader's snapshot contains the revoking transaction (commit order, not clocks).
CREATE TABLE "auth"."revocation_readers" (
	"reader_id" text PRIMARY KEY NOT NULL,
	"snapshot" "pg_snapshot" NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD COLUMN "revoked_xid" "xid8";--> statement-breakpoint
CREATE INDEX "sessions_revoked_xid_idx" ON "auth"."sessions" USING btree ("revoked_xid") WHERE "auth"."sessions"."revoked_xid" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_user_revoked_idx" ON "auth"."sessions" USING btree ("user_id") WHERE "auth"."sessions"."revoked_xid" IS NOT NULL;