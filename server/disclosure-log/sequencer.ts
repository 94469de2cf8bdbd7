import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual, utf8 } from '../../protocol/encoding.js';
import { formatCheckpoint } from '../../protocol/log/checkpoint.js';
import { appendNodes, frontier, leafHash, rootFromNodes, rootNodes } from '../../protocol/log/merkle.js';
import { signNote } from '../../protocol/log/note.js';
import type { Db } from '../db/connect.js';
import { fetchNodes, type NodeMap } from './nodes.js';
import { dueStatement, readState, withinWriteBudget, writeBatch, type SignedCheckpoint } from './sequencer-statements.js';

export { treeSize, type SignedCheckpoint } from './sequencer-statements.js';

// One sequencer at a time across every hub instance on this database.
const SEQUENCER_LOCK = 7_180_427_002;


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
   * Shortest time between two checkpoints (default 100 ms; the hub passes
   * `disclosureLogCheckpointGapMs`, 1 s), whichever instance signed the last:
   * under a steady flow of leaves a pass serves all that came meanwhile, so
   * the log costs one transaction, one signature and one consistency proof
   * per client a second, not one per commit. A kick after a quiet spell
   * still runs after coalesceMs.
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
  /** A pass put off until the newest checkpoint (another instance's) is minGapMs old. */
  private deferred: NodeJS.Timeout | null = null;
  /** When the last pass started (performance.now()). */
  private lastPass = -Infinity;
  /** The last pass integrated every leaf it found and signed the size it left. */
  private whole = false;
  private probing = false;
  /** The size of the last checkpoint this instance signed: its own passes are spaced by lastPass. */
  private lastSigned = -1;

  constructor(private readonly opts: SequencerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * The interval's look, for leaves nobody kicked for: once a pass has left
   * the log whole, it first asks whether the log needs a pass (one read, no
   * transaction), so an idle hub costs one statement per interval, and an
   * instance without traffic steps in only for leaves the one that queued
   * them left waiting longer than the gap.
   */
  private tick(): void {
    if (this.closed || this.running || this.soon || this.deferred || this.probing) return;
    if (!this.whole) return this.kick();
    this.probing = true;
    this.due()
      .then(
        (due) => {
          if (due) this.kick();
        },
        (err: unknown) => {
          this.whole = false;
          this.opts.log.error({ err }, 'log sequencer could not look at its queue');
        },
      )
      .finally(() => (this.probing = false));
  }

  /** Asks for a pass soon; passes never overlap within an instance. */
  kick(): void {
    // A pass put off for another instance's checkpoint runs then, for whatever came meanwhile.
    if (this.closed || this.deferred) return;
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
    this.running = this.drain(true).finally(() => {
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
    this.clearDeferred();
    while (this.running) await this.running;
    await this.drain(false);
  }

  /** Passes until the queue is empty; the first waits for the gap since the newest checkpoint (`respectGap`: not when flushing). */
  private async drain(respectGap: boolean): Promise<void> {
    try {
      for (let first = true; ; first = false) {
        const result = await this.integrateOnce({ respectGap: respectGap && first });
        // Every queued leaf integrated and the newest size signed, as far as this instance knows.
        this.whole = result !== null && !result.more;
        if (result?.waitMs !== undefined) return this.defer(result.waitMs);
        if (!result?.more) return;
      }
    } catch (err) {
      this.whole = false;
      this.opts.log.error({ err }, 'log sequencer pass failed');
    }
  }

  private defer(ms: number): void {
    this.clearDeferred();
    this.deferred = setTimeout(() => {
      this.deferred = null;
      this.kick();
    }, ms);
  }

  private clearDeferred(): void {
    if (this.deferred) clearTimeout(this.deferred);
    this.deferred = null;
  }

  /**
   * One batch. Null when another instance holds the sequencer lock. `more`:
   * leaves are left in the queue. With `respectGap`, when the newest
   * checkpoint (this instance's or another's) is younger than minGapMs and
   * the tree is signed up to its size, nothing is done: `waitMs` says when to
   * try again.
   */
  async integrateOnce(opts: { respectGap?: boolean } = {}): Promise<{ integrated: number; size: number; more: boolean; waitMs?: number } | null> {
    let signed: SignedCheckpoint | null = null;
    const result = await this.opts.db.transaction(async (tx) => {
      const lock = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as ok`)) as unknown as { rows: { ok: boolean }[] };
      if (!lock.rows[0]?.ok) return null;
      const state = await readState(tx, this.opts.batchSize);
      const { size, last } = state;
      if (state.pending.length === 0 && last?.size === size) return { integrated: 0, size, more: false };
      const gapMs = this.opts.minGapMs ?? 100;
      // Another instance's checkpoint (this instance's own passes are spaced already, by kick()).
      // Only a checkpoint dated in the last gap: one dated ahead (a database writer's, a clock set back) must not stall the log.
      if (opts.respectGap && last?.size === size && last.size !== this.lastSigned && last.ageMs >= 0 && last.ageMs < gapMs) {
        return { integrated: 0, size, more: true, waitMs: Math.ceil(gapMs - last.ageMs) };
      }
      const pending = withinWriteBudget(state.pending);
      const more = state.pending.length === this.opts.batchSize || pending.length < state.pending.length;

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
      return { integrated: pending.length, size: newSize, more };
    });
    if (signed) {
      this.lastSigned = (signed as SignedCheckpoint).size;
      this.opts.onCheckpoint?.(signed);
    }
    return result;
  }

  /**
   * Whether the log needs a pass nobody asked for: leaves queued longer than
   * the gap (those of a commit that woke no sequencer, or of an instance that
   * stopped), or a tree whose size no checkpoint signs. One read, outside any
   * transaction.
   */
  async due(): Promise<boolean> {
    const res = (await dueStatement(this.opts.db, { gap_ms: this.opts.minGapMs ?? 100 })) as { rows: { due: boolean }[] };
    return res.rows[0]?.due === true;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.clearDeferred();
    await this.running;
  }
}
