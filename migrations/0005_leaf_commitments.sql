-- Leaves become salted commitments of their records (docs/audit-log.md, "Leaves that
-- reveal nothing"); the records and their salts move to log_records, which only the
-- authenticated register and look-ups read. Leaves written before keep their record
-- (version 1): it is copied to log_records with a null salt.
CREATE TABLE "log_records" (
	"index" bigint PRIMARY KEY NOT NULL,
	"record" text NOT NULL,
	"salt" text
);
--> statement-breakpoint
INSERT INTO "log_records" ("index", "record", "salt") SELECT "index", "data", NULL FROM "log_leaves";
--> statement-breakpoint
ALTER TABLE "log_queue" ADD COLUMN "record" text;
--> statement-breakpoint
UPDATE "log_queue" SET "record" = "data" WHERE "record" IS NULL;
--> statement-breakpoint
ALTER TABLE "log_queue" ALTER COLUMN "record" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "log_queue" ADD COLUMN "salt" text;
--> statement-breakpoint
CREATE TRIGGER log_records_append_only BEFORE UPDATE OR DELETE ON log_records FOR EACH ROW EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
CREATE TRIGGER log_records_no_truncate BEFORE TRUNCATE ON log_records FOR EACH STATEMENT EXECUTE FUNCTION vigie_log_append_only();
--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    EXECUTE 'GRANT SELECT, INSERT ON log_records TO vigie_hub';
  END IF;
END
$$;
