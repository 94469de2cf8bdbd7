CREATE TABLE "protocol_retirements" (
	"protocol_id" text PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"retirement" jsonb NOT NULL,
	"retired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protocol_signatures" (
	"protocol_id" text NOT NULL,
	"version" integer NOT NULL,
	"agency_id" text NOT NULL,
	"signature" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protocol_signatures_protocol_id_version_agency_id_pk" PRIMARY KEY("protocol_id","version","agency_id")
);
--> statement-breakpoint
CREATE TABLE "protocols" (
	"id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"document_hash" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_at" timestamp with time zone,
	CONSTRAINT "protocols_id_version_pk" PRIMARY KEY("id","version")
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" text NOT NULL,
	"case_ref" text NOT NULL,
	"recipients" text[] NOT NULL,
	"purposes" text[] NOT NULL,
	"data_categories" text[] NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"evidence_hash" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid
);
--> statement-breakpoint
CREATE INDEX "consents_agency_case_idx" ON "consents" USING btree ("agency_id","case_ref");--> statement-breakpoint
-- Least privilege (see 0002): the hub role reads and writes these tables; signatures and
-- retirements are never updated or deleted, consents are revoked by UPDATE, never deleted.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT, UPDATE ON protocols, consents TO vigie_hub';
    EXECUTE 'GRANT SELECT, INSERT ON protocol_signatures, protocol_retirements TO vigie_hub';
  END IF;
END
$$;
