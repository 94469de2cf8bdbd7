import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/connect.js';
import { Batcher } from '../lib/batcher.js';
import { keyOf, type OutboxRef, type OutboxTopic } from './outbox.js';
import { outbox } from './tables.js';

const BATCH_MS = 100;
const BATCH_MAX = 200;

/**
 * Marks outbox rows dispatched in batches: one statement per topic for all
 * the rows enqueued or pushed in the last BATCH_MS, instead of one per row
 * (at 100 alerts/s, ten statements a second rather than a hundred).
 * A row whose mark is still pending when the relay looks (it waits 500 ms,
 * far longer) is dispatched again, which the queue ignores while it holds
 * the job (same job id) and clients de-duplicate otherwise; a mark lost with
 * a crash or a database outage leads to the same.
 */
export class OutboxMarks {
  private readonly batches: Batcher<OutboxRef>;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {
    this.batches = new Batcher((batch) => this.write(batch), BATCH_MS, BATCH_MAX);
  }

  mark(ref: OutboxRef): void {
    this.batches.add(ref);
  }

  flush(): Promise<void> {
    return this.batches.flush();
  }

  private async write(batch: OutboxRef[]): Promise<void> {
    const byTopic = new Map<OutboxTopic, string[]>();
    for (const ref of batch) byTopic.set(ref.topic, [...(byTopic.get(ref.topic) ?? []), keyOf(ref)]);
    for (const [topic, refs] of byTopic) {
      try {
        // `topic = … and ref in (…)`: the (topic, ref) unique index serves it, whatever the table's size.
        await this.db
          .update(outbox)
          .set({ dispatchedAt: sql`now()` })
          .where(and(eq(outbox.topic, topic), inArray(outbox.ref, refs), isNull(outbox.dispatchedAt)));
      } catch (err) {
        this.log.warn({ topic, rows: refs.length, err }, 'could not mark outbox rows dispatched; the relay will dispatch them again');
      }
    }
  }
}
