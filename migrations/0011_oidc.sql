CREATE SCHEMA "oidc";
--> statement-breakpoint
CREATE TABLE "oidc"."clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_digest" text,
	"redirect_uris" jsonb NOT NULL,
	"post_logout_redirect_uris" jsonb NOT NULL,
	"grant_types" jsonb NOT NULL,
	"scopes" jsonb NOT NULL,
	"token_endpoint_auth_method" text NOT NULL,
	"first_party" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc"."payloads" (
	"model" text NOT NULL,
	"id_digest" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"user_code" text,
	"uid" text,
	"expires_at" timestamp with time zone,
	CONSTRAINT "payloads_model_id_digest_pk" PRIMARY KEY("model","id_digest")
);
--> statement-breakpoint
CREATE TABLE "oidc"."session_links" (
	"grant_id" text PRIMARY KEY NOT NULL,
	"session_uid" text NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "payloads_grant_id" ON "oidc"."payloads" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "payloads_uid" ON "oidc"."payloads" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "payloads_expires_at" ON "oidc"."payloads" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "session_links_session_uid" ON "oidc"."session_links" USING btree ("session_uid");--> statement-breakpoint
CREATE INDEX "session_links_session_id" ON "oidc"."session_links" USING btree ("session_id");