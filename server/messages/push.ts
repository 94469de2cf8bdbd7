import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Envelope } from '../../protocol/schemas.js';
import type { Db } from '../db/connect.js';
import type { OutboxRef } from '../delivery/outbox.js';
import { Batcher } from '../lib/batcher.js';
import { finishesWithin } from '../lib/settle.js';
import type { StreamEvent } from '../realtime/feed.js';
import type { Accepted } from './accept.js';
import { eventsOfNewMessage, eventsOfReceipt } from './events.js';
import { deliveries, messages } from './tables.js';

export interface PushDeps {
  db: Db;
  log: FastifyBaseLogger;
  /** Publishes one serialised stream event to an inbox channel (every hub instance hears it). */
  publish(inbox: string, event: string): Promise<void>;
  /** Marks an outbox row done: what it asked for was pushed. */
  markDispatched(ref: OutboxRef): void;
  /** Called once per message, with the seconds from its acceptance to its first push, when that push is recorded (metrics). */
  onPushed?(seconds: number): void;
  /** The log's newest checkpoint note (as GET /v1/log/checkpoint serves it), sent along with a message pushed live; null when there is none. */
  newestCheckpoint?(): Promise<string | null>;
}

/** A publish that Redis has not taken by then is left to the outbox relay. */
const PUBLISH_TIMEOUT_MS = 2000;
/**
 * Deliveries pushed are recorded in batches, this often: bookkeeping for the
 * watchdog (which waits far longer) and the metrics (which take the time of
 * the push itself, not of its record).
 */
const PUSHED_BATCH_MS = 100;

const secondsSince = (at: Date) => (Date.now() - at.getTime()) / 1000;

/**
 * Pushes accepted messages and receipts to the recipients' streams.
 *
 * The fast path: the instance that accepted a message publishes its feed
 * events right after the commit (one PUBLISH per recipient inbox), then marks
 * the outbox row dispatched and the deliveries pushed, in batches. The
 * durable path: a row still pending after that (Redis down, the hub killed
 * between commit and publish) is enqueued by the outbox relay, and the queue's
 * `deliver` job (`deliver()` below) reads the events from PostgreSQL and
 * publishes them. Either way at least once; clients de-duplicate by message id.
 */
export class MessagePush {
  private readonly pushed: Batcher<{ id: string; seconds: number }>;

  constructor(private readonly deps: PushDeps) {
    this.pushed = new Batcher((batch) => this.markPushed(batch), PUSHED_BATCH_MS);
  }

  /** The fast path, after the accepting transaction committed. Never throws. */
  async afterAccept(accepted: Accepted, envelope: Envelope): Promise<void> {
    if (accepted.duplicate || accepted.events.length === 0) return;
    const acceptedAt = accepted.acceptedAt.toISOString();
    // The recipient checks the sender's certificate against the newest checkpoint: sent along, it need not ask for it.
    const checkpoint = await this.deps.newestCheckpoint?.().catch(() => null);
    const sent = Promise.all(
      accepted.events.map((e) => {
        const event: StreamEvent = {
          type: 'message',
          seq: e.seq,
          inbox: e.inbox,
          acceptedAt,
          envelope: { header: envelope.header, signature: envelope.signature, ciphertext: envelope.ciphertext },
          ...(checkpoint ? { checkpoint } : {}),
        };
        return this.deps.publish(e.inbox, JSON.stringify(event));
      }),
    );
    try {
      if (!(await finishesWithin(sent, PUBLISH_TIMEOUT_MS))) throw new Error('publish timed out');
    } catch (err) {
      this.deps.log.warn({ err }, 'message not pushed after acceptance; the outbox relay will push it');
      return;
    }
    this.deps.markDispatched({ topic: 'deliver', message: accepted.id });
    this.pushed.add({ id: accepted.id, seconds: secondsSince(accepted.acceptedAt) });
  }

  /** The delivery pipeline's `deliver` handler (the durable path): the message's feed events, from PostgreSQL. */
  async deliver(ref: Extract<OutboxRef, { topic: 'deliver' }>): Promise<void> {
    const { events, acceptedAt } = await eventsOfNewMessage(this.deps.db, ref.message);
    for (const event of events) await this.deps.publish(event.inbox, JSON.stringify(event));
    if (events.length > 0 && acceptedAt) this.pushed.add({ id: ref.message, seconds: secondsSince(acceptedAt) });
  }

  /** The delivery pipeline's `receipt` handler: the receipt's feed event to the sender's inbox. */
  async receipt(ref: Extract<OutboxRef, { topic: 'receipt' }>): Promise<void> {
    for (const event of await eventsOfReceipt(this.deps.db, ref.message, ref.receipt)) await this.deps.publish(event.inbox, JSON.stringify(event));
  }

  /** Records `pushedAt` for a batch of messages; the latency is reported once per message (a retry finds it set). */
  private async markPushed(batch: { id: string; seconds: number }[]): Promise<void> {
    const seconds = new Map(batch.map((b) => [b.id, b.seconds]));
    try {
      const rows = await this.deps.db
        .update(deliveries)
        .set({ pushedAt: sql`now()` })
        .where(and(inArray(deliveries.messageId, [...seconds.keys()]), isNull(deliveries.pushedAt)))
        .returning({ id: deliveries.messageId });
      for (const id of new Set(rows.map((r) => r.id))) this.deps.onPushed?.(seconds.get(id)!);
    } catch (err) {
      // The watchdog finds them unpushed and checks their jobs: at worst a message is pushed twice.
      this.deps.log.warn({ rows: batch.length, err }, 'could not record deliveries as pushed');
    }
  }

  flush(): Promise<void> {
    return this.pushed.flush();
  }
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
