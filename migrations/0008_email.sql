CREATE SCHEMA "mail";
--> statement-breakpoint
CREATE TABLE "auth"."email_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"token_hash" text NOT NULL,
	"new_email" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	CONSTRAINT "email_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "mail"."deliveries" (
	"key" text PRIMARY KEY NOT NULL,
	"template" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users"."users" ADD COLUMN "email_verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users"."users" ADD COLUMN "locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "read"."user_views" ADD COLUMN "email_verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "read"."user_views" ADD COLUMN "locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
CREATE INDEX "email_tokens_outstanding_idx" ON "auth"."email_tokens" USING btree ("user_id","kind") WHERE "auth"."email_tokens"."used_at" IS NULL AND "auth"."email_tokens"."voided_at" IS NULL;--> statement-breakpoint
-- Accounts that predate verification count as verified: REQUIRE_EMAIL_VERIFICATION must not lock them out.
UPDATE "users"."users" SET "email_verified" = true;--> statement-breakpoint
UPDATE "read"."user_views" SET "email_verified" = true;
