/**
 * Private keys at rest on clients: a JSON value encrypted with
 * XChaCha20-Poly1305 under a key derived by Argon2id13 (crypto_pwhash) from
 * the member's passphrase (Unicode NFKC, UTF-8). The KDF parameters travel in
 * the file and are bounded when opening, so a hostile file cannot make a
 * client spend unbounded memory or time.
 *
 * @example
 * const file = sealKeyFile(crypto, { signing: b64uSeed }, 'correct horse battery staple');
 * const secrets = openKeyFile(crypto, JSON.parse(text), passphrase);
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { canonicalBytes } from './canonical.js';
import type { Argon2idParams, CryptoPort } from './crypto-port.js';
import { fromB64u, fromUtf8, toB64u, utf8 } from './encoding.js';
import { ProtocolError } from './errors.js';
import { B64uBytes, B64uSchema } from './schemas.js';

export const KEYFILE_OPSLIMIT_MIN = 1;
export const KEYFILE_OPSLIMIT_MAX = 20;
export const KEYFILE_MEMLIMIT_MIN = 8 * 1024 * 1024;
export const KEYFILE_MEMLIMIT_MAX = 1024 * 1024 * 1024;
/** Largest secrets payload (canonical JSON bytes) a key file may hold. */
export const KEYFILE_MAX_PLAINTEXT_BYTES = 64 * 1024;

const AD = 'vigie/keyfile/v1';

export const KeyFileSchema = Type.Object(
  {
    v: Type.Literal(1),
    kdf: Type.Object(
      {
        alg: Type.Literal('argon2id13'),
        opslimit: Type.Integer({ minimum: KEYFILE_OPSLIMIT_MIN, maximum: KEYFILE_OPSLIMIT_MAX }),
        memlimit: Type.Integer({ minimum: KEYFILE_MEMLIMIT_MIN, maximum: KEYFILE_MEMLIMIT_MAX }),
        salt: B64uBytes(16),
      },
      { additionalProperties: false },
    ),
    nonce: B64uBytes(24),
    ciphertext: B64uSchema(KEYFILE_MAX_PLAINTEXT_BYTES + 16),
  },
  { additionalProperties: false },
);
export type KeyFile = Static<typeof KeyFileSchema>;

function checkParams(params: Argon2idParams): void {
  const { opslimit, memlimit } = params;
  if (!Number.isInteger(opslimit) || opslimit < KEYFILE_OPSLIMIT_MIN || opslimit > KEYFILE_OPSLIMIT_MAX) {
    throw new RangeError(`opslimit must be an integer in ${KEYFILE_OPSLIMIT_MIN}..${KEYFILE_OPSLIMIT_MAX}`);
  }
  if (!Number.isInteger(memlimit) || memlimit < KEYFILE_MEMLIMIT_MIN || memlimit > KEYFILE_MEMLIMIT_MAX) {
    throw new RangeError(`memlimit must be an integer in ${KEYFILE_MEMLIMIT_MIN}..${KEYFILE_MEMLIMIT_MAX}`);
  }
}

const passphraseBytes = (passphrase: string): Uint8Array => utf8(passphrase.normalize('NFKC'));

/**
 * Encrypts a JSON value under a passphrase. `params` defaults to the
 * libsodium MODERATE limits (256 MiB, 3 passes); they must lie within the
 * bounds openKeyFile accepts, or a RangeError is thrown.
 *
 * @example
 * const file = sealKeyFile(crypto, secrets, passphrase, crypto.argon2idInteractive);
 * JSON.stringify(file) // '{"v":1,"kdf":{"alg":"argon2id13",…},"nonce":"…","ciphertext":"…"}'
 */
export function sealKeyFile(
  crypto: CryptoPort,
  secrets: unknown,
  passphrase: string,
  params: Argon2idParams = crypto.argon2idModerate,
): KeyFile {
  checkParams(params);
  const plaintext = canonicalBytes(secrets);
  if (plaintext.length > KEYFILE_MAX_PLAINTEXT_BYTES) throw new RangeError('secrets too large for a key file');
  const salt = crypto.randomBytes(16);
  const nonce = crypto.randomBytes(24);
  const key = crypto.argon2id(passphraseBytes(passphrase), salt, params);
  try {
    const ciphertext = crypto.aeadEncrypt(plaintext, utf8(AD), nonce, key);
    return {
      v: 1,
      kdf: { alg: 'argon2id13', opslimit: params.opslimit, memlimit: params.memlimit, salt: toB64u(salt) },
      nonce: toB64u(nonce),
      ciphertext: toB64u(ciphertext),
    };
  } finally {
    crypto.wipe(key);
    crypto.wipe(plaintext);
  }
}

/**
 * Decrypts a key file. The shape and the KDF bounds are checked before any
 * key derivation. Throws ProtocolError('KEYFILE_INVALID') for a wrong
 * passphrase, a corrupted or hostile file, without saying which.
 *
 * @example
 * try {
 *   const secrets = openKeyFile(crypto, JSON.parse(text), passphrase);
 * } catch (err) {
 *   if (isProtocolError(err, 'KEYFILE_INVALID')) askAgain();
 * }
 */
export function openKeyFile(crypto: CryptoPort, file: unknown, passphrase: string): unknown {
  let key: Uint8Array | null = null;
  let plaintext: Uint8Array | null = null;
  try {
    if (typeof passphrase !== 'string' || !Value.Check(KeyFileSchema, file)) throw new Error();
    const params = { opslimit: file.kdf.opslimit, memlimit: file.kdf.memlimit };
    checkParams(params);
    const salt = fromB64u(file.kdf.salt);
    const nonce = fromB64u(file.nonce);
    const ciphertext = fromB64u(file.ciphertext);
    key = crypto.argon2id(passphraseBytes(passphrase), salt, params);
    plaintext = crypto.aeadDecrypt(ciphertext, utf8(AD), nonce, key);
    if (!plaintext) throw new Error();
    return JSON.parse(fromUtf8(plaintext)) as unknown;
  } catch {
    throw new ProtocolError('KEYFILE_INVALID');
  } finally {
    if (key) crypto.wipe(key);
    if (plaintext) crypto.wipe(plaintext);
  }
}
