import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { messages } from '../messages/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One awaited acknowledgement: a recipient inbox of a message whose protocol
 * flow sets a deadline. The chain is the protocol's, snapshotted when the
 * message was accepted. `activeId` names the live timer: a job that carries
 * another one, or another step, is stale and does nothing.
 */
export const escalations = pgTable(
  'escalations',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id),
    inboxId: text('inbox_id').notNull(),
    chain: jsonb('chain').notNull(),
    /** 0 = the deadline (`unacknowledged`), 1..n = escalation steps, n+1 = exhausted. */
    nextStep: integer('next_step').notNull().default(0),
    nextAt: ts('next_at'),
    activeId: uuid('active_id').notNull(),
    /** waiting | acknowledged | exhausted */
    state: text('state').notNull().default('waiting'),
    acknowledgedAt: ts('acknowledged_at'),
    updatedAt: ts('updated_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.inboxId] }), index('escalations_due_idx').on(t.state, t.nextAt)],
);
