/**
 * The CryptoPort on native libsodium (sodium-native, prebuilt binaries in its
 * npm package): the hub, the CLI and the SDK when it runs on Node. Browsers
 * keep libsodium.js (protocol/sodium.ts); both adapters implement the same
 * port with the same checks, and every test vector passes on both
 * (tests/unit/protocol/sodium.test.ts, wire-format-vectors.test.ts).
 *
 * Native calls are 2–6 times cheaper than the WebAssembly build here
 * (Ed25519 verify 86 µs against 179 µs, a sealed box 59 µs against 370 µs,
 * Argon2id "moderate" 0.63 s against 1 s).
 *
 * @example
 * preferNativeSodium(); // first thing in a Node process: loadSodium() is native from then on
 */
import { createRequire } from 'node:module';
import type { Argon2idParams, CryptoPort, KeyPair } from '../../protocol/crypto-port.js';
import { loadLibsodiumJs, useCryptoAdapter } from '../../protocol/sodium.js';

/** What this adapter calls of sodium-native (its own types are not published with it). */
interface NativeSodium {
  randombytes_buf(buf: Uint8Array): void;
  crypto_hash_sha256(out: Uint8Array, data: Uint8Array): void;
  crypto_sign_keypair(pk: Uint8Array, sk: Uint8Array): void;
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(sig: Uint8Array, m: Uint8Array, sk: Uint8Array): void;
  crypto_sign_verify_detached(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean;
  crypto_box_keypair(pk: Uint8Array, sk: Uint8Array): void;
  crypto_box_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void;
  crypto_box_seal(c: Uint8Array, m: Uint8Array, pk: Uint8Array): void;
  crypto_box_seal_open(m: Uint8Array, c: Uint8Array, pk: Uint8Array, sk: Uint8Array): boolean;
  crypto_aead_xchacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  crypto_aead_xchacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number;
  crypto_pwhash(out: Uint8Array, passwd: Uint8Array, salt: Uint8Array, opslimit: number, memlimit: number, alg: number): void;
  sodium_memzero(buf: Uint8Array): void;
  crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
  crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
  crypto_pwhash_OPSLIMIT_MODERATE: number;
  crypto_pwhash_MEMLIMIT_MODERATE: number;
  crypto_pwhash_ALG_ARGON2ID13: number;
}

const SIGN_PUBLIC = 32;
const SIGN_SECRET = 64;
const SIGNATURE = 64;
const SEED = 32;
const BOX_KEY = 32;
const SEAL_OVERHEAD = 48; // ephemeral public key (32) + Poly1305 tag (16)
const AEAD_KEY = 32;
const AEAD_NONCE = 24;
const AEAD_TAG = 16;
const PWHASH_SALT = 16;
const HASH = 32;

function requireLength(name: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes`);
  }
}

function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

function createNativePort(s: NativeSodium): CryptoPort {
  const argon2idInteractive: Argon2idParams = Object.freeze({ opslimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE });
  const argon2idModerate: Argon2idParams = Object.freeze({ opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE, memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE });
  const keypair = (seed: Uint8Array | undefined, publicLength: number, secretLength: number, random: (pk: Uint8Array, sk: Uint8Array) => void, seeded: (pk: Uint8Array, sk: Uint8Array, seed: Uint8Array) => void): KeyPair => {
    if (seed !== undefined) requireLength('seed', seed, SEED);
    const publicKey = new Uint8Array(publicLength);
    const secretKey = new Uint8Array(secretLength);
    if (seed === undefined) random(publicKey, secretKey);
    else seeded(publicKey, secretKey, seed);
    return { publicKey, secretKey };
  };

  return {
    randomBytes(length) {
      const out = new Uint8Array(length);
      s.randombytes_buf(out);
      return out;
    },
    sha256(data) {
      const out = new Uint8Array(HASH);
      s.crypto_hash_sha256(out, data);
      return out;
    },

    signKeypair: (seed) => keypair(seed, SIGN_PUBLIC, SIGN_SECRET, s.crypto_sign_keypair, s.crypto_sign_seed_keypair),
    sign(message, secretKey) {
      requireLength('Ed25519 secret key', secretKey, SIGN_SECRET);
      const sig = new Uint8Array(SIGNATURE);
      s.crypto_sign_detached(sig, message, secretKey);
      return sig;
    },
    verify(signature, message, publicKey) {
      if (!isBytes(signature, SIGNATURE) || !isBytes(message) || !isBytes(publicKey, SIGN_PUBLIC)) return false;
      try {
        return s.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },

    boxKeypair: (seed) => keypair(seed, BOX_KEY, BOX_KEY, s.crypto_box_keypair, s.crypto_box_seed_keypair),
    boxPublicKey(secretKey) {
      requireLength('X25519 secret key', secretKey, BOX_KEY);
      const out = new Uint8Array(BOX_KEY);
      s.crypto_scalarmult_base(out, secretKey);
      return out;
    },
    seal(message, publicKey) {
      requireLength('X25519 public key', publicKey, BOX_KEY);
      const box = new Uint8Array(message.length + SEAL_OVERHEAD);
      s.crypto_box_seal(box, message, publicKey);
      return box;
    },
    sealOpen(box, publicKey, secretKey) {
      if (!isBytes(box) || box.length < SEAL_OVERHEAD) return null;
      if (!isBytes(publicKey, BOX_KEY) || !isBytes(secretKey, BOX_KEY)) return null;
      const out = new Uint8Array(box.length - SEAL_OVERHEAD);
      try {
        return s.crypto_box_seal_open(out, box, publicKey, secretKey) ? out : null;
      } catch {
        return null;
      }
    },

    aeadEncrypt(plaintext, ad, nonce, key) {
      requireLength('nonce', nonce, AEAD_NONCE);
      requireLength('key', key, AEAD_KEY);
      const out = new Uint8Array(plaintext.length + AEAD_TAG);
      s.crypto_aead_xchacha20poly1305_ietf_encrypt(out, plaintext, ad, null, nonce, key);
      return out;
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      if (!isBytes(ciphertext) || ciphertext.length < AEAD_TAG || !isBytes(ad)) return null;
      if (!isBytes(nonce, AEAD_NONCE) || !isBytes(key, AEAD_KEY)) return null;
      const out = new Uint8Array(ciphertext.length - AEAD_TAG);
      try {
        s.crypto_aead_xchacha20poly1305_ietf_decrypt(out, null, ciphertext, ad, nonce, key);
        return out;
      } catch {
        return null;
      }
    },

    argon2id(passphrase, salt, params) {
      requireLength('salt', salt, PWHASH_SALT);
      const out = new Uint8Array(32);
      s.crypto_pwhash(out, passphrase, salt, params.opslimit, params.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
      return out;
    },
    argon2idInteractive,
    argon2idModerate,

    wipe: (buffer) => s.sodium_memzero(buffer),
  };
}

let port: CryptoPort | undefined;

/** The native CryptoPort (loaded once; a platform without sodium-native's binary rejects, and the caller keeps libsodium.js). */
export async function loadNativeSodium(): Promise<CryptoPort> {
  port ??= createNativePort(createRequire(import.meta.url)('sodium-native') as NativeSodium);
  return port;
}

/**
 * Makes `loadSodium()` return the native port in this process, or
 * libsodium.js where sodium-native has no binary for the platform. Called
 * first thing by the hub's process and the CLI.
 */
export function preferNativeSodium(): void {
  useCryptoAdapter(() => loadNativeSodium().catch(() => loadLibsodiumJs()));
}
