import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';

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
