CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"invitation" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"device" jsonb,
	"submitted_at" timestamp with time zone,
	"member_id" uuid,
	"approved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT, UPDATE ON invitations TO vigie_hub';
  END IF;
END
$$;
