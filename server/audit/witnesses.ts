import { desc, eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { toB64 } from '../../protocol/encoding.js';
import { parseNote, parseVkey, type ParsedVkey } from '../../protocol/log/note.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import type { Db } from '../db/connect.js';
import { settleWithin } from '../lib/settle.js';
import { consistencyProofBetween } from './proofs.js';
import type { SignedCheckpoint } from './sequencer.js';
import { logCosignatures } from './tables.js';

interface Witness {
  url: string;
  vkey: ParsedVkey;
  /** The size the witness last cosigned, as far as we know. */
  knownSize: number | null;
}

const REQUEST_TIMEOUT_MS = 5000;

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

  constructor(
    private readonly db: Db,
    private readonly crypto: CryptoPort,
    private readonly log: FastifyBaseLogger,
    config: { url: string; vkey: string }[],
  ) {
    this.witnesses = config.map((w) => ({ url: w.url.replace(/\/$/, ''), vkey: parseVkey(crypto, w.vkey), knownSize: null }));
  }

  get count(): number {
    return this.witnesses.length;
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
          await Promise.all(this.witnesses.map((w) => this.submitTo(w, cp!)));
        }
      } finally {
        this.busy = false;
      }
    })();
  }

  private async submitTo(w: Witness, cp: SignedCheckpoint): Promise<void> {
    if (w.knownSize === null) {
      const [row] = await this.db.select({ size: logCosignatures.size }).from(logCosignatures).where(eq(logCosignatures.witness, w.vkey.name)).orderBy(desc(logCosignatures.size)).limit(1);
      w.knownSize = row?.size ?? 0;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const old = Math.min(w.knownSize, cp.size);
      const proof = old === 0 || old === cp.size ? [] : await consistencyProofBetween(this.db, this.crypto, old, cp.size);
      const body = `old ${old}\n${proof.map((h) => `${toB64(h)}\n`).join('')}\n${cp.note}`;
      let res: Response;
      try {
        res = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (err) {
        this.log.warn({ witness: w.vkey.name, err: (err as Error).message }, 'witness unreachable');
        return;
      }
      const text = await res.text();
      if (res.status === 409 && !(res.headers.get('content-type') ?? '').startsWith('text/x.tlog.size')) {
        // Same size, another root: the witness has seen a different tree. Never routine.
        this.log.error({ witness: w.vkey.name, size: cp.size, detail: text.slice(0, 200) }, 'witness saw another tree of this size: the log may have been forked');
        return;
      }
      if (res.status === 409) {
        // The witness saw another size: retry once from there.
        const size = Number(text.trim().split('\n')[0]);
        if (!Number.isSafeInteger(size) || size > cp.size) {
          this.log.error({ witness: w.vkey.name, size: text.slice(0, 40) }, 'witness reports a size beyond our log');
          return;
        }
        w.knownSize = size;
        continue;
      }
      if (res.status !== 200) {
        this.log.warn({ witness: w.vkey.name, status: res.status }, 'witness refused the checkpoint');
        return;
      }
      await this.storeCosignatures(w, cp, text);
      return;
    }
  }

  private async storeCosignatures(w: Witness, cp: SignedCheckpoint, text: string): Promise<void> {
    const checkpointText = parseNote(cp.note).text;
    for (const line of text.split('\n').filter((l) => l.startsWith('— '))) {
      const parsed = parseNote(`${checkpointText}\n${line}\n`).signatures[0];
      if (!parsed || !verifyCosignature(this.crypto, checkpointText, parsed, w.vkey).ok) {
        this.log.warn({ witness: w.vkey.name }, 'witness cosignature does not verify');
        continue;
      }
      await this.db.insert(logCosignatures).values({ size: cp.size, witness: w.vkey.name, line }).onConflictDoNothing();
      w.knownSize = cp.size;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await settleWithin(this.inflight ?? undefined, REQUEST_TIMEOUT_MS);
  }
}
