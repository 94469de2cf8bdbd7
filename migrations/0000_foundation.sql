CREATE TABLE "admissions" (
	"agency_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name_fr" text NOT NULL,
	"name_en" text NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "admissions_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name_fr" text NOT NULL,
	"name_en" text NOT NULL,
	"root_key" text NOT NULL,
	"registration" jsonb NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inboxes" (
	"id" text PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"encryption_key" text NOT NULL,
	"key_version" integer NOT NULL,
	"certificate" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_inboxes" (
	"member_id" uuid NOT NULL,
	"inbox_id" text NOT NULL,
	"wrapped_key" text NOT NULL,
	CONSTRAINT "member_inboxes_member_id_inbox_id_pk" PRIMARY KEY("member_id","inbox_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"signing_key" text NOT NULL,
	"encryption_key" text NOT NULL,
	"roles" text[] NOT NULL,
	"certificate" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation" jsonb,
	CONSTRAINT "members_signing_key_unique" UNIQUE("signing_key")
);
--> statement-breakpoint
CREATE TABLE "used_assertions" (
	"jti" text PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"message_id" uuid NOT NULL,
	"inbox_id" text NOT NULL,
	"pushed_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"delivered_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	CONSTRAINT "deliveries_message_id_inbox_id_pk" PRIMARY KEY("message_id","inbox_id")
);
--> statement-breakpoint
CREATE TABLE "inbox_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"inbox_id" text NOT NULL,
	"kind" text NOT NULL,
	"message_id" uuid NOT NULL,
	"receipt_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"urgency" text NOT NULL,
	"sender_agency" text NOT NULL,
	"sender_member" uuid NOT NULL,
	"sender_inbox" text NOT NULL,
	"header" jsonb NOT NULL,
	"header_hash" text NOT NULL,
	"signature" text NOT NULL,
	"ciphertext" text NOT NULL,
	"accepted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"inbox_id" text NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"document" jsonb NOT NULL,
	"signature" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inboxes" ADD CONSTRAINT "inboxes_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_inboxes" ADD CONSTRAINT "member_inboxes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_inboxes" ADD CONSTRAINT "member_inboxes_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_inboxes_inbox_idx" ON "member_inboxes" USING btree ("inbox_id");--> statement-breakpoint
CREATE INDEX "members_agency_idx" ON "members" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "used_assertions_expires_idx" ON "used_assertions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "deliveries_inbox_idx" ON "deliveries" USING btree ("inbox_id");--> statement-breakpoint
CREATE INDEX "inbox_events_inbox_seq_idx" ON "inbox_events" USING btree ("inbox_id","seq");--> statement-breakpoint
CREATE INDEX "inbox_events_message_idx" ON "inbox_events" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "messages_sender_agency_idx" ON "messages" USING btree ("sender_agency","accepted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_topic_ref_idx" ON "outbox" USING btree ("topic","ref");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("dispatched_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_once_idx" ON "receipts" USING btree ("message_id","inbox_id","member_id","kind");