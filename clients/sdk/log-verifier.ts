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
import { ConsistencyProofSchema, DIRECTORY_KINDS, DirectoryRecordsSchema, LeafAnswerSchema } from '../../protocol/api/log.js';
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


const RECORDS_PAGE = 1000;
/** More pages than this for one growth of the log: the events are not used, each subject is asked about. */
const RECORDS_PAGES_MAX = 50;
/**
 * How long the directory's events stand in for per-subject look-ups: then
 * every subject known absent is asked about again, one look-up each, so that
 * a list that once left an event out does not hide it for longer (and the
 * events kept never pile up).
 */
const EVENTS_RENEW_MS = 60_000;

/** A checkpoint older than this is refreshed before a look-up: a revocation or a rotation since is seen. */
const CHECKPOINT_MAX_AGE_MS = 5_000;

/** The directory's events among leaves [from, to), by kind and subject, read since `since` (ms). */
interface DirectoryEvents {
  since: number;
  from: number;
  to: number;
  about: Map<string, number[]>;
}

export class LogVerifier {
  private vkey: ParsedVkey | null;
  private readonly witnesses: ParsedVkey[];
  private verified: Checkpoint | null = null;
  /** The note the verified checkpoint came in: the same text again is the same checkpoint, already checked. */
  private verifiedNote = '';
  private verifiedAt = 0;
  /** The refresh under way: callers share it (one checkpoint at a time is adopted, never an older after a newer). */
  private refreshing: Promise<Checkpoint> | null = null;
  /** The end of the adoptions under way (refreshes and checkpoints sent along), which run one at a time. */
  private adopting: Promise<unknown> = Promise.resolve();
  private pending = 0;
  /** hasLeaf's answers: kind and subject → present (for good: the log only grows), or the size it was absent at. */
  private readonly seenLeaves = new Map<string, true | number>();
  /**
   * The key-directory and protocol events among leaves [from, to), read
   * once for every subject since `since`: a leaf absent at one size is known
   * absent at a larger one when no event of its kind about its subject came
   * between.
   */
  private events: DirectoryEvents | null = null;
  /** The events' read under way, shared. */
  private readingEvents: Promise<boolean> | null = null;
  /** True once the hub refused to list the events (one older than this client): each subject is then asked about. */
  private eventsRefused = false;

  constructor(
    private readonly http: HubHttp,
    private readonly crypto: CryptoPort,
    readonly trust: LogTrust = {},
    /** Without one, leaves can be checked but not the records they commit to (proveLeaf refuses). */
    private readonly token?: TokenSource,
    /** How long the directory's events stand in for per-subject look-ups (EVENTS_RENEW_MS). */
    private readonly eventsRenewMs = EVENTS_RENEW_MS,
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
    this.refreshing ??= this.inTurn(() => this.fetchCheckpoint()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Verifies and adopts a checkpoint the hub sent along with an answer or a
   * pushed message (the newest it had then, as GET /v1/log/checkpoint would
   * have served it), as `refresh` adopts the one it fetches: signature, origin,
   * witness quorum, and consistency with the last one. Returns the newest
   * checkpoint verified, which a caller passes to `hasLeaf` instead of
   * asking for one: one sent along that is older than the last one adopted
   * (a push overtaken by a refresh) leaves the newer one standing.
   */
  offer(text: string): Promise<Checkpoint> {
    // The one already adopted, with no adoption under way (the usual case: every message of a checkpoint's life).
    if (this.verified && text === this.verifiedNote && this.idle) {
      this.verifiedAt = Date.now();
      return Promise.resolve(this.verified);
    }
    return this.inTurn(async () => {
      const cp = await this.adopt(text);
      // As fresh as one asked for now, unless it was older than the one standing.
      if (this.verifiedNote === text) this.verifiedAt = Date.now();
      return cp;
    });
  }

  /** Adoptions one at a time, in the order they were asked for: never an older checkpoint after a newer. */
  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    this.pending++;
    const turn = this.adopting.then(run, run).finally(() => this.pending--);
    this.adopting = turn.catch(() => undefined);
    return turn;
  }

  /** No adoption is under way or waiting its turn. */
  private get idle(): boolean {
    return this.pending === 0;
  }

  private async fetchCheckpoint(): Promise<Checkpoint> {
    const text = await this.http.requestText('GET', ROUTES.logCheckpoint);
    const cp = await this.adopt(text);
    this.verifiedAt = Date.now();
    return cp;
  }

  /** LOG_INCONSISTENT unless the tree of `newer` extends the tree of `older` (a consistency proof from the hub). */
  private async checkExtends(older: Checkpoint, newer: Checkpoint): Promise<void> {
    if (older.size === 0 || older.size >= newer.size) return;
    const res = await this.http.get(routePath(ROUTES.logConsistency, {}, { from: older.size, to: newer.size }), ConsistencyProofSchema);
    const ok = verifyConsistency(this.crypto, { oldSize: older.size, newSize: newer.size, oldRoot: older.rootHash, newRoot: newer.rootHash, proof: res.proof.map(fromB64) });
    if (!ok) throw new LogVerificationError('LOG_INCONSISTENT', 'the new checkpoint does not extend the last one');
  }

  private async adopt(text: string): Promise<Checkpoint> {
    if (!this.vkey) {
      const key = await this.http.requestText('GET', ROUTES.logKey);
      this.vkey = parseVkey(this.crypto, key.trim());
      this.trust.logKey = key.trim();
    }
    if (this.verified && text === this.verifiedNote) return this.verified;
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
      if (cp.size < prev.size) {
        // An older checkpoint (a push overtaken by a refresh, another instance's cache): the newer one stands,
        // if it extends this one; two signed trees of which neither extends the other are a fork.
        await this.checkExtends(cp, prev);
        return prev;
      }
      if (cp.size === prev.size && toB64u(cp.rootHash) !== toB64u(prev.rootHash)) {
        throw new LogVerificationError('LOG_INCONSISTENT', 'two different trees of the same size');
      }
      await this.checkExtends(prev, cp);
    }
    this.verified = cp;
    this.verifiedNote = text;
    return cp;
  }

