CREATE SCHEMA "oidc";
--> statement-breakpoint
CREATE TABLE "oidc"."session_links" (
	"grant_id" text PRIMARY KEY NOT NULL,
	"session_uid" text NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "session_links_session_uid" ON "oidc"."session_links" USING btree ("session_uid");--> statement-breakpoint
CREATE INDEX "session_links_session_id" ON "oidc"."session_links" USING btree ("session_id");