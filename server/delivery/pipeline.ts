import type { ConnectionOptions, Job, Queue } from 'bullmq';
import { and, asc, isNull, lt } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import { ManagedQueue } from '../lib/managed-queue.js';
import { finishesWithin } from '../lib/settle.js';
import { OutboxMarks } from './outbox-marks.js';
import { jobIdOf, keyOf, parseRef, type OutboxRef, type OutboxTopic } from './outbox.js';
import { outbox } from './tables.js';

export interface DeliveryOptions {
  db: Db;
  connection: ConnectionOptions;
  prefix: string;
  log: FastifyBaseLogger;
  outboxPollMs: number;
}

/** Pushes what one committed outbox row names; throws to be retried. Registered by the folder that owns the topic. */
export type OutboxHandler<T extends OutboxTopic> = (ref: Extract<OutboxRef, { topic: T }>) => Promise<void>;

const QUEUE = 'delivery';
const ENQUEUE_TIMEOUT_MS = 2000;
type JobData = { ref: string };

/**
 * The delivery pipeline: outbox rows → BullMQ jobs → the topic's handler
 * (which publishes through realtime). The relay re-drives any outbox row the
 * queue never received (Redis down at acceptance, a hub killed between
 * commit and enqueue). It knows nothing of messages, receipts or escalation:
 * each owner registers the handler of its topic.
 */
export class DeliveryPipeline {
  private readonly runner: ManagedQueue<JobData>;
  private relayTimer: NodeJS.Timeout | null = null;
  private relaying = false;
  private readonly handlers = new Map<OutboxTopic, (ref: OutboxRef) => Promise<void>>();
  /** Outbox rows dispatched, marked in batches. */
  readonly marks: OutboxMarks;

  constructor(private readonly opts: DeliveryOptions) {
    this.runner = new ManagedQueue(QUEUE, opts.connection, opts.prefix);
    this.marks = new OutboxMarks(opts.db, opts.log);
  }

  get queue(): Queue {
    return this.runner.queue;
  }

  get closed(): boolean {
    return this.runner.closed;
  }

  /** Registers the handler of a topic (once, before the hub starts). */
  handle<T extends OutboxTopic>(topic: T, handler: OutboxHandler<T>): void {
    if (this.handlers.has(topic)) throw new Error(`outbox topic ${topic} already has a handler`);
    this.handlers.set(topic, handler as (ref: OutboxRef) => Promise<void>);
  }

  start(): void {
    this.runner.start((job) => this.process(job), { concurrency: 16, log: this.opts.log });
    this.relayTimer = setInterval(() => void this.relayPending(), this.opts.outboxPollMs);
    this.relayTimer.unref();
  }

  /** Enqueues an outbox row's job, then marks the row dispatched. Never throws. */
  async dispatch(ref: OutboxRef): Promise<boolean> {
    try {
      const added = this.queue.add(ref.topic, { ref: keyOf(ref) }, {
        jobId: jobIdOf(ref),
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 25,
        backoff: { type: 'exponential', delay: 100 },
      });
      // While Redis is unreachable the add waits in ioredis' offline queue; the row
      // stays pending and the relay tries again (a late duplicate add is ignored by job id).
      if (!(await finishesWithin(added, ENQUEUE_TIMEOUT_MS))) throw new Error('enqueue timed out');
      this.marks.mark(ref);
      return true;
    } catch (err) {
      this.opts.log.warn({ topic: ref.topic, err }, 'enqueue failed; the outbox relay will retry');
      return false;
    }
  }

  /**
   * For the watchdog: a ref overdue whose job the queue no longer holds (lost
   * with Redis's data) is enqueued again; a job that failed for good is
   * retried; a job still waiting is left to its worker, so a slow queue is not
   * pushed twice. False when Redis cannot be asked.
   */
  async redrive(ref: OutboxRef): Promise<boolean> {
    try {
      const job = await this.queue.getJob(jobIdOf(ref));
      if (!job) await this.dispatch(ref);
      else if ((await job.getState()) === 'failed') await job.retry();
      return true;
    } catch (err) {
      this.opts.log.warn({ err }, 'watchdog could not check a delivery job');
      return false;
    }
  }

  /** Dispatches outbox rows left pending for more than a moment. */
  async relayPending(olderThanMs = 500): Promise<number> {
    if (this.relaying || this.closed) return 0;
    this.relaying = true;
    let count = 0;
    try {
      // What this instance dispatched and has yet to mark (the batch under way) is not pending.
      await this.marks.flush();
      const rows = await this.opts.db
        .select({ topic: outbox.topic, ref: outbox.ref })
        .from(outbox)
        .where(and(isNull(outbox.dispatchedAt), lt(outbox.createdAt, new Date(Date.now() - olderThanMs))))
        .orderBy(asc(outbox.id))
        .limit(500);
      for (const row of rows) {
        if (this.closed) break;
        const ref = parseRef(row.topic, row.ref);
        if (!ref) {
          this.opts.log.warn({ topic: row.topic }, 'outbox row with an unknown reference left pending');
          continue;
        }
        if (!(await this.dispatch(ref))) break;
        count++;
      }
    } catch (err) {
      this.opts.log.warn({ err }, 'outbox relay pass failed');
    } finally {
      this.relaying = false;
    }
    return count;
  }

  private async process(job: Job<JobData>): Promise<void> {
    const ref = parseRef(job.name, job.data.ref);
    // A job this hub did not write (or an older hub's topic) does nothing rather than fail forever.
    if (!ref) return;
    const handler = this.handlers.get(ref.topic);
    if (!handler) throw new Error(`no handler for outbox topic ${ref.topic}`);
    await handler(ref);
  }

  async close(): Promise<void> {
    if (this.relayTimer) clearInterval(this.relayTimer);
    await this.runner.close();
    await this.marks.flush();
  }
}
