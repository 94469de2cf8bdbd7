/**
 * A streaming Merkle tree head: a verifier that downloads every entry bundle
 * recomputes the root with O(log n) memory (the right-edge stack only) and
 * one interior hash per leaf on average. `tiles.ts` re-exports it.
 *
 * @example
 * const tree = new TreeBuilder(crypto);
 * for (const entry of decodeEntryBundle(bytes)) tree.appendEntry(entry);
 * bytesEqual(tree.root(), checkpoint.rootHash); // the log is what it claims
 */
import type { CryptoPort } from '../crypto-port.js';
import { completeSubtreeRoot } from './batch-hash.js';
import { emptyRoot, HASH_SIZE, leafHash, nodeHash } from './tree-hash.js';

/**
 * Builds the RFC 6962 root of a list of leaves appended one by one.
 *
 * @example
 * const tree = new TreeBuilder(crypto);
 * tree.append(leafHash(crypto, data));
 * tree.size; // 1
 * tree.root(); // equals the leaf hash
 */
export class TreeBuilder {
  readonly #crypto: CryptoPort;
  /** Roots of the right-edge complete subtrees, largest first (one per 1-bit of size). */
  readonly #edge: Uint8Array[] = [];
  #size = 0;

  constructor(crypto: CryptoPort) {
    this.#crypto = crypto;
  }

  /** The number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends one leaf by its leaf hash (32 bytes; kept by reference).
   *
   * @example
   * tree.append(leafHash(crypto, utf8('{"kind":"message.accepted"}')));
   */
  append(hash: Uint8Array): void {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw new RangeError('leaf hashes are 32 bytes');
    if (this.#size === Number.MAX_SAFE_INTEGER) throw new RangeError('tree size out of range');
    this.#pushSubtree(hash, 1);
  }

  /**
   * Appends many leaves by their leaf hashes, 32 bytes each in one buffer
   * (as `hashEntryBundle` returns them; copied, not kept). Equal to
   * `append` on each in turn, but each aligned complete subtree is hashed a
   * level at a time in one port call per level.
   *
   * @example
   * tree.appendLeafHashes(hashEntryBundle(crypto, bytes).hashes);
   */
  appendLeafHashes(hashes: Uint8Array): void {
    if (!(hashes instanceof Uint8Array) || hashes.length % HASH_SIZE !== 0) throw new RangeError('leaf hashes are 32 bytes');
    const count = hashes.length / HASH_SIZE;
    if (!Number.isSafeInteger(this.#size + count)) throw new RangeError('tree size out of range');
    for (let at = 0; at < count; ) {
      // The largest complete subtree that starts at the current size and fits in what is left.
      let width = 1;
      while (this.#size % (width * 2) === 0 && width * 2 <= count - at) width *= 2;
      this.#pushSubtree(completeSubtreeRoot(this.#crypto, hashes.subarray(at * HASH_SIZE, (at + width) * HASH_SIZE)), width);
      at += width;
    }
  }

  /** Appends the root of a complete subtree of `width` leaves (a power of two dividing the size). */
  #pushSubtree(root: Uint8Array, width: number): void {
    let node = root;
    // Each trailing 1-bit of size / width is a complete subtree the new one completes.
    for (let s = this.#size / width; s % 2 === 1; s = (s - 1) / 2) node = nodeHash(this.#crypto, this.#edge.pop()!, node);
    this.#edge.push(node);
    this.#size += width;
  }

  /**
   * Appends one leaf by its data (hashes it as an RFC 6962 leaf).
   *
   * @example
   * for (const entry of decodeEntryBundle(bytes)) tree.appendEntry(entry);
   */
  appendEntry(data: Uint8Array): void {
    this.append(leafHash(this.#crypto, data));
  }

  /**
   * The root hash of the leaves appended so far (SHA-256("") when none).
   *
   * @example
   * toB64(tree.root()) === toB64(checkpoint.rootHash)
   */
  root(): Uint8Array {
    const edge = this.#edge;
    if (edge.length === 0) return emptyRoot(this.#crypto);
    let hash = edge[edge.length - 1]!;
    for (let i = edge.length - 2; i >= 0; i--) hash = nodeHash(this.#crypto, edge[i]!, hash);
    return hash;
  }
}
