/**
 * What a client trusts of the disclosure log: checkpoints signed by the log
 * key (and cosigned by a quorum of witnesses when configured), each
 * consistent with the last one it verified; and leaves only once their
 * inclusion in such a checkpoint is proven. The key directory rests on it.
 *
 * @example
 * const log = new LogVerifier(http, crypto, { logKey: 'vigie.local/disclosure-log+1a2b3c4d+AX…' });
 * await log.proveLeaf('key.member_registered', memberId, (leaf) => leaf.signingKey === key);
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64, toB64u, utf8 } from '../../protocol/encoding.js';
import { parseCheckpoint, type Checkpoint } from '../../protocol/log/checkpoint.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import { verifyLeafRecord } from '../../protocol/log/commitment.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../protocol/log/merkle.js';
import { parseNote, parseVkey, verifyNoteSignature, type ParsedVkey } from '../../protocol/log/note.js';
import { parseLeafRecord } from '../../protocol/api/leaf-record.js';
import { ConsistencyProofSchema, DirectoryRecordsSchema, LeafAnswerSchema } from '../../protocol/api/log.js';
import { ROUTES, routePath } from '../../protocol/api/routes.js';
import { VigieApiError, type HubHttp } from './http.js';

export interface LogTrust {
  /** The hub's checkpoint key (C2SP vkey). Pinned on first use when absent. */
  logKey?: string;
  /** Witness keys (C2SP vkeys) and how many of them must cosign. */
  witnesses?: string[];
  quorum?: number;
}

/** A member's access token: records behind the leaves are for members only. */
export type TokenSource = () => Promise<string>;

