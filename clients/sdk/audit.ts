/**
 * The auditor's checks of the disclosure log, from outside the hub: the
 * checkpoint's signature and witness quorum, consistency with the last
 * checkpoint the auditor saved, and (full) every entry re-hashed into the
 * root; and offline verification of a message's acceptance proof.
 *
 * @example
 * const report = await auditLog({ url, logKey, witnesses, quorum: 1, saved, full: true });
 * if (!report.ok) console.error(report.problems);
 */
import { Value } from '@sinclair/typebox/value';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64, toB64, utf8 } from '../../protocol/encoding.js';
import { parseCheckpoint, type Checkpoint } from '../../protocol/log/checkpoint.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import { verifyLeafRecord } from '../../protocol/log/commitment.js';
import { verifyConsistency } from '../../protocol/log/merkle.js';
import { parseNote, parseVkey, verifyNoteSignature } from '../../protocol/log/note.js';
import { parseProofBundle, verifyProofBundle, type ProofProblem } from '../../protocol/log/proof-bundle.js';
import { entriesPath, hashEntryBundle, TILE_WIDTH, TreeBuilder } from '../../protocol/log/tiles.js';
import { loadSodium } from '../../protocol/sodium.js';
import { AgencyListSchema, InboxViewSchema } from '../../protocol/api/identity.js';
import { parseLeafRecord, type LeafRecord } from '../../protocol/api/leaf-record.js';
import { ConsistencyProofSchema, DirectoryRecordsSchema, AcceptanceProofSchema, type DirectoryRecord, type AcceptanceProof } from '../../protocol/api/log.js';
import { inboxParams, ROUTES, routePath } from '../../protocol/api/routes.js';
import { HubHttp } from './http.js';

// Tiles downloaded ahead of hashing: the hub reads them from its database in pages of 16 tiles,
// and two pages under way keep it busy while this side hashes (8 left it waiting: 1,000,000
// leaves verified in 6.3 s, 4.9–5.4 s with 32; 64 overran the hub's tile cache).
const PREFETCH = 32;

export interface SavedCheckpoint {
  origin: string;
  size: number;
  /** Standard base64 root hash. */
  rootHash: string;
}

export interface AuditOptions {
  url: string;
  logKey: string;
  witnesses?: string[];
  quorum?: number;
  saved?: SavedCheckpoint | null;
  full?: boolean;
  onProgress?: (done: number, total: number) => void;
  /**
   * A member's access token: with one, the key directory is audited too
   * (records of key events checked against their leaves, against each other
   * and against the keys the hub serves now).
   */
  token?: () => Promise<string>;
  /** The person's language: the hub's refusals come back in it. French by default. */
  lang?: 'fr' | 'en';
}

export type AuditProblem =
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'QUORUM_NOT_MET'
  | 'LOG_SHRANK'
  | 'LOG_FORKED'
  | 'ENTRIES_MISSING'
  | 'ROOT_MISMATCH'
  | KeyAlarmCode;

/** What a monitor of the key directory raises (see `checkKeyEvents`). */
export type KeyAlarmCode =
  | 'KEY_REGISTERED_TWICE'
  | 'INBOX_KEY_UNEXPLAINED'
  | 'KEY_NOT_IN_LOG'
  | 'RECORD_MISMATCH'
  | 'REVOCATION_NOT_ROTATED'
  | 'KEY_SEALED_TO_REVOKED';

export interface KeyAlarm {
  code: KeyAlarmCode;
  /** The agency, inbox or member concerned. */
  subject: string;
  /** The leaf that raised it, when a leaf did. */
  index: number | null;
}

export interface AuditReport {
  ok: boolean;
  problems: AuditProblem[];
  checkpoint: Checkpoint | null;
  cosignatures: number;
  /** What to save for the next run (only when ok). */
  save: SavedCheckpoint | null;
  entriesChecked: number;
  /** Key-directory events checked (null without a member token). */
  keyEvents: number | null;
  alarms: KeyAlarm[];
}

/** A directory event as `GET /v1/log/records` serves it (protocol/api/log.ts). */
export type { DirectoryRecord };

/** The record field that names a key event's subject. */
const SUBJECT_FIELD: Readonly<Record<string, string>> = {
  'key.agency_registered': 'agency',
  'key.inbox_registered': 'inbox',
  'key.rotated': 'inbox',
  'key.member_registered': 'member',
  'key.member_revoked': 'member',
};

/**
 * The key directory's rules, over its events in log order: an agency
 * registers one root key, once; a device is enrolled once; an inbox gets its
 * first key at registration and every later one by a `key.rotated` leaf that
 * follows the previous version. Anything else is an alarm: whoever writes
 * the hub's database may have substituted a key. Pure; never throws.
 *
 * @example
 * checkKeyEvents(records).map((a) => `${a.code} ${a.subject}`) // ['KEY_REGISTERED_TWICE police-laval']
 */
