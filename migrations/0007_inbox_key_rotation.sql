CREATE TABLE "inbox_key_wraps" (
	"member_id" uuid NOT NULL,
	"inbox_id" text NOT NULL,
	"key_version" integer NOT NULL,
	"wrapped_key" text NOT NULL,
	CONSTRAINT "inbox_key_wraps_member_id_inbox_id_key_version_pk" PRIMARY KEY("member_id","inbox_id","key_version")
);
--> statement-breakpoint
CREATE TABLE "inbox_keys" (
	"inbox_id" text NOT NULL,
	"key_version" integer NOT NULL,
	"encryption_key" text NOT NULL,
	"certificate" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_keys_inbox_id_key_version_pk" PRIMARY KEY("inbox_id","key_version")
);
--> statement-breakpoint
ALTER TABLE "inbox_key_wraps" ADD CONSTRAINT "inbox_key_wraps_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_keys" ADD CONSTRAINT "inbox_keys_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inbox_key_wraps_inbox_idx" ON "inbox_key_wraps" USING btree ("inbox_id","key_version");--> statement-breakpoint
-- The keys and wraps registered before rotations existed: each inbox's current key, each member's wrap of it.
INSERT INTO "inbox_keys" ("inbox_id", "key_version", "encryption_key", "certificate", "created_at")
SELECT "id", "key_version", "encryption_key", "certificate", "created_at" FROM "inboxes";
--> statement-breakpoint
INSERT INTO "inbox_key_wraps" ("member_id", "inbox_id", "key_version", "wrapped_key")
SELECT mi."member_id", mi."inbox_id", i."key_version", mi."wrapped_key" FROM "member_inboxes" mi JOIN "inboxes" i ON i."id" = mi."inbox_id";
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT ON inbox_keys, inbox_key_wraps TO vigie_hub';
  END IF;
END
$$;
