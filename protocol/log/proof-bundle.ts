/**
 * C2SP tlog-proof: an offline-verifiable proof that an entry is in the log,
 * as observed by witnesses.
 *
 * ```
 * c2sp.org/tlog-proof@v1
 * extra <base64 of opaque extra data>        (optional line)
 * index <leaf index, decimal, no leading zeros>
 * <base64 inclusion proof hash>              (zero or more lines, leaf side first)
 *
 * <signed checkpoint note, verbatim, with any cosignatures>
 * ```
 *
 * Vigie may carry the leaf data in the `extra` line (`leafData`); the spec
 * says it is not authenticated, and the verifier takes the leaf data from
 * its caller, never from the bundle.
 *
 * @example
 * const bundle = formatProofBundle({ index, proof, checkpointNote });
 * verifyProofBundle(crypto, parseProofBundle(bundle), { leafData, logVkey }); // { ok: true, checkpoint }
 */
import type { CryptoPort } from '../crypto-port.js';
import { fromB64, toB64 } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { verifyCosignature } from './cosignature.js';
import { leafHash, verifyInclusion } from './merkle.js';
import { MAX_NOTE_BYTES, parseNote, verifyNoteSignature } from './note.js';
import { isSignatureBy, type ParsedVkey } from './vkey.js';

/** The first line of every proof bundle. */
export const PROOF_BUNDLE_HEADER = 'c2sp.org/tlog-proof@v1';
const MAX_PROOF_HASHES = 63;
const INDEX_LINE = /^index (0|[1-9][0-9]{0,15})$/;
const HASH_LINE = /^[A-Za-z0-9+/]{43}=$/;

/** A proof bundle's parts. */
export interface ProofBundle {
  index: number;
  /** The `extra` line's data, when present (Vigie: the leaf data; unauthenticated). */
  leafData?: Uint8Array;
  /** The inclusion proof, leaf sibling first. */
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  checkpointNote: string;
}

const invalid = (message: string, cause?: unknown) => new ProtocolError('PROOF_INVALID', message, cause === undefined ? undefined : { cause });

/**
 * Formats a proof bundle. Throws ProtocolError('PROOF_INVALID') for a bad
 * index, a proof hash that is not 32 bytes, or a malformed checkpoint note.
 *
 * @example
 * formatProofBundle({ index: 3, proof, checkpointNote: cp.note })
 */
export function formatProofBundle(bundle: ProofBundle): string {
  const { index, leafData, proof, checkpointNote } = bundle;
  if (!Number.isSafeInteger(index) || index < 0) throw invalid('invalid index');
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_HASHES || !proof.every((h) => h instanceof Uint8Array && h.length === 32)) {
    throw invalid('inclusion proof hashes are 32 bytes, at most 63');
  }
  try {
    parseNote(checkpointNote);
  } catch (cause) {
    throw invalid('malformed checkpoint note', cause);
  }
  const extra = leafData === undefined ? '' : `extra ${toB64(leafData)}\n`;
  return `${PROOF_BUNDLE_HEADER}\n${extra}index ${index}\n${proof.map((h) => `${toB64(h)}\n`).join('')}\n${checkpointNote}`;
}

/**
 * Parses a proof bundle strictly. Throws ProtocolError('PROOF_INVALID').
 *
 * @example
 * const bundle = parseProofBundle(await readFile('receipt.tlog-proof', 'utf8'));
 */