export function checkKeyEvents(records: readonly DirectoryRecord[]): { alarms: KeyAlarm[]; roots: Map<string, string>; inboxKeys: Map<string, { key: string; version: number }> } {
  const alarms: KeyAlarm[] = [];
  const roots = new Map<string, string>();
  const inboxKeys = new Map<string, { key: string; version: number }>();
  const members = new Map<string, string[]>();
  const revoked = new Set<string>();
  // Each revocation must be followed by a rotation of every inbox the device was enrolled for.
  const owedRotations = new Map<string, { member: string; index: number }>();
  for (const r of records) {
    const rec = parseLeafRecord(r.record);
    if (!rec) {
      alarms.push({ code: 'RECORD_MISMATCH', subject: String(r.index), index: r.index });
      continue;
    }
    const str = (k: string) => (typeof rec[k] === 'string' ? (rec[k] as string) : '');
    const field = SUBJECT_FIELD[r.kind];
    // A leaf indexed under one subject whose record names another would hide a second registration.
    if (field && r.subject !== undefined && r.subject !== str(field)) {
      alarms.push({ code: 'RECORD_MISMATCH', subject: r.subject ?? str(field), index: r.index });
      continue;
    }
    // After an alarm, the latest logged key is the one compared with what the hub serves: one alarm per substitution.
    if (r.kind === 'key.agency_registered') {
      if (roots.has(str('agency'))) alarms.push({ code: 'KEY_REGISTERED_TWICE', subject: str('agency'), index: r.index });
      roots.set(str('agency'), str('rootKey'));
    } else if (r.kind === 'key.member_registered') {
      if (members.has(str('member'))) alarms.push({ code: 'KEY_REGISTERED_TWICE', subject: str('member'), index: r.index });
      members.set(str('member'), Array.isArray(rec.inboxes) ? rec.inboxes.filter((i): i is string => typeof i === 'string') : []);
    } else if (r.kind === 'key.member_revoked') {
      revoked.add(str('member'));
      for (const inbox of members.get(str('member')) ?? []) owedRotations.set(`${str('member')}|${inbox}`, { member: str('member'), index: r.index });
    } else if (r.kind === 'key.inbox_registered') {
      if (inboxKeys.has(str('inbox'))) alarms.push({ code: 'INBOX_KEY_UNEXPLAINED', subject: str('inbox'), index: r.index });
      inboxKeys.set(str('inbox'), { key: str('encryptionKey'), version: Number(rec.keyVersion) });
    } else if (r.kind === 'key.rotated') {
      const before = inboxKeys.get(str('inbox'));
      const version = Number(rec.keyVersion);
      if (!before || Number(rec.previousKeyVersion) !== before.version || version !== before.version + 1) {
        alarms.push({ code: 'INBOX_KEY_UNEXPLAINED', subject: str('inbox'), index: r.index });
      }
      inboxKeys.set(str('inbox'), { key: str('encryptionKey'), version });
      if (typeof rec.member === 'string') owedRotations.delete(`${rec.member}|${str('inbox')}`);
      const sealedTo = Array.isArray(rec.sealedTo) ? rec.sealedTo : [];
      for (const m of sealedTo) if (typeof m === 'string' && revoked.has(m)) alarms.push({ code: 'KEY_SEALED_TO_REVOKED', subject: `${str('inbox')} → ${m}`, index: r.index });
    }
  }
  for (const [key, owed] of owedRotations) alarms.push({ code: 'REVOCATION_NOT_ROTATED', subject: key.replace('|', ' → '), index: owed.index });
  return { alarms, roots, inboxKeys };
}

