ALTER TABLE "protocols" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
-- Protocols retired before: every version's row carries its retirement.
UPDATE "protocols" p SET "retired_at" = r."retired_at" FROM "protocol_retirements" r WHERE r."protocol_id" = p."id";
