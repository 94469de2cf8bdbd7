import { sql } from 'drizzle-orm';
import { bigserial, bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An accepted envelope: signed header, signature and ciphertext. The hub never holds plaintext. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    urgency: text('urgency').notNull(),
    senderAgency: text('sender_agency').notNull(),
    senderMember: uuid('sender_member').notNull(),
    senderInbox: text('sender_inbox').notNull(),
    header: jsonb('header').notNull(),
    headerHash: text('header_hash').notNull(),
    signature: text('signature').notNull(),
    ciphertext: text('ciphertext').notNull(),
    acceptedAt: ts('accepted_at').notNull().default(sql`now()`),
    /** The end of the protocol's retention: then the ciphertext, the key wraps and the case reference are erased. */
    retainUntil: ts('retain_until'),
    /** When they were erased (crypto-shredding); the log leaf and its commitment remain. */
    erasedAt: ts('erased_at'),
  },
  (t) => [
    index('messages_sender_agency_idx').on(t.senderAgency, t.acceptedAt),
    // What the retention sweep scans: messages not erased yet, by the end of their retention.
    index('messages_retention_idx').on(t.retainUntil).where(sql`erased_at is null`),
  ],
);

/** One row per recipient inbox: the delivery state a sender watches. */
export const deliveries = pgTable(
  'deliveries',
  {
    messageId: uuid('message_id').notNull().references(() => messages.id),
    inboxId: text('inbox_id').notNull(),
    pushedAt: ts('pushed_at'),
    deliveredAt: ts('delivered_at'),
    deliveredBy: uuid('delivered_by'),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by'),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.inboxId] }),
    index('deliveries_inbox_idx').on(t.inboxId),
    // What the watchdog scans: deliveries never pushed.
    index('deliveries_unpushed_idx').on(t.messageId).where(sql`pushed_at is null`),
  ],
);

/** Signed receipts from recipient devices. */
export const receipts = pgTable(
  'receipts',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    messageId: uuid('message_id').notNull().references(() => messages.id),
    inboxId: text('inbox_id').notNull(),
    memberId: uuid('member_id').notNull(),
    kind: text('kind').notNull(),
    document: jsonb('document').notNull(),
    signature: text('signature').notNull(),
    receivedAt: ts('received_at').notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex('receipts_once_idx').on(t.messageId, t.inboxId, t.memberId, t.kind)],
);

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

/**
 * Transactional outbox: written in the accepting transaction, relayed to the
 * queue after commit, and re-driven by the relay when Redis lost it.
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