export async function auditLog(opts: AuditOptions, crypto?: CryptoPort): Promise<AuditReport> {
  const c = crypto ?? (await loadSodium());
  const http = new HubHttp(opts.url, opts.lang);
  const vkey = parseVkey(c, opts.logKey);
  const problems: AuditProblem[] = [];
  const note = parseNote(await http.requestText('GET', ROUTES.logCheckpoint));
  if (!verifyNoteSignature(c, note, vkey)) problems.push('CHECKPOINT_SIGNATURE_INVALID');
  const cp = parseCheckpoint(note.text);
  if (cp.origin !== vkey.name) problems.push('CHECKPOINT_ORIGIN_MISMATCH');
  const witnesses = (opts.witnesses ?? []).map((w) => parseVkey(c, w));
  const cosignatures = witnesses.filter((w) => note.signatures.some((s) => s.name === w.name && verifyCosignature(c, note.text, s, w).ok)).length;
  if (cosignatures < (opts.quorum ?? 0)) problems.push('QUORUM_NOT_MET');

  const saved = opts.saved;
  if (saved && saved.origin === cp.origin) {
    if (cp.size < saved.size) problems.push('LOG_SHRANK');
    else if (cp.size === saved.size) {
      if (toB64(cp.rootHash) !== saved.rootHash) problems.push('LOG_FORKED');
    } else if (saved.size > 0) {
      const res = await http.get(routePath(ROUTES.logConsistency, {}, { from: saved.size, to: cp.size }), ConsistencyProofSchema).catch(() => ({ proof: [] as string[] }));
      const ok = verifyConsistency(c, { oldSize: saved.size, newSize: cp.size, oldRoot: fromB64(saved.rootHash), newRoot: cp.rootHash, proof: res.proof.map(fromB64) });
      if (!ok) problems.push('LOG_FORKED');
    }
  }

  // The key directory's events, read with a member's token, checked against their leaves during the full pass.
  const records: DirectoryRecord[] = [];
  if (opts.token) {
    const token = await opts.token();
    for (let after = -1; ; ) {
      const page = await http.get(routePath(ROUTES.logRecords, {}, { after, limit: 1000 }), DirectoryRecordsSchema, token);
      records.push(...page.records.filter((r) => r.index < cp.size));
      if (page.records.length < 1000) break;
      after = page.records.at(-1)!.index;
    }
  }
  const recordAt = new Map(records.map((r) => [r.index, r]));
  const alarms: KeyAlarm[] = [];

  let entriesChecked = 0;
  if (opts.full) {
    const tree = new TreeBuilder(c);
    const tiles = Math.ceil(cp.size / TILE_WIDTH);
    const fetchTile = async (n: number): Promise<Uint8Array | null> => {
      const width = Math.min(TILE_WIDTH, cp.size - n * TILE_WIDTH);
      return http.bytes(`/v1/log/${entriesPath(n, width === TILE_WIDTH ? undefined : width)}`).catch(() => null);
    };
    // Downloads run ahead of hashing, a few tiles at a time.
    const ahead: Promise<Uint8Array | null>[] = [];
    for (let n = 0; n < Math.min(PREFETCH, tiles); n++) ahead.push(fetchTile(n));
    for (let n = 0; n < tiles; n++) {
      const width = Math.min(TILE_WIDTH, cp.size - n * TILE_WIDTH);
      const bundle = await ahead.shift()!;
      if (n + PREFETCH < tiles) ahead.push(fetchTile(n + PREFETCH));
      let hashed: ReturnType<typeof hashEntryBundle> | null = null;
      try {
        hashed = bundle && hashEntryBundle(c, bundle);
      } catch {
        // a malformed bundle: its entries are missing as far as the auditor can tell
      }
      if (!hashed || hashed.entries.length !== width) {
        problems.push('ENTRIES_MISSING');
        break;
      }
      // A whole tile at a time: each aligned subtree hashed level by level, in one port call per level.
      tree.appendLeafHashes(hashed.hashes);
      if (recordAt.size > 0) hashed.entries.forEach((e, i) => {
        const r = recordAt.get(n * TILE_WIDTH + i);
        if (r && !verifyLeafRecord((d) => c.sha256(d), new TextDecoder().decode(e), r.record, r.salt)) {
          alarms.push({ code: 'RECORD_MISMATCH', subject: r.kind, index: r.index });
        }
      });
      entriesChecked += hashed.entries.length;
      opts.onProgress?.(entriesChecked, cp.size);
    }
    if (!problems.includes('ENTRIES_MISSING') && toB64(tree.root()) !== toB64(cp.rootHash)) problems.push('ROOT_MISMATCH');
  }
  if (opts.token) {
    const checked = checkKeyEvents(records);
    alarms.push(...checked.alarms);
    alarms.push(...(await servedKeysNotLogged(http, checked.roots, checked.inboxKeys)));
    for (const a of alarms) if (!problems.includes(a.code)) problems.push(a.code);
  }
  const ok = problems.length === 0;
  return {
    ok,
    problems,
    checkpoint: cp,
    cosignatures,
    save: ok ? { origin: cp.origin, size: cp.size, rootHash: toB64(cp.rootHash) } : null,
    entriesChecked,
    keyEvents: opts.token ? records.length : null,
    alarms,
  };
}

/**
 * The keys the hub serves now against those the log recorded last: a root
 * key or inbox key in the directory that no leaf explains was written into
 * the database behind the log's back.
 */
async function servedKeysNotLogged(http: HubHttp, roots: Map<string, string>, inboxKeys: Map<string, { key: string; version: number }>): Promise<KeyAlarm[]> {
  const alarms: KeyAlarm[] = [];
  const agencies = await http.get(ROUTES.agencies, AgencyListSchema);
  for (const a of agencies) if (roots.get(a.id) !== a.rootKey) alarms.push({ code: 'KEY_NOT_IN_LOG', subject: a.id, index: null });
  for (const [inbox, logged] of inboxKeys) {
    const served = await http.get(routePath(ROUTES.inbox, inboxParams(inbox)), InboxViewSchema).catch(() => null);
    const doc = served?.certificate.document;
    if (!doc || doc.encryptionKey !== logged.key || doc.keyVersion !== logged.version) alarms.push({ code: 'INBOX_KEY_UNEXPLAINED', subject: inbox, index: null });
  }
  return alarms;
}