  /** The last verified checkpoint if it is younger than `maxAgeMs`, else a fresh one. */
  private async recent(maxAgeMs = CHECKPOINT_MAX_AGE_MS): Promise<Checkpoint> {
    return this.verified && Date.now() - this.verifiedAt < maxAgeMs ? this.verified : this.refresh();
  }

  /**
   * Proves that the latest leaf of `kind` about `subject` is in a verified
   * checkpoint and satisfies `expect`. A leaf written moments ago is waited
   * for (the hub integrates a leaf within its checkpoint gap, a second by default, two at most).
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
   * revocation) in a checkpoint verified within `freshness` ms (0: the newest,
   * asked for now), or in the checkpoint given (one `offer` returned: the
   * newest the hub had when it sent it along). A leaf found is remembered (the log only grows, and every checkpoint
   * adopted extends the last), and so is the size of a checkpoint that had
   * none. When the log has grown since, a directory kind's subject is asked
   * about again only if the directory's events in between name it (one
   * request a growth for every subject; every subject is asked again once a
   * minute anyway); any other kind is asked again.
   */
  async hasLeaf(kind: string, subject: string, freshness: number | Checkpoint = CHECKPOINT_MAX_AGE_MS): Promise<boolean> {
    const key = `${kind}\n${subject}`;
    if (this.seenLeaves.get(key) === true) return true;
    const cp = typeof freshness === 'number' ? await this.recent(freshness) : freshness;
    this.renewEvents();
    const absentAt = this.seenLeaves.get(key);
    if (absentAt === cp.size) return false;
    if (typeof absentAt === 'number' && absentAt < cp.size && DIRECTORY_KINDS.some((k) => k === kind) && !(await this.mustAsk(key, absentAt, cp.size))) {
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
   * False when the directory's events between size `from` and the newest
   * checkpoint (verified within `freshness` ms) name no leaf of `kind` about
   * `subject` (a directory kind); true when they name one, or when they
   * cannot tell (no member key to read them, a hub that does not serve them,
   * events kept from a later size): the caller then asks the hub. The events
   * are the hub's word, as a look-up's "not found" is.
   */
  async mayHaveLeafSince(kind: string, subject: string, from: number, freshness = CHECKPOINT_MAX_AGE_MS): Promise<boolean> {
    const cp = await this.recent(freshness);
    if (cp.size <= from) return false;
    this.renewEvents();
    return this.mustAsk(`${kind}\n${subject}`, from, cp.size);
  }

  /** Every `eventsRenewMs`, the events are dropped and every subject known absent is asked about again. */
  private renewEvents(): void {
    if (!this.events || Date.now() - this.events.since < this.eventsRenewMs) return;
    this.events = null;
    for (const [key, seen] of this.seenLeaves) if (seen !== true) this.seenLeaves.delete(key);
  }

  /**
   * Whether the subject in `key` must be asked about again for leaves
   * [from, to): true when the directory's events in that range name it, or
   * when they cannot be used. The list is the hub's word, as a look-up's "not
   * found" is; a leaf it names is proven by the look-up that follows. The
   * events are read once, by every caller at once, and kept from the first
   * size asked about.
   */
  private async mustAsk(key: string, from: number, to: number): Promise<boolean> {
    if (!this.token || this.eventsRefused) return true;
    const events: DirectoryEvents = (this.events ??= { since: Date.now(), from, to: from, about: new Map() });
    if (from < events.from) return true;
    try {
      while (events.to < to) {
        this.readingEvents ??= this.readEvents(events, to).finally(() => {
          this.readingEvents = null;
        });
        // A list that does not hold together (pages out of order, another size, no end): each subject is asked.
        if (!(await this.readingEvents) && events.to < to) return true;
      }
    } catch (err) {
      // A hub older than this client does not know the question (VALIDATION_FAILED, or no such route).
      if (!(err instanceof VigieApiError && (err.status === 400 || err.status === 404))) throw err;
      this.eventsRefused = true;
      return true;
    }
    return (events.about.get(key) ?? []).some((index) => index >= from && index < to);
  }

  /** Reads the events of leaves [events.to, size) into `events`; false (nothing kept) when the pages do not hold together. */
  private async readEvents(events: DirectoryEvents, size: number): Promise<boolean> {
    if (events.to >= size) return true;
    const read: [string, number][] = [];
    let after = events.to - 1;
    for (let pages = 0; pages < RECORDS_PAGES_MAX; pages++) {
      const page = await this.http.get(routePath(ROUTES.logRecords, {}, { after, limit: RECORDS_PAGE, size }), DirectoryRecordsSchema, await this.token!());
      if (page.size !== size) return false;
      for (const r of page.records) {
        if (r.index <= after || r.index >= size) return false;
        after = r.index;
        if (r.subject !== null) read.push([`${r.kind}\n${r.subject}`, r.index]);
      }
      if (page.records.length < RECORDS_PAGE) {
        for (const [key, index] of read) {
          const at = events.about.get(key);
          if (at) at.push(index);
          else events.about.set(key, [index]);
        }
        events.to = Math.max(events.to, size);
        return true;
      }
    }
    return false;
  }
}