export function parseProofBundle(text: string): ProofBundle {
  if (typeof text !== 'string' || text.length > MAX_NOTE_BYTES + 16 * 1024) throw invalid('proof bundle too large');
  let at = 0;
  const nextLine = (): string => {
    const end = text.indexOf('\n', at);
    if (end < 0) throw invalid('truncated proof bundle');
    const line = text.slice(at, end);
    at = end + 1;
    return line;
  };
  if (nextLine() !== PROOF_BUNDLE_HEADER) throw invalid(`the first line is ${PROOF_BUNDLE_HEADER}`);
  let line = nextLine();
  let leafData: Uint8Array | undefined;
  if (line.startsWith('extra ')) {
    try {
      leafData = fromB64(line.slice('extra '.length));
    } catch (cause) {
      throw invalid('extra data is not base64', cause);
    }
    line = nextLine();
  }
  const index = INDEX_LINE.exec(line);
  if (!index || !Number.isSafeInteger(Number(index[1]))) throw invalid('missing or malformed index line');
  const proof: Uint8Array[] = [];
  for (line = nextLine(); line !== ''; line = nextLine()) {
    if (proof.length === MAX_PROOF_HASHES || !HASH_LINE.test(line)) throw invalid('inclusion proof lines are base64 SHA-256 hashes, at most 63');
    try {
      proof.push(fromB64(line));
    } catch (cause) {
      throw invalid('inclusion proof hash is not canonical base64', cause);
    }
  }
  const checkpointNote = text.slice(at);
  try {
    parseNote(checkpointNote);
  } catch (cause) {
    throw invalid('malformed checkpoint note', cause);
  }
  return { index: Number(index[1]), ...(leafData ? { leafData } : {}), proof, checkpointNote };
}

/** Why a proof bundle does not prove its leaf, as a stable code (the `reason` is for developers). */
export type ProofProblem = 'SIGNATURE' | 'ORIGIN' | 'QUORUM' | 'NOT_INCLUDED' | 'MALFORMED';

/** A proof bundle's verdict: the checkpoint it rests on, and when it fails, why. */
export interface ProofVerdict {
  ok: boolean;
  checkpoint?: Checkpoint;
  /** Distinct witnesses of `witnessVkeys` whose cosignature verified (once the log signature did). */
  cosignatures?: number;
  problem?: ProofProblem;
  reason?: string;
}

/**
 * Verifies a proof bundle offline: the checkpoint is signed by `logVkey`
 * (and its origin is `origin`, by default the log key's name), at least
 * `quorum` of `witnessVkeys` (default 0) cosigned it, and
 * leafHash(`leafData`) is included at `index` in that checkpoint's tree.
 * Never throws: `{ ok: false, problem, reason }` for any failure.
 *
 * @example
 * const { ok, checkpoint, problem } = verifyProofBundle(crypto, parseProofBundle(text), { leafData: utf8(leaf), logVkey, witnessVkeys, quorum: 1 });
 */
export function verifyProofBundle(
  crypto: CryptoPort,
  bundle: ProofBundle,
  opts: { leafData: Uint8Array; logVkey: ParsedVkey; witnessVkeys?: ParsedVkey[]; quorum?: number; origin?: string },
): ProofVerdict {
  try {
    const note = parseNote(bundle.checkpointNote);
    if (!verifyNoteSignature(crypto, note, opts.logVkey)) return { ok: false, problem: 'SIGNATURE', reason: 'the checkpoint is not signed by the log key' };
    const checkpoint = parseCheckpoint(note.text);
    if (checkpoint.origin !== (opts.origin ?? opts.logVkey.name)) return { ok: false, problem: 'ORIGIN', reason: 'the checkpoint is from another log' };
    const quorum = opts.quorum ?? 0;
    const cosigners = new Set<string>();
    for (const w of opts.witnessVkeys ?? []) {
      if (note.signatures.some((s) => isSignatureBy(s, w) && verifyCosignature(crypto, note.text, s, w).ok)) cosigners.add(`${w.name}+${toB64(w.keyId)}`);
    }
    const cosignatures = cosigners.size;
    if (cosignatures < quorum) return { ok: false, checkpoint, cosignatures, problem: 'QUORUM', reason: `${cosignatures} of ${quorum} required witness cosignatures` };
    const included = verifyInclusion(crypto, {
      index: bundle.index,
      size: checkpoint.size,
      leafHash: leafHash(crypto, opts.leafData),
      proof: bundle.proof,
      root: checkpoint.rootHash,
    });
    if (!included) return { ok: false, checkpoint, cosignatures, problem: 'NOT_INCLUDED', reason: 'the leaf is not included at that index' };
    return { ok: true, checkpoint, cosignatures };
  } catch {
    return { ok: false, problem: 'MALFORMED', reason: 'malformed proof bundle or checkpoint' };
  }
}