export class LogVerificationError extends Error {
  constructor(
    readonly code: 'CHECKPOINT_INVALID' | 'QUORUM_NOT_MET' | 'LOG_INCONSISTENT' | 'LEAF_NOT_INCLUDED' | 'LEAF_MISMATCH' | 'RECORDS_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}


/** The kinds of the directory's events (keys and protocols), which the records route lists. */
const DIRECTORY_KIND = /^(key|protocol)\./;
const RECORDS_PAGE = 1000;

/** A checkpoint older than this is refreshed before a look-up: a revocation or a rotation since is seen. */
const CHECKPOINT_MAX_AGE_MS = 5_000;

export class LogVerifier {
  private vkey: ParsedVkey | null;
  private readonly witnesses: ParsedVkey[];
  private verified: Checkpoint | null = null;
  /** The note the verified checkpoint came in: the same text again is the same checkpoint, already checked. */
  private verifiedNote = '';
  private verifiedAt = 0;
  /** The refresh under way: callers share it (one checkpoint at a time is adopted, never an older after a newer). */
  private refreshing: Promise<Checkpoint> | null = null;
  /** hasLeaf's answers: kind and subject → present (for good: the log only grows), or the size it was absent at. */
  private readonly seenLeaves = new Map<string, true | number>();
  /**
   * The key-directory and protocol events among leaves [from, to), read
   * once for every subject: a leaf absent at one size is known absent at a
   * larger one when no event of its kind about its subject came between.
   */
  private events: { from: number; to: number; about: Map<string, number[]> } | null = null;
  /** The events' read under way, shared. */
  private readingEvents: Promise<void> | null = null;
  /** True once the hub refused to list the events: each subject is then asked about. */
  private eventsRefused = false;

  constructor(
    private readonly http: HubHttp,
    private readonly crypto: CryptoPort,
    readonly trust: LogTrust = {},
    /** Without one, leaves can be checked but not the records they commit to (proveLeaf refuses). */
    private readonly token?: TokenSource,
  ) {
    this.vkey = trust.logKey ? parseVkey(crypto, trust.logKey) : null;
    this.witnesses = (trust.witnesses ?? []).map((w) => parseVkey(crypto, w));
  }

  /** True when this client can read the records behind leaves (it has a member key): look-ups and the directory's events. */
  get readsRecords(): boolean {
    return this.token !== undefined;
  }

  /** The last checkpoint this client verified. */
  get current(): Checkpoint | null {
    return this.verified;
  }

  /**
   * Fetches, verifies and adopts the newest checkpoint. A caller that asks
   * while a refresh is under way shares its answer — asked at most one round
   * trip before — so that concurrent look-ups (a stream opening several
   * messages) cost one request and checkpoints are adopted in order.
   */
  refresh(): Promise<Checkpoint> {
    this.refreshing ??= this.fetchCheckpoint().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async fetchCheckpoint(): Promise<Checkpoint> {
    if (!this.vkey) {
      const text = await this.http.requestText('GET', ROUTES.logKey);
      this.vkey = parseVkey(this.crypto, text.trim());
      this.trust.logKey = text.trim();
    }
    const text = await this.http.requestText('GET', ROUTES.logCheckpoint);
    if (this.verified && text === this.verifiedNote) {
      this.verifiedAt = Date.now();
      return this.verified;
    }
    const note = parseNote(text);
    if (!verifyNoteSignature(this.crypto, note, this.vkey)) throw new LogVerificationError('CHECKPOINT_INVALID', 'checkpoint signature invalid');
    const cp = parseCheckpoint(note.text);
    if (cp.origin !== this.vkey.name) throw new LogVerificationError('CHECKPOINT_INVALID', 'checkpoint of another log');
    const quorum = this.trust.quorum ?? 0;
    if (quorum > 0) {
      const cosigned = this.witnesses.filter((w) =>
        note.signatures.some((s) => s.name === w.name && verifyCosignature(this.crypto, note.text, s, w).ok),
      ).length;
      if (cosigned < quorum) throw new LogVerificationError('QUORUM_NOT_MET', `${cosigned} of ${quorum} witness cosignatures`);
    }
    const prev = this.verified;
    if (prev) {
      if (cp.size < prev.size) throw new LogVerificationError('LOG_INCONSISTENT', 'the log got shorter');
      if (cp.size > prev.size && prev.size > 0) {
        const res = await this.http.get(routePath(ROUTES.logConsistency, {}, { from: prev.size, to: cp.size }), ConsistencyProofSchema);
        const ok = verifyConsistency(this.crypto, { oldSize: prev.size, newSize: cp.size, oldRoot: prev.rootHash, newRoot: cp.rootHash, proof: res.proof.map(fromB64) });
        if (!ok) throw new LogVerificationError('LOG_INCONSISTENT', 'the new checkpoint does not extend the last one');
      } else if (cp.size === prev.size && toB64u(cp.rootHash) !== toB64u(prev.rootHash)) {
        throw new LogVerificationError('LOG_INCONSISTENT', 'two different trees of the same size');
      }
    }
    this.verified = cp;
    this.verifiedNote = text;
    this.verifiedAt = Date.now();
    return cp;
  }

  /** The last verified checkpoint if it is younger than `maxAgeMs`, else a fresh one. */
  private async recent(maxAgeMs = CHECKPOINT_MAX_AGE_MS): Promise<Checkpoint> {
    return this.verified && Date.now() - this.verifiedAt < maxAgeMs ? this.verified : this.refresh();
  }

  /**
   * Proves that the latest leaf of `kind` about `subject` is in a verified
   * checkpoint and satisfies `expect`. A leaf written moments ago is waited
   * for (the sequencer integrates within a fraction of a second).
   */
  async proveLeaf(
    kind: string,
    subject: string,
    expect: (leaf: Record<string, unknown>) => boolean,
    waitMs = 5000,
    maxAgeMs = CHECKPOINT_MAX_AGE_MS,
    /** The earliest leaf of that kind about the subject, not the latest (events that happen once). */
    first = false,
  ): Promise<Record<string, unknown>> {
    return this.proveAt(await this.recent(maxAgeMs), kind, subject, expect, waitMs, first);
  }

  /** proveLeaf from a given checkpoint (a newer one is fetched while a leaf is waited for). */
  private async proveAt(
    checkpoint: Checkpoint,
    kind: string,
    subject: string,
    expect: (leaf: Record<string, unknown>) => boolean,
    waitMs: number,
    first: boolean,
  ): Promise<Record<string, unknown>> {
    if (!this.token) throw new LogVerificationError('RECORDS_UNREADABLE', 'log records are for members: no member key to read them with');
    const deadline = Date.now() + waitMs;
    let cp = checkpoint;
    for (;;) {
      try {
        const res = await this.http.get(
          routePath(ROUTES.logLookup, {}, { kind, subject, size: cp.size, first: first ? true : undefined }),
          LeafAnswerSchema,
          await this.token(),
        );
        const included = verifyInclusion(this.crypto, {
          index: res.index,
          size: cp.size,
          leafHash: leafHash(this.crypto, utf8(res.leaf)),
          proof: res.proof.map(fromB64),
          root: cp.rootHash,
        });
        if (!included) throw new LogVerificationError('LEAF_NOT_INCLUDED', `${kind} ${subject}: inclusion proof invalid`);
        // The leaf commits to the record: a record the hub rewrote does not match its leaf.
        if (!verifyLeafRecord((d) => this.crypto.sha256(d), res.leaf, res.record, res.salt)) throw new LogVerificationError('LEAF_MISMATCH', `${kind} ${subject}: the record does not match its leaf`);
        const leaf = parseLeafRecord(res.record);
        if (!leaf || leaf.type !== kind || !expect(leaf)) throw new LogVerificationError('LEAF_MISMATCH', `${kind} ${subject}: the log records another key`);
        return leaf;
      } catch (err) {
        const pending = err instanceof VigieApiError && (err.code === 'LOG_LEAF_UNKNOWN' || err.code === 'LOG_EMPTY');
        // A key certified a moment ago (a rotation) may not be in a signed checkpoint yet: the log shows the one before.
        const stale = err instanceof LogVerificationError && err.code === 'LEAF_MISMATCH';
        if (!(pending || stale) || Date.now() > deadline) {
          if (pending) throw new LogVerificationError('LEAF_NOT_INCLUDED', `${kind} ${subject} is not in the log`);
          throw err;
        }
        await new Promise((r) => setTimeout(r, 100));
        cp = await this.refresh();
      }
    }
  }

  /**
   * True when the log holds a leaf of `kind` about `subject` (e.g. a
   * revocation) in a checkpoint verified within `maxAgeMs` (0: the newest).
   * A leaf found is remembered (the log only grows, and every checkpoint
   * adopted extends the last), and so is the size of a checkpoint that had
   * none: the hub is asked again only when the log has grown.
   */
  async hasLeaf(kind: string, subject: string, maxAgeMs = CHECKPOINT_MAX_AGE_MS): Promise<boolean> {
    const key = `${kind}\n${subject}`;
    if (this.seenLeaves.get(key) === true) return true;
    const cp = await this.recent(maxAgeMs);
    const absentAt = this.seenLeaves.get(key);
    if (absentAt === cp.size) return false;
    // Absent at a smaller size: the directory's events since then say whether to ask about this subject again.
    if (typeof absentAt === 'number' && absentAt < cp.size && DIRECTORY_KIND.test(kind) && !(await this.eventBetween(key, absentAt, cp.size))) {
      const known = this.seenLeaves.get(key);
      if (known !== true) this.seenLeaves.set(key, Math.max(cp.size, known ?? 0));
      return false;
    }
    try {
      await this.proveAt(cp, kind, subject, () => true, 0, false);
      this.seenLeaves.set(key, true);
      return true;
    } catch (err) {
      if (err instanceof LogVerificationError && err.code === 'LEAF_NOT_INCLUDED') {
        if (this.seenLeaves.get(key) !== true) this.seenLeaves.set(key, cp.size);
        return false;
      }
      // Without a member key the records cannot be read: the caller relies on the hub's revokedAt.
      if (err instanceof LogVerificationError && err.code === 'RECORDS_UNREADABLE') return false;
      throw err;
    }
  }

  /**
   * Whether the log holds, among leaves [from, to), a directory event of the
   * kind and subject in `key` (the hub's word, as the look-up's "not found"
   * is: a leaf found is then proven by a look-up). The events are read once,
   * by every caller at once, and kept from the first size asked about, so
   * that a checkpoint's growth costs one request whatever the number of
   * subjects a client watches. True (ask the subject) when they cannot be read.
   */
  private async eventBetween(key: string, from: number, to: number): Promise<boolean> {
    if (!this.token || this.eventsRefused) return true;
    this.events ??= { from, to: from, about: new Map() };
    if (from < this.events.from) return true;
    try {
      while (this.events.to < to) {
        this.readingEvents ??= this.readEvents(to).finally(() => {
          this.readingEvents = null;
        });
        await this.readingEvents;
      }
    } catch (err) {
      // A hub that refuses the question (one older than this client) is asked about each subject, as before.
      if (!(err instanceof VigieApiError && err.status >= 400 && err.status < 500)) throw err;
      this.eventsRefused = true;
      return true;
    }
    return (this.events.about.get(key) ?? []).some((index) => index >= from && index < to);
  }

  private async readEvents(size: number): Promise<void> {
    const events = this.events!;
    if (events.to >= size) return;
    for (let after = events.to - 1; ; ) {
      const page = await this.http.get(routePath(ROUTES.logRecords, {}, { after, limit: RECORDS_PAGE, size }), DirectoryRecordsSchema, await this.token!());
      for (const r of page.records) {
        if (r.subject === null || r.index <= after || r.index >= size) continue;
        const key = `${r.kind}\n${r.subject}`;
        const at = events.about.get(key);
        if (at) at.push(r.index);
        else events.about.set(key, [r.index]);
      }
      if (page.records.length < RECORDS_PAGE) break;
      after = page.records.at(-1)!.index;
    }
    events.to = size;
  }
}
