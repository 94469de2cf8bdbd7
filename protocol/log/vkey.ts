/**
 * C2SP signed-note key names, key IDs and verifier keys (vkeys):
 * `<name>+<key ID as 8 hex digits>+<base64(type ‖ public key)>`, where
 * key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]. `note.ts`
 * re-exports it.
 *
 * Types: 0x01 Ed25519 note signatures (the log's checkpoint key), 0x04
 * timestamped Ed25519 witness cosignatures (c2sp.org/tlog-cosignature).
 *
 * @example
 * parseVkey(crypto, 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')
 * // { name: 'PeterNeumann', keyId: c74f20a3, type: 1, publicKey: <32 bytes> }
 */
import type { CryptoPort } from '../crypto-port.js';
import { bytesEqual, concatBytes, fromB64, fromHex, toB64, toHex, utf8 } from '../encoding.js';
import { ProtocolError } from '../errors.js';

/** Signature type of Ed25519 note signatures. */
export const SIG_TYPE_ED25519 = 0x01;
/** Signature type of timestamped Ed25519 witness cosignatures. */
export const SIG_TYPE_COSIGNATURE = 0x04;

const KEY_BYTES: Record<number, number> = { [SIG_TYPE_ED25519]: 32, [SIG_TYPE_COSIGNATURE]: 32 };
const MAX_VKEY_LENGTH = 1024;

/** A parsed verifier key. */
export interface ParsedVkey {
  name: string;
  /** 4 bytes, big-endian as on the wire. */
  keyId: Uint8Array;
  type: number;
  publicKey: Uint8Array;
}

// Go's unicode.IsSpace set (the reference implementation's rule) plus U+FEFF.
const SPACE = /[\s\u0085]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0009\u000B-\u001F]/;

/**
 * True when a string is well-formed UTF-16 (so it encodes to valid UTF-8)
 * and has no ASCII control character other than newline, as notes require.
 *
 * @example
 * isNoteSafe('a\tb') // false
 */
export function isNoteSafe(text: string): boolean {
  return !LONE_SURROGATE.test(text) && !CONTROL.test(text);
}

/**
 * Whether `name` is a valid key name: non-empty, no Unicode spaces, no `+`,
 * valid UTF-8, no control characters.
 *
 * @example
 * isValidKeyName('vigie.example/log') // true
 * isValidKeyName('a+b') // false
 */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= 512 && !name.includes('+') && !SPACE.test(name) && isNoteSafe(name);
}

/**
 * The 4-byte key ID: SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4].
 *
 * @example
 * toHex(keyId(crypto, 'PeterNeumann', 0x01, publicKey)) // 'c74f20a3'
 */
export function keyId(crypto: CryptoPort, name: string, type: number, publicKey: Uint8Array): Uint8Array {
  return crypto.sha256(concatBytes(utf8(name), new Uint8Array([0x0a, type]), publicKey)).slice(0, 4);
}

/**
 * Formats a verifier key. Throws ProtocolError('NOTE_INVALID') for an
 * invalid name, an unsupported type, or a key of the wrong length.
 *
 * @example
 * formatVkey(crypto, 'vigie.example/log', publicKey) // 'vigie.example/log+1a2b3c4d+AR…'
 */
export function formatVkey(crypto: CryptoPort, name: string, publicKey: Uint8Array, type: number = SIG_TYPE_ED25519): string {
  if (!isValidKeyName(name)) throw new ProtocolError('NOTE_INVALID', 'invalid key name');
  if (!(publicKey instanceof Uint8Array) || KEY_BYTES[type] !== publicKey.length) throw new ProtocolError('NOTE_INVALID', 'invalid public key');
  return `${name}+${toHex(keyId(crypto, name, type, publicKey))}+${toB64(concatBytes(new Uint8Array([type]), publicKey))}`;
}

/**
 * Parses a verifier key and checks its key ID. Accepts types 0x01 and
 * 0x04 with 32-byte keys, lowercase hex IDs (as written by formatVkey and
 * Go's note package) and canonical base64. Throws ProtocolError('NOTE_INVALID').
 *
 * @example
 * const vkey = parseVkey(crypto, await (await fetch(`${hub}/v1/log/key`)).text().then((t) => t.trim()));
 */
export function parseVkey(crypto: CryptoPort, vkey: string): ParsedVkey {
  if (typeof vkey !== 'string' || vkey.length > MAX_VKEY_LENGTH) throw new ProtocolError('NOTE_INVALID', 'invalid vkey');
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) throw new ProtocolError('NOTE_INVALID', 'invalid vkey');
  const name = vkey.slice(0, first);
  const id = vkey.slice(first + 1, second);
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(id)) throw new ProtocolError('NOTE_INVALID', 'invalid vkey');
  let material: Uint8Array;
  try {
    material = fromB64(vkey.slice(second + 1));
  } catch (cause) {
    throw new ProtocolError('NOTE_INVALID', 'invalid vkey', { cause });
  }
  const type = material[0];
  if (type === undefined || KEY_BYTES[type] !== material.length - 1) throw new ProtocolError('NOTE_INVALID', 'unsupported vkey type or key length');
  const publicKey = material.slice(1);
  const expected = keyId(crypto, name, type, publicKey);
  if (!bytesEqual(expected, fromHex(id))) throw new ProtocolError('NOTE_INVALID', 'vkey key ID does not match its key');
  return { name, keyId: expected, type, publicKey };
}

/**
 * Whether a note signature claims to be by `vkey` (same name and key ID).
 * Compare key IDs with this, not `===`: they are byte arrays.
 *
 * @example
 * const mine = note.signatures.filter((s) => isSignatureBy(s, vkey));
 */
export function isSignatureBy(sig: { name: string; keyId: Uint8Array }, vkey: { name: string; keyId: Uint8Array }): boolean {
  return sig.name === vkey.name && bytesEqual(sig.keyId, vkey.keyId);
}
