ALTER TABLE "messages" ADD COLUMN "retain_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "messages_retention_idx" ON "messages" USING btree ("retain_until") WHERE erased_at is null;--> statement-breakpoint
-- Messages accepted before retention was enforced: their protocol version's retention.
UPDATE "messages" m SET "retain_until" = m."accepted_at" + make_interval(days => (p."document"->'retention'->>'days')::int)
FROM "protocols" p
WHERE m."retain_until" IS NULL AND p."id" = m."header"->'protocol'->>'id' AND p."version" = (m."header"->'protocol'->>'version')::int;
