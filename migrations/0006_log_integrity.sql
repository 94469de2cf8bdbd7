CREATE TABLE "log_identity" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"origin" text NOT NULL,
	"vkey" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "log_identity_one_row" CHECK ("log_identity"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "log_witness_alarms" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"witness" text NOT NULL,
	"kind" text NOT NULL,
	"size" bigint NOT NULL,
	"witness_size" bigint,
	"status" integer NOT NULL,
	"detail" text,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "log_witness_alarms_active_idx" ON "log_witness_alarms" USING btree ("witness","kind") WHERE cleared_at is null;--> statement-breakpoint
-- The least-privileged hub role records the log's identity once and never changes it; it raises
-- witness alarms and clears them (when that witness cosigns again), and deletes none.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT ON log_identity TO vigie_hub';
    EXECUTE 'GRANT SELECT, INSERT, UPDATE ON log_witness_alarms TO vigie_hub';
    EXECUTE 'GRANT USAGE ON SEQUENCE log_witness_alarms_id_seq TO vigie_hub';
  END IF;
END
$$;
