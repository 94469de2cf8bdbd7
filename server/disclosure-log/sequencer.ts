import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual, fromHex, toHex, utf8 } from '../../protocol/encoding.js';
import { formatCheckpoint } from '../../protocol/log/checkpoint.js';
import { appendNodes, frontier, leafHash, rootFromNodes, rootNodes } from '../../protocol/log/merkle.js';
import { signNote } from '../../protocol/log/note.js';
import type { Db, Tx } from '../db/connect.js';
import { logCheckpoints, logLeaves, logNodes, logQueue, logRecords } from './tables.js';
import { fetchNodes, type NodeMap } from './nodes.js';
import { namedStatement } from '../db/prepared.js';

// One sequencer at a time across every hub instance on this database.
const SEQUENCER_LOCK = 7_180_427_002;

export interface SignedCheckpoint {
  size: number;
  rootHash: Uint8Array;
  note: string;
}

export interface SequencerOptions {
  db: Db;
  crypto: CryptoPort;
  log: FastifyBaseLogger;
  origin: string;
  signingSecretKey: Uint8Array;
  /** Most leaves integrated in one transaction. */
  batchSize: number;
  /** Longest a queued leaf waits when nobody kicks the sequencer. */
  intervalMs: number;
  /**
   * How long a kick waits for others to join it (default 20 ms): under load
   * one pass, one transaction and one signed checkpoint serve many leaves.
   */
  coalesceMs?: number;
  /**
   * Shortest time between the starts of two passes (default 100 ms; the hub
   * passes `disclosureLogCheckpointGapMs`, 1 s): under a steady flow of leaves
   * a pass serves all that came meanwhile, so the log costs one transaction,
   * one signature and one consistency proof per client a second, not one per commit.
   * A kick after a quiet spell still runs after coalesceMs.
   */
  minGapMs?: number;
  onCheckpoint?: (checkpoint: SignedCheckpoint) => void;
}

export class LogTamperedError extends Error {
  readonly code = 'LOG_TAMPERED';
}

/**
 * Integrates queued leaves into the RFC 6962 tree in batches, one
 * transaction per batch under an advisory lock, and signs a checkpoint for
 * every new size. Before signing it recomputes the previous checkpoint's root
 * from the stored nodes: if they disagree the log was altered and the hub
 * refuses to sign (it never signs two inconsistent checkpoints).
 */
