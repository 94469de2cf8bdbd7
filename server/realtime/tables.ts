import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The feed of each inbox, in one global order: what a member's stream replays
 * after its cursor. A message event per recipient inbox, a receipt event for
 * the sender's inbox, notice events of acknowledgement deadlines and escalations.
 */
export const inboxEvents = pgTable(
  'inbox_events',
  {
    seq: bigserial('seq', { mode: 'bigint' }).primaryKey(),
    inboxId: text('inbox_id').notNull(),
    kind: text('kind').notNull(),
    messageId: uuid('message_id').notNull(),
    receiptId: bigint('receipt_id', { mode: 'bigint' }),
    /** For `notice` events: what the hub tells this inbox about the message (unacknowledged, escalated…). */
    notice: jsonb('notice'),
    createdAt: ts('created_at').notNull().default(sql`now()`),
  },
  (t) => [index('inbox_events_inbox_seq_idx').on(t.inboxId, t.seq), index('inbox_events_message_idx').on(t.messageId)],
);
