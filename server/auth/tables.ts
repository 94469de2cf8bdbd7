import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Client assertions already used (RFC 7523 jti), kept until they expire. */
export const usedAssertions = pgTable(
  'used_assertions',
  {
    jti: text('jti').primaryKey(),
    memberId: uuid('member_id').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('used_assertions_expires_idx').on(t.expiresAt)],
);