/**
 * A message's acceptance proof as the hub serves it (GET
 * /v1/messages/:id/acceptance-proof), saved to a file (`vigie audit proof`,
 * `<message>.tlog-proof.json`): the leaf (the salted commitment the log
 * carries), the record it commits to and its salt (null for a leaf written
 * before commitments, which carries its record), and the tlog-proof bundle.
 * Not a signed receipt (`delivered`, `acknowledged`), which a recipient device signs.
 */
export { AcceptanceProofSchema, type AcceptanceProof };

/**
 * An acceptance proof file's content, checked against AcceptanceProofSchema
 * (only its fields are kept); null when it is not one.
 *
 * @example
 * const proof = parseAcceptanceProof(JSON.parse(await file.text()));
 */
export function parseAcceptanceProof(value: unknown): AcceptanceProof | null {
  if (!Value.Check(AcceptanceProofSchema, value)) return null;
  const { message, index, leaf, record, salt, bundle } = value;
  return { message, index, leaf, record, salt, bundle };
}

/** The origin of the log whose checkpoint an acceptance proof's bundle carries (to pick the key to trust); null when it does not parse. */
export function acceptanceProofOrigin(proof: Pick<AcceptanceProof, 'bundle'>): string | null {
  try {
    return parseCheckpoint(parseNote(parseProofBundle(proof.bundle).checkpointNote).text).origin;
  } catch {
    return null;
  }
}

/**
 * Why an acceptance proof proves nothing: it does not parse, its record is not what its
 * leaf commits to, the leaf is not an acceptance or is about another message,
 * or the bundle fails (ProofProblem: signature, origin, quorum, inclusion).
 */
export type AcceptanceProofProblem = 'MALFORMED' | 'RECORD_MISMATCH' | 'NOT_ACCEPTANCE' | 'OTHER_MESSAGE' | ProofProblem;

export interface AcceptanceProofVerdict {
  ok: boolean;
  problem?: AcceptanceProofProblem;
  /** For developers; a person reads the problem code in words. */
  reason?: string;
  checkpoint?: Checkpoint;
  /** Witness cosignatures that verified (the quorum asked is the caller's). */
  cosignatures?: number;
  /** The proven record: the acceptance of the message (only trust it when ok). */
  leaf?: Record<string, unknown>;
  /** The leaf's position in the log. */
  index?: number;
}

/**
 * Verifies an acceptance proof offline: that its leaf records the acceptance of this
 * message, its inclusion, the checkpoint signature and the witness quorum.
 * Never throws on a hostile file: every failure is a `problem` code.
 *
 * @example
 * const verdict = await verifyAcceptanceProof(proof, { logKey, witnesses, quorum: 1 });
 * if (!verdict.ok) show(verdict.problem); // 'RECORD_MISMATCH'
 */
export async function verifyAcceptanceProof(proof: AcceptanceProof, trust: { logKey: string; witnesses?: string[]; quorum?: number }, crypto?: CryptoPort): Promise<AcceptanceProofVerdict> {
  const c = crypto ?? (await loadSodium());
  let leaf: LeafRecord;
  let bundle;
  try {
    const parsed = parseLeafRecord(proof.record);
    if (!parsed) throw new SyntaxError('not a record');
    leaf = parsed;
    bundle = parseProofBundle(proof.bundle);
    if (!verifyLeafRecord((d) => c.sha256(d), proof.leaf, proof.record, proof.salt)) {
      return { ok: false, problem: 'RECORD_MISMATCH', reason: 'the record does not match its leaf' };
    }
  } catch {
    return { ok: false, problem: 'MALFORMED', reason: 'malformed acceptance proof' };
  }
  if (leaf.type !== 'message.accepted') return { ok: false, problem: 'NOT_ACCEPTANCE', reason: 'the leaf does not record an acceptance' };
  if (leaf.message !== proof.message) return { ok: false, problem: 'OTHER_MESSAGE', reason: 'the leaf is about another message' };
  const verdict = verifyProofBundle(c, bundle, {
    leafData: utf8(proof.leaf),
    logVkey: parseVkey(c, trust.logKey),
    ...(trust.witnesses ? { witnessVkeys: trust.witnesses.map((w) => parseVkey(c, w)) } : {}),
    ...(trust.quorum ? { quorum: trust.quorum } : {}),
  });
  return { ...verdict, leaf, index: bundle.index };
}
