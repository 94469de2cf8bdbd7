import { asc, desc, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual, utf8 } from '../../protocol/encoding.js';
import { formatCheckpoint } from '../../protocol/log/checkpoint.js';
import { appendNodes, frontier, leafHash, rootFromNodes, rootNodes } from '../../protocol/log/merkle.js';
import { signNote } from '../../protocol/log/note.js';
import type { Db, Tx } from '../db/connect.js';
import { logCheckpoints, logLeaves, logNodes, logQueue, logRecords } from './tables.js';
import { fetchNodes, type NodeMap } from './nodes.js';

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
   * Shortest time between the starts of two passes (default 100 ms): under a
   * steady flow of leaves a pass serves all that came meanwhile, so the log
   * costs a few transactions and signatures a second, not one per commit.
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

  constructor(private readonly opts: SequencerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.opts.intervalMs);
    this.timer.unref();
    this.kick();
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
        if (!result || result.integrated < this.opts.batchSize) return;
      }
    } catch (err) {
      this.opts.log.error({ err }, 'log sequencer pass failed');
    }
  }

  /** One batch. Null when another instance holds the sequencer lock. */
  async integrateOnce(): Promise<{ integrated: number; size: number } | null> {
    let signed: SignedCheckpoint | null = null;
    const result = await this.opts.db.transaction(async (tx) => {
      const lock = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as ok`)) as unknown as { rows: { ok: boolean }[] };
      if (!lock.rows[0]?.ok) return null;
      const size = await treeSize(tx);
      const [last] = await tx.select().from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
      const pending = await tx.select().from(logQueue).orderBy(asc(logQueue.id)).limit(this.opts.batchSize);
      if (pending.length === 0 && last?.size === size) return { integrated: 0, size };

      const nodes: NodeMap = await fetchNodes(tx, [...frontier(size), ...(last ? rootNodes(last.size) : [])]);
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
      if (pending.length > 0) {
        await tx.insert(logLeaves).values(pending.map((p, i) => ({ index: size + i, kind: p.kind, subject: p.subject, data: p.data })));
        await tx.insert(logRecords).values(pending.map((p, i) => ({ index: size + i, record: p.record, salt: p.salt })));
        for (let i = 0; i < created.length; i += 1000) await tx.insert(logNodes).values(created.slice(i, i + 1000));
        await tx.delete(logQueue).where(inArray(logQueue.id, pending.map((p) => p.id)));
      }
      const newSize = size + pending.length;
      const missing = rootNodes(newSize).filter((n) => !nodes.has(n.level, n.index));
      if (missing.length > 0) (await fetchNodes(tx, missing)).forEach((level, index, hash) => nodes.set(level, index, hash));
      const rootHash = rootFromNodes(this.opts.crypto, newSize, get);
      const note = signNote(this.opts.crypto, formatCheckpoint({ origin: this.opts.origin, size: newSize, rootHash, extensions: [] }), {
        name: this.opts.origin,
        secretKey: this.opts.signingSecretKey,
      });
      await tx.insert(logCheckpoints).values({ size: newSize, rootHash, note }).onConflictDoNothing();
      signed = { size: newSize, rootHash, note };
      return { integrated: pending.length, size: newSize };
    });
    if (signed) this.opts.onCheckpoint?.(signed);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    await this.running;
  }
}

export async function treeSize(db: Db | Tx): Promise<number> {
  const res = (await db.execute(sql`select coalesce(max(index) + 1, 0)::bigint as n from log_leaves`)) as unknown as { rows: { n: string | number }[] };
  return Number(res.rows[0]?.n ?? 0);
}
