import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import type { NoticeBody, StreamEvent } from '../../protocol/api/stream-events.js';
import type { EnvelopeHeader, Receipt } from '../../protocol/schemas.js';
import { inboxEvents } from '../realtime/tables.js';
import { messages, receipts } from './tables.js';

const columns = {
  seq: inboxEvents.seq,
  inboxId: inboxEvents.inboxId,
  kind: inboxEvents.kind,
  messageId: inboxEvents.messageId,
  header: messages.header,
  messageSignature: messages.signature,
  ciphertext: messages.ciphertext,
  receiptDocument: receipts.document,
  receiptSignature: receipts.signature,
  notice: inboxEvents.notice,
  acceptedAt: messages.acceptedAt,
};

type Row = {
  seq: bigint;
  inboxId: string;
  kind: string;
  messageId: string;
  // The jsonb columns hold what was validated on the way in: the envelope's header, the receipt, the notice the engine built.
  header: EnvelopeHeader;
  messageSignature: string;
  ciphertext: string;
  receiptDocument: Receipt | null;
  receiptSignature: string | null;
  notice: NoticeBody | null;
  acceptedAt: Date;
};

function toEvent(r: Row): StreamEvent {
  if (r.kind === 'notice') return { type: 'notice', seq: r.seq.toString(), inbox: r.inboxId, message: r.messageId, notice: r.notice! };
  if (r.kind === 'receipt') {
    return {
      type: 'receipt',
      seq: r.seq.toString(),
      inbox: r.inboxId,
      message: r.messageId,
      receipt: { document: r.receiptDocument!, signature: r.receiptSignature! },
    };
  }
  return {
    type: 'message',
    seq: r.seq.toString(),
    inbox: r.inboxId,
    acceptedAt: r.acceptedAt.toISOString(),
    envelope: { header: r.header, signature: r.messageSignature, ciphertext: r.ciphertext },
  };
}

function query(db: Db) {
  return db
    .select(columns)
    .from(inboxEvents)
    .innerJoin(messages, eq(messages.id, inboxEvents.messageId))
    .leftJoin(receipts, eq(receipts.id, inboxEvents.receiptId));
}

/**
 * The stream events of these inboxes after a cursor, in stream order, with
 * the payloads messages/ owns (envelopes, signed receipts): the realtime
 * gateway's replay page (realtime/feed.ts FeedPage).
 */
export async function eventsAfter(db: Db, inboxIds: string[], after: bigint, limit: number): Promise<StreamEvent[]> {
  if (inboxIds.length === 0) return [];
  const rows = await query(db)
    // A message erased at the end of its retention is no longer replayed (its receipts and notices are).
    .where(and(inArray(inboxEvents.inboxId, inboxIds), gt(inboxEvents.seq, after), sql`(${inboxEvents.kind} <> 'message' or ${messages.erasedAt} is null)`))
    .orderBy(asc(inboxEvents.seq))
    .limit(limit);
  return (rows as Row[]).map(toEvent);
}

/** The events a receipt job publishes: the feed events of one receipt of one message. */
export async function eventsOfReceipt(db: Db, messageId: string, receiptId: bigint): Promise<StreamEvent[]> {
  const rows = await query(db)
    .where(and(eq(inboxEvents.messageId, messageId), eq(inboxEvents.receiptId, receiptId)))
    .orderBy(asc(inboxEvents.seq));
  return (rows as Row[]).map(toEvent);
}

// A delivery job's question, asked once per accepted message.
const newMessageEvents = preparedOnce((db: Db) =>
  query(db)
    .where(and(eq(inboxEvents.messageId, sql.placeholder('id')), eq(inboxEvents.kind, 'message')))
    .orderBy(asc(inboxEvents.seq))
    .prepare('vigie_new_message_events'),
);

/** The feed events of a newly accepted message, and when it was accepted (null when it is unknown). */
export async function eventsOfNewMessage(db: Db, messageId: string): Promise<{ events: StreamEvent[]; acceptedAt: Date | null }> {
  const rows = (await newMessageEvents(db).execute({ id: messageId })) as Row[];
  return { events: rows.map(toEvent), acceptedAt: rows[0]?.acceptedAt ?? null };
}
