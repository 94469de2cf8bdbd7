/**
 * C2SP tlog-checkpoint: the note text of a signed tree head.
 *
 * ```
 * <origin>\n
 * <tree size, decimal, no leading zeros>\n
 * <root hash, standard base64 of 32 bytes>\n
 * [<extension line>\n]*
 * ```
 *
 * @example
 * formatCheckpoint({ origin: 'vigie.example/log', size: 8, rootHash, extensions: [] })
 * // 'vigie.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n'
 */
import { fromB64, toB64 } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { isNoteSafe } from './vkey.js';

/** A parsed checkpoint (tree head). */
export interface Checkpoint {
  /** The log's identity, e.g. `vigie.example/log`. */
  origin: string;
  /** Number of leaves. */
  size: number;
  /** RFC 6962 root hash at `size` (32 bytes). */
  rootHash: Uint8Array;
  /** Opaque extension lines (not recommended; Vigie writes none). */
  extensions: string[];
}

const SIZE = /^(0|[1-9][0-9]{0,15})$/;
const HASH = /^[A-Za-z0-9+/]{43}=$/;
const MAX_CHECKPOINT_LENGTH = 64 * 1024;
const invalid = (message: string) => new ProtocolError('CHECKPOINT_INVALID', message);

function checkLine(line: unknown, what: string): asserts line is string {
  if (typeof line !== 'string' || line.length === 0 || line.includes('\n') || !isNoteSafe(line)) throw invalid(`invalid ${what} line`);
}

/**
 * The checkpoint note text (ends with a newline; sign it with `signNote`).
 * Throws ProtocolError('CHECKPOINT_INVALID') for an empty or multi-line
 * origin, a size that is not a safe non-negative integer, a root hash that
 * is not 32 bytes, or an empty extension line.
 *
 * @example
 * const text = formatCheckpoint({ origin, size, rootHash, extensions: [] });
 */
export function formatCheckpoint(cp: Checkpoint): string {
  checkLine(cp.origin, 'origin');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw invalid('invalid tree size');
  if (!(cp.rootHash instanceof Uint8Array) || cp.rootHash.length !== 32) throw invalid('a root hash is 32 bytes');
  const extensions = cp.extensions ?? [];
  extensions.forEach((line) => checkLine(line, 'extension'));
  return [cp.origin, String(cp.size), toB64(cp.rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/**
 * Parses a checkpoint note text strictly (the `text` of a parsed note).
 * Throws ProtocolError('CHECKPOINT_INVALID').
 *
 * @example
 * const cp = parseCheckpoint(parseNote(noteText).text);
 * cp.size; cp.rootHash;
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || text.length > MAX_CHECKPOINT_LENGTH || !text.endsWith('\n')) throw invalid('a checkpoint is lines ending in newlines');
  const [origin, size, hash, ...extensions] = text.slice(0, -1).split('\n');
  checkLine(origin, 'origin');
  if (size === undefined || !SIZE.test(size) || !Number.isSafeInteger(Number(size))) throw invalid('tree size is a decimal without leading zeros');
  if (hash === undefined || !HASH.test(hash)) throw invalid('root hash is the base64 of 32 bytes');
  let rootHash: Uint8Array;
  try {
    rootHash = fromB64(hash);
  } catch {
    throw invalid('root hash is the base64 of 32 bytes');
  }
  extensions.forEach((line) => checkLine(line, 'extension'));
  return { origin, size: Number(size), rootHash, extensions };
}
