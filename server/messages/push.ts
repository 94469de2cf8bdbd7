import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import type { OutboxRef } from '../delivery/outbox.js';
import { eventsOfNewMessage, eventsOfReceipt } from './events.js';
import { deliveries, messages } from './tables.js';

export interface PushDeps {
  db: Db;
  /** Publishes one serialised stream event to an inbox channel (every hub instance hears it). */
  publish(inbox: string, event: string): Promise<void>;
  /** Called once per message when its first push to the recipient inboxes is recorded (metrics). */
  onPushed?(acceptedAt: Date): void;
}

const markPushed = preparedOnce((db: Db) =>
  db
    .update(deliveries)
    .set({ pushedAt: sql`now()` })
    .where(and(eq(deliveries.messageId, sql.placeholder('id')), isNull(deliveries.pushedAt)))
    .returning({ inbox: deliveries.inboxId })
    .prepare('vigie_mark_pushed'),
);

/** The delivery pipeline's `deliver` handler: the message's feed events to its recipient inboxes, then `pushedAt`. */
export async function pushMessage(deps: PushDeps, ref: Extract<OutboxRef, { topic: 'deliver' }>): Promise<void> {
  const { events, acceptedAt } = await eventsOfNewMessage(deps.db, ref.message);
  for (const event of events) await deps.publish(event.inbox, JSON.stringify(event));
  if (events.length === 0) return;
  const pushed = await markPushed(deps.db).execute({ id: ref.message });
  // A retried job finds pushedAt already set: the latency is reported once.
  if (pushed.length > 0 && acceptedAt) deps.onPushed?.(acceptedAt);
}

/** The delivery pipeline's `receipt` handler: the receipt's feed event to the sender's inbox. */
export async function pushReceipt(deps: PushDeps, ref: Extract<OutboxRef, { topic: 'receipt' }>): Promise<void> {
  for (const event of await eventsOfReceipt(deps.db, ref.message, ref.receipt)) await deps.publish(event.inbox, JSON.stringify(event));
}

/**
 * The watchdog's scan of deliveries: each message accepted more than
 * `graceMs` ago and never pushed is handed to `redrive` (which enqueues it
 * again if the queue lost it). Returns how many were overdue.
 */
export async function redriveUnpushed(db: Db, now: Date, graceMs: number, redrive: (ref: OutboxRef) => Promise<boolean>, limit = 500): Promise<number> {
  const rows = await db
    .selectDistinct({ id: deliveries.messageId })
    .from(deliveries)
    .innerJoin(messages, eq(messages.id, deliveries.messageId))
    .where(and(isNull(deliveries.pushedAt), lt(messages.acceptedAt, new Date(now.getTime() - graceMs))))
    .limit(limit);
  for (const { id } of rows) {
    // Redis unreachable: nothing can be pushed now; the next pass tries again.
    if (!(await redrive({ topic: 'deliver', message: id }))) break;
  }
  return rows.length;
}
