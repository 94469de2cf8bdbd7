import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/connect.js';
import { outbox } from './tables.js';

/**
 * What an outbox row asks the delivery pipeline to push, once committed:
 * - `deliver`: a newly accepted message to its recipient inboxes;
 * - `receipt`: a stored receipt to the sender's inbox;
 * - `notice`: the notices of one escalation step of one recipient.
 * Stored as (topic, key); the key is also the job's id in the queue, so a
 * row dispatched twice is one job.
 */
export type OutboxRef =
  | { topic: 'deliver'; message: string }
  | { topic: 'receipt'; message: string; receipt: bigint }
  | { topic: 'notice'; message: string; inbox: string; step: number };

export type OutboxTopic = OutboxRef['topic'];
export const OUTBOX_TOPICS: readonly OutboxTopic[] = ['deliver', 'receipt', 'notice'];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const INBOX = '[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?';
const KEY: Record<OutboxTopic, RegExp> = {
  deliver: new RegExp(`^(${UUID})$`),
  receipt: new RegExp(`^(${UUID})\\.(\\d{1,19})$`),
  notice: new RegExp(`^(${UUID})\\.(${INBOX})\\.(\\d{1,4})$`),
};

/** The row's `ref` column: `<message>`, `<message>.<receipt>` or `<message>.<inbox>.<step>` (ids contain no dot). */
export function keyOf(ref: OutboxRef): string {
  switch (ref.topic) {
    case 'deliver':
      return ref.message;
    case 'receipt':
      return `${ref.message}.${ref.receipt}`;
    case 'notice':
      return `${ref.message}.${ref.inbox}.${ref.step}`;
  }
}

/** The ref a stored (topic, key) names; null for anything this hub did not write. */
export function parseRef(topic: string, key: string): OutboxRef | null {
  if (!(OUTBOX_TOPICS as readonly string[]).includes(topic)) return null;
  const m = KEY[topic as OutboxTopic].exec(key);
  if (!m) return null;
  if (topic === 'deliver') return { topic, message: m[1]! };
  if (topic === 'receipt') return { topic, message: m[1]!, receipt: BigInt(m[2]!) };
  return { topic: 'notice', message: m[1]!, inbox: m[2]!, step: Number(m[3]) };
}

/** The queue job's id: BullMQ's ids may not contain ':'; inbox ids hold '/', which they may. */
export function jobIdOf(ref: OutboxRef): string {
  return `${ref.topic}-${keyOf(ref)}`;
}

/** Adds outbox rows in the caller's transaction: they commit, or vanish, with what they push. */
export async function addToOutbox(tx: Tx | Db, ...refs: OutboxRef[]): Promise<void> {
  if (refs.length === 0) return;
  await tx
    .insert(outbox)
    .values(refs.map((r) => ({ topic: r.topic, ref: keyOf(r) })))
    .onConflictDoNothing();
}

/**
 * For a one-round-trip statement: the insert of a `deliver` row for each
 * message id the given select yields (column `id`).
 */
export function deliverRowsFrom(messageIds: SQL): SQL {
  return sql`insert into ${outbox} (${sql.identifier(outbox.topic.name)}, ${sql.identifier(outbox.ref.name)}) select 'deliver', x.id::text from (${messageIds}) as x`;
}
