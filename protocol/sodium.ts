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
import { checkRanges, type Argon2idParams, type CryptoPort, type KeyPair } from './crypto-port.js';
import { isBytes, requireLength, SIZES } from './crypto-sizes.js';

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
    sha256Ranges(data, ranges, out) {
      const count = checkRanges(data, ranges, out);
      for (let i = 0; i < count; i++) out.set(s.crypto_hash_sha256(data.subarray(ranges[2 * i]!, ranges[2 * i + 1]!)), 32 * i);
    },

    signKeypair(seed?: Uint8Array): KeyPair {
      if (seed !== undefined) requireLength('seed', seed, SIZES.seed);
      const kp = seed === undefined ? s.crypto_sign_keypair() : s.crypto_sign_seed_keypair(seed);
      return { publicKey: kp.publicKey, secretKey: kp.privateKey };
    },
    sign(message, secretKey) {
      requireLength('Ed25519 secret key', secretKey, SIZES.signSecret);
      return s.crypto_sign_detached(message, secretKey);
    },
    verify(signature, message, publicKey) {
      if (!isBytes(signature, SIZES.signature) || !isBytes(message) || !isBytes(publicKey, SIZES.signPublic)) return false;
      try {
        return s.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },

    boxKeypair(seed?: Uint8Array): KeyPair {
      if (seed !== undefined) requireLength('seed', seed, SIZES.seed);
      const kp = seed === undefined ? s.crypto_box_keypair() : s.crypto_box_seed_keypair(seed);
      return { publicKey: kp.publicKey, secretKey: kp.privateKey };
    },
    boxPublicKey(secretKey) {
      requireLength('X25519 secret key', secretKey, SIZES.boxKey);
      return s.crypto_scalarmult_base(secretKey);
    },
    seal(message, publicKey) {
      requireLength('X25519 public key', publicKey, SIZES.boxKey);
      return s.crypto_box_seal(message, publicKey);
    },
    sealOpen(box, publicKey, secretKey) {
      if (!isBytes(box) || box.length < SIZES.sealOverhead) return null;
      if (!isBytes(publicKey, SIZES.boxKey) || !isBytes(secretKey, SIZES.boxKey)) return null;
      try {
        return s.crypto_box_seal_open(box, publicKey, secretKey);
      } catch {
        return null;
      }
    },

    aeadEncrypt(plaintext, ad, nonce, key) {
      requireLength('nonce', nonce, SIZES.aeadNonce);
      requireLength('key', key, SIZES.aeadKey);
      return s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      if (!isBytes(ciphertext) || ciphertext.length < SIZES.aeadTag || !isBytes(ad)) return null;
      if (!isBytes(nonce, SIZES.aeadNonce) || !isBytes(key, SIZES.aeadKey)) return null;
      try {
        return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
      } catch {
        return null;
      }
    },

    argon2id(passphrase, salt, params) {
      requireLength('salt', salt, SIZES.pwhashSalt);
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
