import { sql } from 'drizzle-orm';
import { bigserial, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Transactional outbox: a row is written in the transaction that makes
 * something to push (an accepted message, a receipt, an escalation step),
 * relayed to the queue after commit, and re-driven by the relay when Redis
 * lost it. `topic` and `ref` are an OutboxRef (./outbox.ts).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    topic: text('topic').notNull(),
    ref: text('ref').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
    dispatchedAt: ts('dispatched_at'),
  },
  (t) => [uniqueIndex('outbox_topic_ref_idx').on(t.topic, t.ref), index('outbox_pending_idx').on(t.dispatchedAt, t.id)],
);
