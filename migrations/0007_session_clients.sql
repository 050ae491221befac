ALTER TABLE "auth"."sessions" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD COLUMN "ip" text;--> statement-breakpoint
ALTER TABLE "auth"."sessions" ADD COLUMN "mfa" boolean DEFAULT false NOT NULL;