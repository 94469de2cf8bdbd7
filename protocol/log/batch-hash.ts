/**
 * RFC 6962 hashing a tile at a time: every leaf hash of an entry bundle, and
 * the root of a complete subtree from its leaf hashes level by level, each
 * in one `sha256Ranges` call over one buffer rather than one port call (and
 * one allocation) per leaf and per node. What a verifier of a whole log
 * runs; the results equal `leafHash`, `nodeHash` and `rootOf` exactly.
 * `tiles.ts` re-exports it.
 *
 * @example
 * const { entries, hashes } = hashEntryBundle(crypto, bytes); // hashes: 32 bytes per entry
 * tree.appendLeafHashes(hashes);
 */
import type { CryptoPort } from '../crypto-port.js';
import { ProtocolError } from '../errors.js';
import { HASH_SIZE } from './tree-hash.js';

const NODE_INPUT = 1 + 2 * HASH_SIZE;
// An entry bundle holds the entries of one level-0 tile.
const BUNDLE_ENTRIES = 256;

/**
 * Decodes an entry bundle (as `decodeEntryBundle` does, with the same
 * ProtocolError('ENTRY_BUNDLE_INVALID') refusals) and computes the RFC 6962
 * leaf hash SHA-256(0x00 ‖ entry) of every entry: `hashes` holds 32 bytes
 * per entry, in order; `entries` are views into `bytes`, which is left as it was.
 *
 * @example
 * hashEntryBundle(crypto, encodeEntryBundle([a, b])).hashes // leafHash(a) ‖ leafHash(b)
 */
export function hashEntryBundle(crypto: CryptoPort, bytes: Uint8Array): { entries: Uint8Array[]; hashes: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError('ENTRY_BUNDLE_INVALID');
  const entries: Uint8Array[] = [];
  const starts: number[] = [];
  for (let o = 0; o < bytes.length; ) {
    if (o + 2 > bytes.length || entries.length === BUNDLE_ENTRIES) throw new ProtocolError('ENTRY_BUNDLE_INVALID');
    const length = (bytes[o]! << 8) | bytes[o + 1]!;
    if (o + 2 + length > bytes.length) throw new ProtocolError('ENTRY_BUNDLE_INVALID');
    entries.push(bytes.subarray(o + 2, o + 2 + length));
    starts.push(o);
    o += 2 + length;
  }
  // Each entry follows its two length bytes: while hashing, the second one is the leaf prefix 0x00,
  // so every leaf's input is a range of the bundle itself and nothing is copied. The bytes are
  // put back before returning (or throwing); the call is synchronous, so nobody sees them changed.
  const ranges = new Uint32Array(2 * entries.length);
  const saved = new Uint8Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const o = starts[i]!;
    saved[i] = bytes[o + 1]!;
    bytes[o + 1] = 0x00;
    ranges[2 * i] = o + 1;
    ranges[2 * i + 1] = o + 2 + entries[i]!.length;
  }
  const hashes = new Uint8Array(HASH_SIZE * entries.length);
  try {
    crypto.sha256Ranges(bytes, ranges, hashes);
  } finally {
    for (let i = 0; i < entries.length; i++) bytes[starts[i]! + 1] = saved[i]!;
  }
  return { entries, hashes };
}

/**
 * The parents of a level of hashes: `hashes` holds an even number of
 * 32-byte hashes, the result one SHA-256(0x01 ‖ left ‖ right) per pair.
 * Throws RangeError for an odd count or a length that is not whole hashes.
 *
 * @example
 * parentHashes(crypto, concatBytes(a, b)) // nodeHash(crypto, a, b)
 */
export function parentHashes(crypto: CryptoPort, hashes: Uint8Array): Uint8Array {
  if (!(hashes instanceof Uint8Array) || hashes.length % (2 * HASH_SIZE) !== 0) throw new RangeError('a level of an even number of 32-byte hashes');
  const pairs = hashes.length / (2 * HASH_SIZE);
  const input = new Uint8Array(pairs * NODE_INPUT);
  const ranges = new Uint32Array(2 * pairs);
  for (let i = 0; i < pairs; i++) {
    input[i * NODE_INPUT] = 0x01;
    input.set(hashes.subarray(i * 2 * HASH_SIZE, (i + 1) * 2 * HASH_SIZE), i * NODE_INPUT + 1);
    ranges[2 * i] = i * NODE_INPUT;
    ranges[2 * i + 1] = (i + 1) * NODE_INPUT;
  }
  const out = new Uint8Array(pairs * HASH_SIZE);
  crypto.sha256Ranges(input, ranges, out);
  return out;
}

/**
 * The root of a complete subtree from its leaf hashes (a power of two of
 * them, 32 bytes each), one level at a time. Throws RangeError otherwise.
 *
 * @example
 * completeSubtreeRoot(crypto, hashes) // equals rootOf(crypto, the same hashes one by one)
 */
export function completeSubtreeRoot(crypto: CryptoPort, hashes: Uint8Array): Uint8Array {
  if (!(hashes instanceof Uint8Array) || hashes.length === 0 || hashes.length % HASH_SIZE !== 0) throw new RangeError('leaf hashes are 32 bytes');
  let count = hashes.length / HASH_SIZE;
  while (count > 1 && count % 2 === 0) count /= 2;
  if (count !== 1) throw new RangeError('a complete subtree has a power of two of leaves');
  let level = hashes;
  while (level.length > HASH_SIZE) level = parentHashes(crypto, level);
  return level === hashes ? hashes.slice() : level;
}
