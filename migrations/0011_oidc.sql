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
	"id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"user_code" text,
	"uid" text,
	"expires_at" timestamp with time zone,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "payloads_model_id_pk" PRIMARY KEY("model","id")
);
--> statement-breakpoint
CREATE INDEX "payloads_grant_id_idx" ON "oidc"."payloads" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "payloads_uid_idx" ON "oidc"."payloads" USING btree ("uid");--> statement-breakpoint
CREATE INDEX "payloads_user_code_idx" ON "oidc"."payloads" USING btree ("user_code");--> statement-breakpoint
CREATE INDEX "payloads_expires_at_idx" ON "oidc"."payloads" USING btree ("expires_at");