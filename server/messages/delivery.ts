import type { ConnectionOptions, Job, Queue } from 'bullmq';
import { and, eq, isNull, lt, asc, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import { ManagedQueue } from '../lib/managed-queue.js';
import { finishesWithin } from '../lib/settle.js';
import { eventsOfNewMessage, eventsOfNotice, eventsOfReceipt } from '../realtime/events.js';
import { publishNoticesUnlessAcknowledged } from '../escalation/engine.js';
import { deliveries, messages, outbox } from './tables.js';
import { OutboxMarks, type OutboxTopic } from './outbox-marks.js';

export type { OutboxTopic };

export interface DeliveryOptions {
  db: Db;
  connection: ConnectionOptions;
  prefix: string;
  log: FastifyBaseLogger;
  /** Publishes one serialised stream event to an inbox channel (every hub instance hears it). */
  publish(inbox: string, event: string): Promise<void>;
  outboxPollMs: number;
  /** Called once per message when its first push to the recipient inboxes is recorded (metrics). */
  onPushed?: (acceptedAt: Date) => void;
}

const QUEUE = 'delivery';

const markPushed = preparedOnce((db: Db) =>
  db
    .update(deliveries)
    .set({ pushedAt: sql`now()` })
    .where(and(eq(deliveries.messageId, sql.placeholder('id')), isNull(deliveries.pushedAt)))
    .returning({ inbox: deliveries.inboxId })
    .prepare('vigie_mark_pushed'),
);
const ENQUEUE_TIMEOUT_MS = 2000;
// BullMQ job ids may not contain ':'.
const jobIdOf = (topic: OutboxTopic, ref: string) => `${topic}-${ref}`;

/**
 * The delivery pipeline: outbox rows → BullMQ jobs → Redis pub/sub → sockets.
 * The relay re-drives any outbox row that the queue never received (Redis
 * down at acceptance, a hub killed between commit and enqueue).
 */
export class DeliveryPipeline {
  private readonly runner: ManagedQueue<{ ref: string }>;
  private relayTimer: NodeJS.Timeout | null = null;
  private relaying = false;
  /** Outbox rows dispatched, marked in batches (the escalation engine marks its notices here too). */
  readonly marks: OutboxMarks;

  constructor(private readonly opts: DeliveryOptions) {
    this.runner = new ManagedQueue(QUEUE, opts.connection, opts.prefix);
    this.marks = new OutboxMarks(opts.db, opts.log);
  }

  get queue(): Queue {
    return this.runner.queue;
  }

  private get closed(): boolean {
    return this.runner.closed;
  }

  start(): void {
    this.runner.start((job) => this.process(job), { concurrency: 16, log: this.opts.log });
    this.relayTimer = setInterval(() => void this.relayPending(), this.opts.outboxPollMs);
    this.relayTimer.unref();
  }

  /** Enqueues an outbox row's job, then marks the row dispatched. Never throws. */
  async dispatch(topic: OutboxTopic, ref: string): Promise<boolean> {
    try {
      const added = this.queue.add(topic, { ref }, {
        jobId: jobIdOf(topic, ref),
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 25,
        backoff: { type: 'exponential', delay: 100 },
      });
      // While Redis is unreachable the add waits in ioredis' offline queue; the row
      // stays pending and the relay tries again (a late duplicate add is ignored by job id).
      if (!(await finishesWithin(added, ENQUEUE_TIMEOUT_MS))) throw new Error('enqueue timed out');
      this.marks.mark(topic, ref);
      return true;
    } catch (err) {
      this.opts.log.warn({ topic, ref, err }, 'enqueue failed; the outbox relay will retry');
      return false;
    }
  }

  /** Dispatches outbox rows left pending for more than a moment. */
  async relayPending(olderThanMs = 500): Promise<number> {
    if (this.relaying || this.closed) return 0;
    this.relaying = true;
    let count = 0;
    try {
      const rows = await this.opts.db
        .select({ topic: outbox.topic, ref: outbox.ref })
        .from(outbox)
        .where(and(isNull(outbox.dispatchedAt), lt(outbox.createdAt, new Date(Date.now() - olderThanMs))))
        .orderBy(asc(outbox.id))
        .limit(500);
      for (const row of rows) {
        if (this.closed) break;
        if (!(await this.dispatch(row.topic as OutboxTopic, row.ref))) break;
        count++;
      }
    } catch (err) {
      this.opts.log.warn({ err }, 'outbox relay pass failed');
    } finally {
      this.relaying = false;
    }
    return count;
  }

  private async process(job: Job<{ ref: string }>): Promise<void> {
    const topic = job.name as OutboxTopic;
    if (topic === 'deliver') {
      const { events, acceptedAt } = await eventsOfNewMessage(this.opts.db, job.data.ref);
      for (const event of events) await this.opts.publish(event.inbox, JSON.stringify(event));
      if (events.length > 0) {
        const pushed = await markPushed(this.opts.db).execute({ id: job.data.ref });
        // A retried job finds pushedAt already set: the latency is reported once.
        if (pushed.length > 0 && acceptedAt) this.opts.onPushed?.(acceptedAt);
      }
    } else if (topic === 'notice') {
      // ref = <message>.<recipient inbox>.<step>
      const [messageId, inbox, step] = job.data.ref.split('.');
      const events = await eventsOfNotice(this.opts.db, messageId!, inbox!, Number(step));
      await publishNoticesUnlessAcknowledged(this.opts.db, messageId!, inbox!, events, this.opts.publish);
    } else if (topic === 'receipt') {
      const [messageId, receiptId] = job.data.ref.split('.');
      const events = await eventsOfReceipt(this.opts.db, messageId!, BigInt(receiptId!));
      for (const event of events) await this.opts.publish(event.inbox, JSON.stringify(event));
    }
  }

  /**
   * The watchdog's pass for deliveries: a message accepted more than `graceMs`
   * ago and never pushed whose job the queue no longer holds (lost with
   * Redis's data) is enqueued again; a job that failed for good is retried.
   * A job still waiting is left to its worker, so a slow queue is not pushed
   * twice. Returns how many messages were overdue.
   */
  async redriveOverdue(now: Date, graceMs: number, limit = 500): Promise<number> {
    const rows = await this.opts.db
      .selectDistinct({ id: deliveries.messageId })
      .from(deliveries)
      .innerJoin(messages, eq(messages.id, deliveries.messageId))
      .where(and(isNull(deliveries.pushedAt), lt(messages.acceptedAt, new Date(now.getTime() - graceMs))))
      .limit(limit);
    for (const { id } of rows) {
      if (this.closed) break;
      try {
        const job = await this.queue.getJob(jobIdOf('deliver', id));
        if (!job) await this.dispatch('deliver', id);
        else if ((await job.getState()) === 'failed') await job.retry();
      } catch (err) {
        // Redis unreachable: nothing can be pushed now; the next pass tries again.
        this.opts.log.warn({ err }, 'watchdog could not check a delivery job');
        break;
      }
    }
    return rows.length;
  }

  async close(): Promise<void> {
    if (this.relayTimer) clearInterval(this.relayTimer);
    await this.runner.close();
    await this.marks.flush();
  }
}
