/**
 * The small crypto port that the rest of `protocol/` calls. One adapter
 * (`sodium.ts`) implements it with libsodium; nothing else imports libsodium.
 *
 * @example
 * const crypto = await loadSodium();
 * const { publicKey, secretKey } = crypto.signKeypair();
 */
export interface KeyPair {
  publicKey: Uint8Array;
  /** Ed25519: 64 bytes (seed ‖ public key); X25519: 32 bytes. */
  secretKey: Uint8Array;
}

export interface Argon2idParams {
  opslimit: number;
  memlimit: number;
}

export interface CryptoPort {
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  /**
   * SHA-256 of many byte ranges of one buffer in one call: range i is
   * `data[ranges[2i], ranges[2i+1])`, its digest is written to
   * `out[32i, 32i+32)`. Hashing a whole log calls this once per tile
   * instead of the port once per leaf and per node. Throws RangeError when
   * a range is out of `data` or `out` is too short.
   *
   * @example
   * const out = new Uint8Array(64);
   * crypto.sha256Ranges(bytes, Uint32Array.of(0, 3, 3, bytes.length), out); // two digests
   */
  sha256Ranges(data: Uint8Array, ranges: Uint32Array, out: Uint8Array): void;

  /** Ed25519 key pair, random or from a 32-byte seed. */
  signKeypair(seed?: Uint8Array): KeyPair;
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** Never throws: false for any malformed key or signature. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;

  /** X25519 key pair, random or from a 32-byte seed. */
  boxKeypair(seed?: Uint8Array): KeyPair;
  /** The X25519 public key of a secret key. */
  boxPublicKey(secretKey: Uint8Array): Uint8Array;
  /** crypto_box_seal: anonymous sealed box to an X25519 public key. */
  seal(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** Returns null (never throws) when the box does not open. */
  sealOpen(box: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null;

  /** XChaCha20-Poly1305-IETF; nonce is 24 bytes, key 32. */
  aeadEncrypt(plaintext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /** Returns null (never throws) when authentication fails. */
  aeadDecrypt(ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;

  /** Argon2id13 (crypto_pwhash) → 32-byte key. */
  argon2id(passphrase: Uint8Array, salt: Uint8Array, params: Argon2idParams): Uint8Array;
  readonly argon2idInteractive: Argon2idParams;
  readonly argon2idModerate: Argon2idParams;

  /** Overwrites a secret buffer (best effort in JS). */
  wipe(buffer: Uint8Array): void;
}

/**
 * The check every adapter's `sha256Ranges` makes before hashing: ranges come
 * in (start, end) pairs within `data`, and `out` holds a digest per range.
 * Returns the number of ranges; throws RangeError otherwise.
 *
 * @example
 * checkRanges(new Uint8Array(10), Uint32Array.of(0, 4, 4, 10), new Uint8Array(64)) // 2
 */
export function checkRanges(data: Uint8Array, ranges: Uint32Array, out: Uint8Array): number {
  if (!(data instanceof Uint8Array) || !(ranges instanceof Uint32Array) || !(out instanceof Uint8Array) || ranges.length % 2 !== 0) {
    throw new RangeError('sha256Ranges takes bytes, (start, end) pairs and an output buffer');
  }
  const count = ranges.length / 2;
  if (out.length < 32 * count) throw new RangeError(`sha256Ranges needs ${32 * count} output bytes`);
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i]! > ranges[i + 1]! || ranges[i + 1]! > data.length) throw new RangeError(`range ${i / 2} is outside the data`);
  }
  return count;
}
