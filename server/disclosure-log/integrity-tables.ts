import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Which log this database holds: the origin and checkpoint verifier key of
 * the first hub that signed into it. Every instance compares its own at
 * start and refuses to run with another (log-identity.ts): two keys signing
 * one tree would give auditors checkpoints that alternate keys.
 */
export const logIdentity = pgTable(
  'log_identity',
  {
    id: integer('id').primaryKey().default(1),
    origin: text('origin').notNull(),
    /** C2SP vkey of the checkpoint key (its name is the origin). */
    vkey: text('vkey').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
  },
  (t) => [check('log_identity_one_row', sql`${t.id} = 1`)],
);

/**
 * Witness answers that are alarms (halt.ts): a fork (the witness holds
 * another tree of that size, or a larger tree than this log) or a
 * consistency proof it could not verify. Shared by every instance; an alarm
 * stays until the same witness cosigns a checkpoint of this log again.
 */
export const logWitnessAlarms = pgTable(
  'log_witness_alarms',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The witness's key name. */
    witness: text('witness').notNull(),
    /** `fork` or `invalid_proof`. */
    kind: text('kind').notNull(),
    /** Size of the checkpoint the witness refused. */
    size: bigint('size', { mode: 'number' }).notNull(),
    /** The size the witness said it last cosigned, when it said one. */
    witnessSize: bigint('witness_size', { mode: 'number' }),
    status: integer('status').notNull(),
    /** The start of the witness's answer (at most 200 characters). */
    detail: text('detail'),
    raisedAt: ts('raised_at').notNull().default(sql`now()`),
    clearedAt: ts('cleared_at'),
  },
  (t) => [uniqueIndex('log_witness_alarms_active_idx').on(t.witness, t.kind).where(sql`cleared_at is null`)],
);
