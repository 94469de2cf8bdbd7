import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/connect.js';
import type { NoticeBody, StreamEvent } from '../../protocol/api/stream-events.js';
import { inboxEvents } from './tables.js';

/** One event of an inbox's stream, serialised once and sent as is to every socket: its schema is the wire's. */
export type { StreamEvent };

/** A page of the feed of some inboxes after a cursor, rendered (the stream's replay; messages/ renders payloads). */
export type FeedPage = (db: Db, inboxes: string[], after: bigint, limit: number) => Promise<StreamEvent[]>;

/** What an escalation step tells an inbox about a message. */
export interface NoticeEntry {
  inbox: string;
  message: string;
  notice: NoticeBody;
}

const col = (c: { name: string }) => sql.identifier(c.name);

/**
 * For a one-round-trip statement: a `message` event in the feed of each
 * (inbox, message) pair the select yields (columns `inbox`, `id`); it returns
 * each event's position and inbox (columns `seq`, `inbox`).
 */
export function messageEventsFrom(pairs: SQL): SQL {
  return sql`insert into ${inboxEvents} (${col(inboxEvents.inboxId)}, ${col(inboxEvents.kind)}, ${col(inboxEvents.messageId)}) select x.inbox, 'message', x.id from (${pairs}) as x
    returning ${col(inboxEvents.seq)} as seq, ${col(inboxEvents.inboxId)} as inbox`;
}

/** A `receipt` event in the sender inbox's feed, in the caller's transaction. */
export async function addReceiptEvent(tx: Tx, inbox: string, message: string, receipt: bigint): Promise<void> {
  await tx.insert(inboxEvents).values({ inboxId: inbox, kind: 'receipt', messageId: message, receiptId: receipt });
}

/** Notice events, in the caller's transaction; returns them as stream events, in feed order. */
export async function addNoticeEvents(tx: Tx, notices: NoticeEntry[]): Promise<StreamEvent[]> {
  if (notices.length === 0) return [];
  const rows = await tx
    .insert(inboxEvents)
    .values(notices.map((n) => ({ inboxId: n.inbox, kind: 'notice', messageId: n.message, notice: n.notice })))
    .returning({ seq: inboxEvents.seq, inbox: inboxEvents.inboxId, message: inboxEvents.messageId, notice: inboxEvents.notice });
  return rows.map(noticeEvent);
}

function noticeEvent(r: { seq: bigint; inbox: string; message: string; notice: unknown }): StreamEvent {
  // The column holds the notice the escalation engine built (protocol/escalation-step.ts), nothing else.
  return { type: 'notice', seq: r.seq.toString(), inbox: r.inbox, message: r.message, notice: r.notice as NoticeBody };
}

/** The notice events one escalation step of one recipient wrote (the relay's retry of a failed push). */
export async function noticeEventsOfStep(db: Db, message: string, recipient: string, step: number): Promise<StreamEvent[]> {
  const rows = await db
    .select({ seq: inboxEvents.seq, inbox: inboxEvents.inboxId, message: inboxEvents.messageId, notice: inboxEvents.notice })
    .from(inboxEvents)
    .where(
      and(
        eq(inboxEvents.messageId, message),
        eq(inboxEvents.kind, 'notice'),
        sql`${inboxEvents.notice}->>'recipient' = ${recipient}`,
        sql`(${inboxEvents.notice}->>'step')::int = ${step}`,
      ),
    )
    .orderBy(asc(inboxEvents.seq));
  return rows.map(noticeEvent);
}

/** Which recipient's chain notified which inbox of one message: the hub's own `escalation` notices. */
export async function inboxesEscalatedTo(db: Db, message: string): Promise<{ inbox: string; recipient: string }[]> {
  return db
    .selectDistinct({ inbox: inboxEvents.inboxId, recipient: sql<string>`${inboxEvents.notice}->>'recipient'` })
    .from(inboxEvents)
    .where(and(eq(inboxEvents.messageId, message), eq(inboxEvents.kind, 'notice'), sql`${inboxEvents.notice}->>'kind' = 'escalation'`));
}

/**
 * Resume point for a reconnecting member. Feed positions are assigned when a
 * row is inserted, but transactions commit — and delivery jobs publish — in a
 * slightly different order, so a cursor taken from a live event can stand
 * past an event that was published later — by as long as a transaction can
 * wait under load. Replaying a window before the cursor closes that gap;
 * clients de-duplicate by message id and receipt.
 */
export async function resumeFloor(db: Db, cursor: bigint, lookbackMs: number): Promise<bigint> {
  if (cursor <= 0n) return 0n;
  const [at] = await db.select({ createdAt: inboxEvents.createdAt }).from(inboxEvents).where(eq(inboxEvents.seq, cursor));
  if (!at) return cursor;
  const [floor] = await db
    .select({ seq: inboxEvents.seq })
    .from(inboxEvents)
    // Bounded by the primary key so that this stays an index range scan.
    .where(and(gt(inboxEvents.seq, cursor - 200_000n), gt(inboxEvents.createdAt, new Date(at.createdAt.getTime() - lookbackMs))))
    .orderBy(asc(inboxEvents.seq))
    .limit(1);
  return floor ? (floor.seq - 1n < cursor ? floor.seq - 1n : cursor) : cursor;
}
