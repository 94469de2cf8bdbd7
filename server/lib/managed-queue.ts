import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { settleWithin } from './settle.js';

/**
 * A BullMQ queue and its worker as the hub runs them: reconnecting forever
 * while open and never once closed (a Redis that is down must not keep the
 * process alive), and closing without waiting on a Redis that is down — jobs
 * are idempotent, so one cut short is retried by the stalled-job check.
 */
export class ManagedQueue<T> {
  readonly queue: Queue;
  private worker: Worker | null = null;
  private isClosed = false;
  private readonly connection: ConnectionOptions;

  constructor(
    private readonly name: string,
    connection: ConnectionOptions,
    private readonly prefix: string,
  ) {
    this.connection = {
      ...(connection as object),
      retryStrategy: (times: number) => (this.isClosed ? null : Math.min(50 * 2 ** Math.min(times, 6), 2000)),
    } as ConnectionOptions;
    this.queue = new Queue(name, { connection: this.connection, prefix });
    this.queue.on('error', () => {});
  }

  get closed(): boolean {
    return this.isClosed;
  }

  start(processor: (job: Job<T>) => Promise<void>, options: { concurrency: number; log: FastifyBaseLogger }): void {
    this.worker = new Worker(this.name, processor, { connection: this.connection, prefix: this.prefix, concurrency: options.concurrency });
    this.worker.on('error', (err) => options.log.warn({ err }, `${this.name} worker error`));
    this.worker.on('failed', (job, err) => options.log.warn({ job: job?.id, err }, `${this.name} job failed`));
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await settleWithin(this.worker?.close(true), 3000);
    await settleWithin(this.queue.close(), 1000);
    await settleWithin(this.worker?.disconnect(), 500);
    await settleWithin(this.queue.disconnect(), 500);
  }
}
