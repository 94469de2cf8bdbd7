/**
 * The witness's own key: an Ed25519 key pair and the name it cosigns under
 * (a schema-less URL, `witness.example.org/vigie`), sealed at rest by
 * `protocol/keyfile` (Argon2id + XChaCha20-Poly1305) under a passphrase, in
 * a file of mode 0600 written atomically and never replaced.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Argon2idParams, CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual, fromB64u, toB64u } from '../../protocol/encoding.js';
import { isProtocolError } from '../../protocol/errors.js';
import { openKeyFile, sealKeyFile } from '../../protocol/keyfile.js';
import { isValidKeyName } from '../../protocol/log/note.js';
import { writeSecretFile } from '../../server/lib/secret-file.js';

/** The sealed secrets of a witness key file. */
export interface WitnessKeySecrets {
  kind: 'witness';
  name: string;
  signing: { publicKey: string; secretKey: string };
}

export interface WitnessKey {
  name: string;
  publicKey: Uint8Array;
  /** Ed25519, 64 bytes (seed ‖ public key). */
  secretKey: Uint8Array;
}

export type WitnessKeyErrorCode = 'KEY_MISSING' | 'KEY_EXISTS' | 'KEY_DAMAGED' | 'KEY_WRONG_PASSPHRASE' | 'KEY_BAD_NAME';

export class WitnessKeyError extends Error {
  constructor(
    readonly code: WitnessKeyErrorCode,
    /** The key file (for KEY_BAD_NAME: the name refused). */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${file}`, options);
    this.name = 'WitnessKeyError';
  }
}

const MAX_NAME_LENGTH = 255;

/**
 * Whether `name` can name the witness: a valid signed-note key name (no
 * Unicode space, no plus sign), and, since people read and type it, no
 * control or invisible formatting character and at most 255 characters.
 */
export function isWitnessName(name: string): boolean {
  return isValidKeyName(name) && name.length <= MAX_NAME_LENGTH && !/[\p{Cc}\p{Cf}]/u.test(name);
}

/** A fresh witness key. */
export function newWitnessKey(crypto: CryptoPort, name: string): WitnessKey {
  if (!isWitnessName(name)) throw new WitnessKeyError('KEY_BAD_NAME', name);
  const { publicKey, secretKey } = crypto.signKeypair();
  return { name, publicKey, secretKey };
}

/** Seals the key under the passphrase into `file`, which must not exist yet. */
export function writeWitnessKey(crypto: CryptoPort, file: string, key: WitnessKey, passphrase: string, params?: Argon2idParams): void {
  if (existsSync(file)) throw new WitnessKeyError('KEY_EXISTS', file);
  const secrets: WitnessKeySecrets = { kind: 'witness', name: key.name, signing: { publicKey: toB64u(key.publicKey), secretKey: toB64u(key.secretKey) } };
  const sealed = sealKeyFile(crypto, secrets, passphrase, params);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // A witness key is never replaced: its name and key are what logs trust.
  if (!writeSecretFile(file, `${JSON.stringify(sealed, null, 2)}\n`, { exclusive: true })) throw new WitnessKeyError('KEY_EXISTS', file);
}

/** Opens the witness key file; checks that the secret key belongs to the public key it claims. */
export function readWitnessKey(crypto: CryptoPort, file: string, passphrase: string): WitnessKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WitnessKeyError('KEY_MISSING', file, { cause: err });
  }
  let sealed: unknown;
  try {
    sealed = JSON.parse(text);
  } catch (err) {
    throw new WitnessKeyError('KEY_DAMAGED', file, { cause: err });
  }
  let secrets: Partial<WitnessKeySecrets> | null;
  try {
    secrets = openKeyFile(crypto, sealed, passphrase) as Partial<WitnessKeySecrets> | null;
  } catch (err) {
    if (isProtocolError(err, 'KEYFILE_INVALID')) throw new WitnessKeyError('KEY_WRONG_PASSPHRASE', file, { cause: err });
    throw err;
  }
  try {
    if (secrets?.kind !== 'witness' || typeof secrets.name !== 'string' || !isWitnessName(secrets.name) || !secrets.signing) throw new Error('not a witness key');
    const publicKey = fromB64u(secrets.signing.publicKey);
    const secretKey = fromB64u(secrets.signing.secretKey);
    if (secretKey.length !== 64 || !bytesEqual(crypto.signKeypair(secretKey.slice(0, 32)).publicKey, publicKey)) throw new Error('key pair mismatch');
    return { name: secrets.name, publicKey, secretKey };
  } catch (err) {
    throw new WitnessKeyError('KEY_DAMAGED', file, { cause: err });
  }
}
