CREATE TABLE "escalations" (
	"message_id" uuid NOT NULL,
	"inbox_id" text NOT NULL,
	"chain" jsonb NOT NULL,
	"next_step" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone,
	"active_id" uuid NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalations_message_id_inbox_id_pk" PRIMARY KEY("message_id","inbox_id")
);
--> statement-breakpoint
ALTER TABLE "inbox_events" ADD COLUMN "notice" jsonb;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalations_due_idx" ON "escalations" USING btree ("state","next_at");--> statement-breakpoint
CREATE INDEX "deliveries_unpushed_idx" ON "deliveries" USING btree ("message_id") WHERE pushed_at is null;
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT, UPDATE ON escalations TO vigie_hub';
  END IF;
END
$$;
