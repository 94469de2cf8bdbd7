import { desc, eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { toB64 } from '../../protocol/encoding.js';
import { isSignatureBy, parseNote, parseSignatureLine, parseVkey, type NoteSignature, type ParsedVkey } from '../../protocol/log/note.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import type { Db } from '../db/connect.js';
import { settleWithin } from '../lib/settle.js';
import type { WitnessAnswer } from '../metrics/plugin.js';
import type { WitnessAlarm } from './halt.js';
import type { SignedCheckpoint } from './sequencer.js';
import { logCheckpoints, logCosignatures } from './tables.js';
import type { TreeNodes } from './tree-nodes.js';

interface Witness {
  url: string;
  vkey: ParsedVkey;
  /** The size the witness last cosigned, as far as we know. */
  knownSize: number | null;
}

const REQUEST_TIMEOUT_MS = 5000;
// A witness in alarm is offered the newest checkpoint again this often, so that it can vouch for the log again.
const ALARM_RETRY_MS = 30_000;
// Submissions of one checkpoint to one witness: the first, and resynchronisations after a 409 that names another size.
const MAX_ATTEMPTS = 3;

export interface WitnessHooks {
  /** A witness answer that is an alarm (halt.ts records it for every instance). */
  onAlarm?: (alarm: WitnessAlarm) => Promise<void>;
  /** A cosignature by this witness verified and was stored. */
  onCosigned?: (witness: string) => Promise<void>;
  onAnswer?: (answer: WitnessAnswer) => void;
}

/** The size in a 409 body (`<size>\n`, text/x.tlog.size), or null when it carries none. */
function sizeIn(body: string): number | null {
  const m = /^(0|[1-9][0-9]{0,15})\n?$/.exec(body.split('\n')[0] ?? '');
  const size = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(size) ? size : null;
}

/**
 * The hub side of C2SP tlog-witness: each new checkpoint goes to every
 * configured witness with a consistency proof from the size that witness
 * last saw; the cosignatures that verify are stored with the checkpoint.
 */
export class WitnessClient {
  private readonly witnesses: Witness[];
  private latest: SignedCheckpoint | null = null;
  private busy = false;
  private closed = false;
  private inflight: Promise<void> | null = null;
  private lastAlarmRetry = 0;

  constructor(
    private readonly db: Db,
    private readonly crypto: CryptoPort,
    private readonly log: FastifyBaseLogger,
    private readonly tree: TreeNodes,
    config: { url: string; vkey: string }[],
    private readonly hooks: WitnessHooks = {},
  ) {
    this.witnesses = config.map((w) => ({ url: w.url.replace(/\/$/, ''), vkey: parseVkey(crypto, w.vkey), knownSize: null }));
  }

  get count(): number {
    return this.witnesses.length;
  }

  /** The witnesses' key names. */
  get names(): string[] {
    return this.witnesses.map((w) => w.vkey.name);
  }

  /**
   * Submits the newest stored checkpoint: at start, so that a witness added
   * while the log is idle cosigns at once instead of waiting for new leaves.
   */
  async submitLatest(): Promise<void> {
    if (this.witnesses.length === 0 || this.closed) return;
    const cp = await this.latestCheckpoint();
    if (cp) this.submit(cp);
  }

  /** Offers the newest checkpoint again, at most every 30 s, while a witness is in alarm. */
  retryAlarmed(now = Date.now()): void {
    if (now - this.lastAlarmRetry < ALARM_RETRY_MS) return;
    this.lastAlarmRetry = now;
    void this.submitLatest().catch((err: Error) => this.log.warn({ err: err.message }, 'could not read the newest checkpoint'));
  }

  private async latestCheckpoint(): Promise<SignedCheckpoint | null> {
    const [row] = await this.db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
    return row ? { size: row.size, rootHash: row.rootHash, note: row.note } : null;
  }

  /** Submits the newest checkpoint; a submission in progress picks up the newest one when it ends. */
  submit(checkpoint: SignedCheckpoint): void {
    if (this.witnesses.length === 0 || this.closed) return;
    this.latest = checkpoint;
    if (this.busy) return;
    this.busy = true;
    this.inflight = (async () => {
      try {
        for (let cp = this.latest; cp && !this.closed; cp = this.latest === cp ? null : this.latest) {
          await Promise.all(this.witnesses.map((w) => this.submitTo(w, cp!).catch((err: Error) => this.log.warn({ witness: w.vkey.name, err: err.message }, 'witness submission failed'))));
        }
      } finally {
        this.busy = false;
      }
    })();
  }

  private async submitTo(w: Witness, submitted: SignedCheckpoint): Promise<void> {
    if (w.knownSize === null) {
      const [row] = await this.db.select({ size: logCosignatures.size }).from(logCosignatures).where(eq(logCosignatures.witness, w.vkey.name)).orderBy(desc(logCosignatures.size)).limit(1);
      w.knownSize = row?.size ?? 0;
    }
    const name = w.vkey.name;
    let cp = submitted;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const old = Math.min(w.knownSize, cp.size);
      const proof = old === 0 || old === cp.size ? [] : await this.tree.consistencyProof(old, cp.size);
      const body = `old ${old}\n${proof.map((h) => `${toB64(h)}\n`).join('')}\n${cp.note}`;
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        text = await res.text();
      } catch (err) {
        this.hooks.onAnswer?.('unreachable');
        this.log.warn({ witness: name, err: (err as Error).message }, 'witness unreachable');
        return;
      }
      const alarm = async (kind: 'fork' | 'invalid_proof', witnessSize: number | null, message: string) => {
        this.hooks.onAnswer?.(kind);
        this.log.error({ code: 'WITNESS_ALARM', witness: name, kind, status: res.status, size: cp.size, old, witnessSize, detail: text.slice(0, 200) }, message);
        await this.hooks.onAlarm?.({ witness: name, kind, size: cp.size, witnessSize, status: res.status, detail: text.slice(0, 200) });
      };
      if (res.status === 200) {
        await this.storeCosignatures(w, cp, text);
        return;
      }
      const size = res.status === 409 ? sizeIn(text) : null;
      // Same size, another root: the witness holds a different tree of this size. tlog-witness answers 409
      // (with any body, even this very size); sigsum-witness answers 422 (its empty proof does not verify).
      if ((res.status === 409 && (size === null || size === old) && old === cp.size) || (res.status === 422 && old === cp.size)) {
        await alarm('fork', size, 'witness holds another tree of this size: the log has been forked');
        return;
      }
      if (res.status === 422) {
        await alarm('invalid_proof', null, 'witness could not verify the consistency proof: the stored tree does not extend what it cosigned');
        return;
      }
      if (res.status === 409 && size !== null && size !== old) {
        // tlog-witness: the witness last cosigned another size. Resynchronise from it.
        this.hooks.onAnswer?.('resync');
        if (size > cp.size) {
          const latest = await this.latestCheckpoint();
          if (!latest || latest.size < size) {
            await alarm('fork', size, 'witness cosigned a larger tree than this log holds: the log was rolled back or rebuilt');
            return;
          }
          // Another instance signed (and submitted) a newer checkpoint: offer that one.
          cp = latest;
        }
        w.knownSize = size;
        continue;
      }
      this.hooks.onAnswer?.('refused');
      this.log.warn({ witness: name, status: res.status, size: cp.size, old, detail: text.slice(0, 200) }, 'witness refused the checkpoint');
      return;
    }
    this.log.warn({ witness: name, size: cp.size }, 'witness kept answering with another size: giving up until the next checkpoint');
  }

  private async storeCosignatures(w: Witness, cp: SignedCheckpoint, text: string): Promise<void> {
    const checkpointText = parseNote(cp.note).text;
    let stored = 0;
    for (const line of text.split('\n').filter((l) => l.startsWith('— '))) {
      let sig: NoteSignature;
      try {
        sig = parseSignatureLine(line);
      } catch {
        continue;
      }
      // tlog-witness: "The client MUST ignore any cosignatures from unknown keys." Silently.
      if (!isSignatureBy(sig, w.vkey)) continue;
      if (!verifyCosignature(this.crypto, checkpointText, sig, w.vkey).ok) {
        this.log.error({ witness: w.vkey.name, size: cp.size }, 'witness cosignature by its own key does not verify');
        continue;
      }
      await this.db.insert(logCosignatures).values({ size: cp.size, witness: w.vkey.name, line }).onConflictDoNothing();
      w.knownSize = cp.size;
      stored++;
    }
    if (stored === 0) {
      this.hooks.onAnswer?.('refused');
      this.log.warn({ witness: w.vkey.name, size: cp.size }, 'witness answered 200 without a cosignature by its configured key');
      return;
    }
    this.hooks.onAnswer?.('cosigned');
    await this.hooks.onCosigned?.(w.vkey.name);
  }

  async close(): Promise<void> {
    this.closed = true;
    await settleWithin(this.inflight ?? undefined, REQUEST_TIMEOUT_MS);
  }
}
