import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A victim's consent as the agency serving her recorded it: metadata only.
 * The signed form stays with the agency; the hub keeps its hash.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey(),
    agencyId: text('agency_id').notNull(),
    /** Pseudonymous case reference chosen by the agency: never a name. */
    caseRef: text('case_ref').notNull(),
    recipients: text('recipients').array().notNull(),
    purposes: text('purposes').array().notNull(),
    dataCategories: text('data_categories').array().notNull(),
    validFrom: ts('valid_from').notNull(),
    validUntil: ts('valid_until'),
    evidenceHash: text('evidence_hash').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().default(sql`now()`),
    revokedAt: ts('revoked_at'),
    revokedBy: uuid('revoked_by'),
  },
  (t) => [index('consents_agency_case_idx').on(t.agencyId, t.caseRef)],
);
