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
