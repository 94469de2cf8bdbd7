/**
 * The libsodium adapter of the CryptoPort: the only file of `protocol/` that
 * imports libsodium. Functions that see attacker-controlled input (verify,
 * sealOpen, aeadDecrypt) validate lengths and return false/null instead of
 * throwing.
 *
 * @example
 * const crypto = await loadSodium();
 * const { publicKey, secretKey } = crypto.boxKeypair();
 * const box = crypto.seal(new Uint8Array([1, 2, 3]), publicKey);
 * crypto.sealOpen(box, publicKey, secretKey); // Uint8Array [1, 2, 3]
 */
import type libsodium from 'libsodium-wrappers-sumo';
import type { Argon2idParams, CryptoPort, KeyPair } from './crypto-port.js';

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

function requireLength(name: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes`);
  }
}

function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}

type Sodium = typeof libsodium;

function createPort(s: Sodium): CryptoPort {
  const argon2idInteractive: Argon2idParams = Object.freeze({
    opslimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    memlimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
  });
  const argon2idModerate: Argon2idParams = Object.freeze({
    opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE,
    memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE,
  });

  return {
    // One call to the platform's CSPRNG (Web Crypto, in Node and in browsers) per buffer:
    // libsodium.js's own randombytes asks it four bytes at a time.
    randomBytes: (length) => globalThis.crypto.getRandomValues(new Uint8Array(length)),
    sha256: (data) => s.crypto_hash_sha256(data),

    signKeypair(seed?: Uint8Array): KeyPair {
      if (seed !== undefined) requireLength('seed', seed, SEED);
      const kp = seed === undefined ? s.crypto_sign_keypair() : s.crypto_sign_seed_keypair(seed);
      return { publicKey: kp.publicKey, secretKey: kp.privateKey };
    },
    sign(message, secretKey) {
      requireLength('Ed25519 secret key', secretKey, SIGN_SECRET);
      return s.crypto_sign_detached(message, secretKey);
    },
    verify(signature, message, publicKey) {
      if (!isBytes(signature, SIGNATURE) || !isBytes(message) || !isBytes(publicKey, SIGN_PUBLIC)) return false;
      try {
        return s.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },

    boxKeypair(seed?: Uint8Array): KeyPair {
      if (seed !== undefined) requireLength('seed', seed, SEED);
      const kp = seed === undefined ? s.crypto_box_keypair() : s.crypto_box_seed_keypair(seed);
      return { publicKey: kp.publicKey, secretKey: kp.privateKey };
    },
    boxPublicKey(secretKey) {
      requireLength('X25519 secret key', secretKey, BOX_KEY);
      return s.crypto_scalarmult_base(secretKey);
    },
    seal(message, publicKey) {
      requireLength('X25519 public key', publicKey, BOX_KEY);
      return s.crypto_box_seal(message, publicKey);
    },
    sealOpen(box, publicKey, secretKey) {
      if (!isBytes(box) || box.length < SEAL_OVERHEAD) return null;
      if (!isBytes(publicKey, BOX_KEY) || !isBytes(secretKey, BOX_KEY)) return null;
      try {
        return s.crypto_box_seal_open(box, publicKey, secretKey);
      } catch {
        return null;
      }
    },

    aeadEncrypt(plaintext, ad, nonce, key) {
      requireLength('nonce', nonce, AEAD_NONCE);
      requireLength('key', key, AEAD_KEY);
      return s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      if (!isBytes(ciphertext) || ciphertext.length < AEAD_TAG || !isBytes(ad)) return null;
      if (!isBytes(nonce, AEAD_NONCE) || !isBytes(key, AEAD_KEY)) return null;
      try {
        return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
      } catch {
        return null;
      }
    },

    argon2id(passphrase, salt, params) {
      requireLength('salt', salt, PWHASH_SALT);
      return s.crypto_pwhash(32, passphrase, salt, params.opslimit, params.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
    },
    argon2idInteractive,
    argon2idModerate,

    wipe: (buffer) => s.memzero(buffer),
  };
}

let loading: Promise<CryptoPort> | undefined;
let adapter: (() => Promise<CryptoPort>) | undefined;
let wasm: Promise<CryptoPort> | undefined;

/** The libsodium.js (WebAssembly) CryptoPort, which runs everywhere (memoized). */
export async function loadLibsodiumJs(): Promise<CryptoPort> {
  // Imported when first asked for: a process on the native adapter never loads the WebAssembly.
  wasm ??= import('libsodium-wrappers-sumo')
    .then(async ({ default: sodium }) => {
      await sodium.ready;
      return createPort(sodium);
    })
    .catch((err: unknown) => {
      wasm = undefined; // let a later call retry
      throw err;
    });
  return wasm;
}

/**
 * Chooses the CryptoPort that `loadSodium()` returns from now on. A Node
 * process (the hub, the CLI) installs the native adapter
 * (server/lib/native-sodium.ts) at its start; a browser never calls this
 * and keeps libsodium.js.
 */
export function useCryptoAdapter(load: () => Promise<CryptoPort>): void {
  adapter = load;
  loading = undefined;
}

/**
 * The process's CryptoPort: libsodium.js, or the adapter installed by
 * `useCryptoAdapter` (memoized: every call resolves to the same instance).
 *
 * @example
 * const crypto = await loadSodium();
 * const digest = crypto.sha256(new TextEncoder().encode('abc'));
 */
export async function loadSodium(): Promise<CryptoPort> {
  loading ??= (adapter ?? loadLibsodiumJs)().catch((err: unknown) => {
    loading = undefined; // let a later call retry
    throw err;
  });
  return loading;
}
