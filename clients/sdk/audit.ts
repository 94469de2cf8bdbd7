/**
 * The auditor's checks of the disclosure log, from outside the hub: the
 * checkpoint's signature and witness quorum, consistency with the last
 * checkpoint the auditor saved, and (full) every entry re-hashed into the
 * root; and offline verification of a message receipt.
 *
 * @example
 * const report = await auditLog({ url, logKey, witnesses, quorum: 1, saved, full: true });
 * if (!report.ok) console.error(report.problems);
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64, toB64, utf8 } from '../../protocol/encoding.js';
import { parseCheckpoint, type Checkpoint } from '../../protocol/log/checkpoint.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import { verifyLeafRecord } from '../../protocol/log/commitment.js';
import { leafHash, verifyConsistency } from '../../protocol/log/merkle.js';
import { parseNote, parseVkey, verifyNoteSignature } from '../../protocol/log/note.js';
import { parseProofBundle, verifyProofBundle } from '../../protocol/log/proof-bundle.js';
import { decodeEntryBundle, entriesPath, TILE_WIDTH, TreeBuilder } from '../../protocol/log/tiles.js';
import { loadSodium } from '../../protocol/sodium.js';
import { HubHttp } from './http.js';

const PREFETCH = 4;

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
}

export type AuditProblem =
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'QUORUM_NOT_MET'
  | 'LOG_SHRANK'
  | 'LOG_FORKED'
  | 'ENTRIES_MISSING'
  | 'ROOT_MISMATCH';

export interface AuditReport {
  ok: boolean;
  problems: AuditProblem[];
  checkpoint: Checkpoint | null;
  cosignatures: number;
  /** What to save for the next run (only when ok). */
  save: SavedCheckpoint | null;
  entriesChecked: number;
}

export async function auditLog(opts: AuditOptions, crypto?: CryptoPort): Promise<AuditReport> {
  const c = crypto ?? (await loadSodium());
  const http = new HubHttp(opts.url);
  const vkey = parseVkey(c, opts.logKey);
  const problems: AuditProblem[] = [];
  const note = parseNote(await http.requestText('GET', '/v1/log/checkpoint'));
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
      const res = await http.get<{ proof: string[] }>(`/v1/log/proof/consistency?from=${saved.size}&to=${cp.size}`).catch(() => ({ proof: [] as string[] }));
      const ok = verifyConsistency(c, { oldSize: saved.size, newSize: cp.size, oldRoot: fromB64(saved.rootHash), newRoot: cp.rootHash, proof: res.proof.map(fromB64) });
      if (!ok) problems.push('LOG_FORKED');
    }
  }

  let entriesChecked = 0;
  if (opts.full) {
    const tree = new TreeBuilder(c);
    const tiles = Math.ceil(cp.size / TILE_WIDTH);
    const fetchTile = async (n: number): Promise<Uint8Array[] | null> => {
      const width = Math.min(TILE_WIDTH, cp.size - n * TILE_WIDTH);
      try {
        const res = await fetch(new URL(`/v1/log/${entriesPath(n, width === TILE_WIDTH ? undefined : width)}`, opts.url));
        if (!res.ok) return null;
        return decodeEntryBundle(new Uint8Array(await res.arrayBuffer()));
      } catch {
        return null;
      }
    };
    // Downloads run ahead of hashing, a few tiles at a time.
    const ahead: Promise<Uint8Array[] | null>[] = [];
    for (let n = 0; n < Math.min(PREFETCH, tiles); n++) ahead.push(fetchTile(n));
    for (let n = 0; n < tiles; n++) {
      const width = Math.min(TILE_WIDTH, cp.size - n * TILE_WIDTH);
      const entries = await ahead.shift()!;
      if (n + PREFETCH < tiles) ahead.push(fetchTile(n + PREFETCH));
      if (!entries) {
        problems.push('ENTRIES_MISSING');
        break;
      }
      if (entries.length !== width) {
        problems.push('ENTRIES_MISSING');
        break;
      }
      for (const e of entries) tree.append(leafHash(c, e));
      entriesChecked += entries.length;
      opts.onProgress?.(entriesChecked, cp.size);
    }
    if (!problems.includes('ENTRIES_MISSING') && toB64(tree.root()) !== toB64(cp.rootHash)) problems.push('ROOT_MISMATCH');
  }
  const ok = problems.length === 0;
  return {
    ok,
    problems,
    checkpoint: cp,
    cosignatures,
    save: ok ? { origin: cp.origin, size: cp.size, rootHash: toB64(cp.rootHash) } : null,
    entriesChecked,
  };
}

/**
 * A message receipt as the hub serves it (GET /v1/messages/:id/receipt), saved
 * to a file: the leaf (the salted commitment the log carries), the record it
 * commits to and its salt (null for a leaf written before commitments, which
 * carries its record), and the tlog-proof bundle.
 */
export interface ReceiptFile {
  message: string;
  index: number;
  leaf: string;
  record: string;
  salt: string | null;
  bundle: string;
}

export type ReceiptProblem = 'MALFORMED' | 'NOT_ACCEPTANCE' | 'OTHER_MESSAGE' | 'NOT_PROVEN';

/**
 * Verifies a receipt offline: that its leaf records the acceptance of this
 * message, its inclusion, the checkpoint signature and the witness quorum.
 * Never throws on a hostile file: every failure is a `problem` code.
 */
export async function proveReceipt(
  receipt: ReceiptFile,
  trust: { logKey: string; witnesses?: string[]; quorum?: number },
  crypto?: CryptoPort,
): Promise<{ ok: boolean; problem?: ReceiptProblem; reason?: string; checkpoint?: Checkpoint; leaf?: Record<string, unknown> }> {
  const c = crypto ?? (await loadSodium());
  let leaf: Record<string, unknown>;
  let bundle;
  try {
    leaf = JSON.parse(receipt.record) as Record<string, unknown>;
    bundle = parseProofBundle(receipt.bundle);
  } catch {
    return { ok: false, problem: 'MALFORMED', reason: 'malformed receipt' };
  }
  if (!verifyLeafRecord((d) => c.sha256(d), receipt.leaf, receipt.record, receipt.salt)) {
    return { ok: false, problem: 'OTHER_MESSAGE', reason: 'the record does not match the leaf: another message' };
  }
  if (leaf?.type !== 'message.accepted') return { ok: false, problem: 'NOT_ACCEPTANCE', reason: 'the leaf does not record an acceptance' };
  if (leaf.message !== receipt.message) return { ok: false, problem: 'OTHER_MESSAGE', reason: 'the leaf is about another message' };
  const verdict = verifyProofBundle(c, bundle, {
    leafData: utf8(receipt.leaf),
    logVkey: parseVkey(c, trust.logKey),
    ...(trust.witnesses ? { witnessVkeys: trust.witnesses.map((w) => parseVkey(c, w)) } : {}),
    ...(trust.quorum ? { quorum: trust.quorum } : {}),
  });
  return verdict.ok ? { ...verdict, leaf } : { ...verdict, problem: 'NOT_PROVEN', leaf };
}
