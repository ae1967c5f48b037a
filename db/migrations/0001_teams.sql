CREATE TABLE "conversation_references" (
	"platform" text NOT NULL,
	"conversation_id" text NOT NULL,
	"conversation_type" text NOT NULL,
	"user_id" text,
	"channel_user_id" text,
	"tenant_id" text,
	"service_url" text NOT NULL,
	"bot_id" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conversation_references_platform_conversation_id_pk" PRIMARY KEY("platform","conversation_id")
);
--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "unreachable_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "conversation_references_user" ON "conversation_references" USING btree ("platform","user_id");--> statement-breakpoint
CREATE INDEX "conversation_references_tenant" ON "conversation_references" USING btree ("platform","tenant_id");