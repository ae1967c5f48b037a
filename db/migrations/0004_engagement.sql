ALTER TYPE "public"."outbox_status" ADD VALUE 'cancelled';--> statement-breakpoint
CREATE TABLE "checkins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" uuid NOT NULL,
	"pair_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"since" date NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"usefulness" integer,
	"note" text,
	"note_shared" boolean DEFAULT false NOT NULL,
	"help" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "outbox_recipient";--> statement-breakpoint
ALTER TABLE "pairs" ADD COLUMN "last_activity_on" date;--> statement-breakpoint
ALTER TABLE "pairs" ADD COLUMN "next_checkin_on" date;--> statement-breakpoint
ALTER TABLE "pairs" ADD COLUMN "checkin_round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pairs" ADD COLUMN "ladder_step" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "pairs" ADD COLUMN "ladder_next_on" date;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "participants" ADD COLUMN "opted_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "pair_id" uuid;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_pair_id_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."pairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checkins_round" ON "checkins" USING btree ("pair_id","participant_id","round");--> statement-breakpoint
CREATE INDEX "checkins_participant" ON "checkins" USING btree ("participant_id","created_at");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_pair_id_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."pairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pairs_checkin_due" ON "pairs" USING btree ("next_checkin_on") WHERE "pairs"."status" = 'active';--> statement-breakpoint
CREATE INDEX "pairs_ladder_due" ON "pairs" USING btree ("ladder_next_on") WHERE "pairs"."status" = 'active';--> statement-breakpoint
CREATE INDEX "outbox_pair" ON "outbox" USING btree ("pair_id");--> statement-breakpoint
CREATE INDEX "outbox_recipient" ON "outbox" USING btree ("recipient_id","sent_at");