import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One version of a protocol: the exact document every party signs. */
export const protocols = pgTable(
  'protocols',
  {
    id: text('id').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    /** SHA-256 of the document's canonical form: what the signatures and the log leaves commit to. */
    documentHash: text('document_hash').notNull(),
    effectiveFrom: ts('effective_from').notNull(),
    submittedAt: ts('submitted_at').notNull().default(sql`now()`),
    /** When the last party's signature arrived. */
    signedAt: ts('signed_at'),
    /**
     * From when no version allows a new message: protocol_retirements' time, set on every
     * version's row by the retirement, so that an accepting message's share lock reads it in
     * the same statement (a row updated while the lock waited is read again as committed).
     */
    retiredAt: ts('retired_at'),
  },
  (t) => [primaryKey({ columns: [t.id, t.version] })],
);

/** A party's root-key signature of one version. */
export const protocolSignatures = pgTable(
  'protocol_signatures',
  {
    protocolId: text('protocol_id').notNull(),
    version: integer('version').notNull(),
    agencyId: text('agency_id').notNull(),
    signature: text('signature').notNull(),
    signedAt: ts('signed_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.protocolId, t.version, t.agencyId] })],
);

/**
 * A party withdrew: the retirement it signed. Its time is also set on every
 * version's row (`protocols.retired_at`), which is where it is read.
 */
export const protocolRetirements = pgTable('protocol_retirements', {
  protocolId: text('protocol_id').primaryKey(),
  agencyId: text('agency_id').notNull(),
  retirement: jsonb('retirement').notNull(),
  retiredAt: ts('retired_at').notNull(),
});
