import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Raw bytes (hashes); node-postgres returns Buffer, PGlite Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength),
  toDriver: (v) => v,
});

/**
 * Leaves waiting for the sequencer. Written in the same transaction as the
 * event they record (invariant 2); the only log table rows are deleted from.
 */
export const logQueue = pgTable('log_queue', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  subject: text('subject'),
  /** The leaf: the record's salted commitment. */
  data: text('data').notNull(),
  /** The record and the salt of its commitment, moved to log_records with the leaf. */
  record: text('record').notNull(),
  salt: text('salt'),
  createdAt: ts('created_at').notNull().default(sql`now()`),
});

/** The log's entries, by index. Append-only (triggers refuse UPDATE, DELETE, TRUNCATE). */
export const logLeaves = pgTable(
  'log_leaves',
  {
    index: bigint('index', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** What the leaf is about, for look-ups: a message id, an agency, inbox or member id. */
    subject: text('subject'),
    /** The leaf (UTF-8): the salted commitment of its record (version 2), or the record itself (version 1, before commitments). */
    data: text('data').notNull(),
    integratedAt: ts('integrated_at').notNull().default(sql`now()`),
  },
  (t) => [index('log_leaves_subject_idx').on(t.kind, t.subject, t.index)],
);

/**
 * The record each leaf commits to, and its salt: what the authenticated
 * register and look-ups read, never served to anonymous readers. Append-only
 * like the leaves. A null salt marks a version-1 leaf that carries its record.
 */
export const logRecords = pgTable('log_records', {
  index: bigint('index', { mode: 'number' }).primaryKey(),
  record: text('record').notNull(),
  salt: text('salt'),
});

/** Every complete subtree of the tree: node (level, index) covers leaves [index·2^level, (index+1)·2^level). */
export const logNodes = pgTable(
  'log_nodes',
  {
    level: integer('level').notNull(),
    index: bigint('index', { mode: 'number' }).notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.index] })],
);

/** Every checkpoint the hub signed (C2SP signed note), one per tree size. */
export const logCheckpoints = pgTable('log_checkpoints', {
  size: bigint('size', { mode: 'number' }).primaryKey(),
  rootHash: bytea('root_hash').notNull(),
  note: text('note').notNull(),
  signedAt: ts('signed_at').notNull().default(sql`now()`),
});

/** Witness cosignatures (C2SP tlog-cosignature lines) collected for a checkpoint. */
export const logCosignatures = pgTable(
  'log_cosignatures',
  {
    size: bigint('size', { mode: 'number' }).notNull(),
    witness: text('witness').notNull(),
    line: text('line').notNull(),
    receivedAt: ts('received_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.size, t.witness] })],
);