export class Sequencer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private soon: NodeJS.Timeout | null = null;
  /** When the last pass started (performance.now()). */
  private lastPass = -Infinity;
  /** The last pass integrated every leaf it found and signed the size it left. */
  private whole = false;

  constructor(private readonly opts: SequencerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * The interval's pass, for leaves nobody kicked for: once a pass has left
   * the log whole, it first asks whether anything is queued (one read, no
   * transaction), so an idle hub costs one statement per interval.
   */
  private tick(): void {
    if (this.closed || this.running || this.soon) return;
    if (!this.whole) return this.kick();
    this.queued().then(
      (queued) => {
        if (queued) this.kick();
      },
      (err: unknown) => this.opts.log.error({ err }, 'log sequencer pass failed'),
    );
  }

  /** Asks for a pass soon; passes never overlap within an instance. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.soon) return;
    const gap = this.lastPass + (this.opts.minGapMs ?? 100) - performance.now();
    this.soon = setTimeout(
      () => {
        this.soon = null;
        this.pass();
      },
      Math.max(this.opts.coalesceMs ?? 20, gap),
    );
  }

  private pass(): void {
    if (this.closed || this.running) return;
    this.lastPass = performance.now();
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Runs passes until the queue is empty; resolves when done (tests, benchmarks). */
  async flush(): Promise<void> {
    if (this.soon) clearTimeout(this.soon);
    this.soon = null;
    while (this.running) await this.running;
    await this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const result = await this.integrateOnce();
        // Every queued leaf integrated and the newest size signed, as far as this instance knows.
        this.whole = result !== null && result.integrated < this.opts.batchSize;
        if (!result || result.integrated < this.opts.batchSize) return;
      }
    } catch (err) {
      this.whole = false;
      this.opts.log.error({ err }, 'log sequencer pass failed');
    }
  }

  /** One batch. Null when another instance holds the sequencer lock. */
  async integrateOnce(): Promise<{ integrated: number; size: number } | null> {
    let signed: SignedCheckpoint | null = null;
    const result = await this.opts.db.transaction(async (tx) => {
      const lock = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as ok`)) as unknown as { rows: { ok: boolean }[] };
      if (!lock.rows[0]?.ok) return null;
      const { size, last, pending } = await readState(tx, this.opts.batchSize);
      if (pending.length === 0 && last?.size === size) return { integrated: 0, size };

      const newSize = size + pending.length;
      const nodes: NodeMap = await fetchNodes(tx, [...frontier(size), ...(last ? rootNodes(last.size) : []), ...rootNodes(newSize)]);
      const get = (level: number, index: number) => nodes.get(level, index);
      if (last) {
        if (last.size > size) throw new LogTamperedError(`stored tree (${size}) is shorter than checkpoint ${last.size}`);
        if (!bytesEqual(rootFromNodes(this.opts.crypto, last.size, get), last.rootHash)) {
          throw new LogTamperedError(`stored nodes no longer match checkpoint ${last.size}`);
        }
      }
      const hashes = pending.map((p) => leafHash(this.opts.crypto, utf8(p.data)));
      const created = appendNodes(this.opts.crypto, size, hashes, get);
      for (const n of created) nodes.set(n.level, n.index, n.hash);
      const rootHash = rootFromNodes(this.opts.crypto, newSize, get);
      const note = signNote(this.opts.crypto, formatCheckpoint({ origin: this.opts.origin, size: newSize, rootHash, extensions: [] }), {
        name: this.opts.origin,
        secretKey: this.opts.signingSecretKey,
      });
      await writeBatch(tx, size, pending, created, { size: newSize, rootHash, note });
      signed = { size: newSize, rootHash, note };
      return { integrated: pending.length, size: newSize };
    });
    if (signed) this.opts.onCheckpoint?.(signed);
    return result;
  }

  /** Whether leaves wait in the queue: one read, outside any transaction, before a pass nobody asked for. */
  async queued(): Promise<boolean> {
    const res = (await queuedStatement(this.opts.db, {})) as { rows: { queued: boolean }[] };
    return res.rows[0]?.queued === true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
  }
}

interface Queued {
  id: number;
  kind: string;
  subject: string | null;
  data: string;
  record: string;
  salt: string | null;
}

// node-postgres parses json columns; PGlite may hand them over as text.
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

const queuedStatement = namedStatement('vigie_log_queued', () => sql`select exists (select 1 from ${logQueue}) as queued`);

/**
 * The tree's size, its newest checkpoint and the next leaves queued, in one
 * statement (one round trip) under the sequencer's lock.
 */
const stateStatement = namedStatement(
  'vigie_log_state',
  () => sql`select
    (select coalesce(max(${logLeaves.index}) + 1, 0) from ${logLeaves})::bigint as size,
    (select json_build_object('size', c.size, 'root', encode(c.root_hash, 'hex')) from ${logCheckpoints} c order by c.size desc limit 1) as last,
    (select coalesce(json_agg(json_build_object('id', q.id, 'kind', q.kind, 'subject', q.subject, 'data', q.data, 'record', q.record, 'salt', q.salt) order by q.id), '[]'::json)
       from (select * from ${logQueue} order by ${logQueue.id} limit ${sql.placeholder('batch')}) q) as pending`,
);

async function readState(tx: Tx, batch: number): Promise<{ size: number; last: { size: number; rootHash: Uint8Array } | null; pending: Queued[] }> {
  const res = (await stateStatement(tx, { batch })) as { rows: { size: string | number; last: unknown; pending: unknown }[] };
  const row = res.rows[0]!;
  const last = json<{ size: number; root: string } | null>(row.last);
  return {
    size: Number(row.size),
    last: last ? { size: Number(last.size), rootHash: fromHex(last.root) } : null,
    pending: json<Queued[]>(row.pending),
  };
}

/**
 * A batch's leaves, records and new nodes, its removal from the queue and the
 * checkpoint signed for the new size, in one statement (one round trip): the
 * rows travel as three JSON values, so the text never changes and PostgreSQL
 * parses it once per connection.
 */
const writeStatement = namedStatement('vigie_log_write', () => {
  const rows = (name: string) => sql`jsonb_array_elements(${sql.placeholder(name)}::jsonb) e`;
  return sql`with
    l as (insert into ${logLeaves} ("index", kind, subject, data) select (e->>'index')::bigint, e->>'kind', e->>'subject', e->>'data' from ${rows('leaves')}),
    r as (insert into ${logRecords} ("index", record, salt) select (e->>'index')::bigint, e->>'record', e->>'salt' from ${rows('leaves')}),
    n as (insert into ${logNodes} (level, "index", hash) select (e->>0)::int, (e->>1)::bigint, decode(e->>2, 'hex') from ${rows('nodes')}),
    q as (delete from ${logQueue} where id in (select (e->>'id')::bigint from ${rows('leaves')})),
    c as (insert into ${logCheckpoints} (size, root_hash, note) values (${sql.placeholder('size')}::bigint, decode(${sql.placeholder('root')}, 'hex'), ${sql.placeholder('note')}) on conflict do nothing)
    select 1 as ok`;
});

async function writeBatch(tx: Tx, size: number, pending: Queued[], created: { level: number; index: number; hash: Uint8Array }[], checkpoint: SignedCheckpoint) {
  await writeStatement(tx, {
    leaves: JSON.stringify(pending.map((p, i) => ({ id: p.id, index: size + i, kind: p.kind, subject: p.subject, data: p.data, record: p.record, salt: p.salt }))),
    nodes: JSON.stringify(created.map((n) => [n.level, n.index, toHex(n.hash)])),
    size: checkpoint.size,
    root: toHex(checkpoint.rootHash),
    note: checkpoint.note,
  });
}

export async function treeSize(db: Db | Tx): Promise<number> {
  const res = (await db.execute(sql`select coalesce(max(index) + 1, 0)::bigint as n from log_leaves`)) as unknown as { rows: { n: string | number }[] };
  return Number(res.rows[0]?.n ?? 0);
}
