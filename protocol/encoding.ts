/**
 * Byte encodings used on the wire: unpadded base64url (our JSON), standard
 * padded base64 (RFC 4648 §4, the C2SP transparency-log formats), hex and
 * UTF-8. Runtime-neutral (no `node:` imports, no Buffer).
 *
 * @example
 * toB64u(utf8('hi')) // 'aGk'
 * toB64(utf8('hi')) // 'aGk='
 */
import type { Base64Url } from './ids.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export class EncodingError extends Error {
  readonly code = 'INVALID_ENCODING';
}

/** Encodes bytes as unpadded base64url. */
export function toB64u(bytes: Uint8Array): Base64Url {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out as Base64Url;
}

/** Decodes strict unpadded base64url; throws EncodingError on any other input. */
export function fromB64u(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 === 1) throw new EncodingError('invalid base64url');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new EncodingError('invalid base64url');
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  // Non-canonical trailing bits would let two strings decode to the same bytes.
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new EncodingError('invalid base64url');
  return out;
}

/**
 * The length of the bytes `text` decodes to as strict unpadded base64url
 * (what fromB64u would return), or -1 when fromB64u would throw; decodes
 * nothing. For checks of a size.
 *
 * @example
 * b64uByteLength('aGk') // 2
 */
export function b64uByteLength(text: unknown): number {
  if (typeof text !== 'string' || text.length % 4 === 1) return -1;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    last = c < 128 ? LOOKUP[c]! : -1;
    if (last < 0) return -1;
  }
  // The bits after the last whole byte must be zero (fromB64u's canonical form): 4 of them after 2 characters, 2 after 3.
  const rest = text.length % 4;
  if ((rest === 2 && (last & 15) !== 0) || (rest === 3 && (last & 3) !== 0)) return -1;
  return Math.floor((text.length * 3) / 4);
}

const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const STD_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < STD_ALPHABET.length; i++) STD_LOOKUP[STD_ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as standard base64 with padding (RFC 4648 §4), the encoding
 * of C2SP signed notes, checkpoints and proofs.
 *
 * @example
 * toB64(new Uint8Array([0xfb, 0xff])) // '+/8='
 */
export function toB64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += STD_ALPHABET[(n >> 18) & 63]! + STD_ALPHABET[(n >> 12) & 63]! + STD_ALPHABET[(n >> 6) & 63]! + STD_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += STD_ALPHABET[(n >> 18) & 63]! + STD_ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += STD_ALPHABET[(n >> 18) & 63]! + STD_ALPHABET[(n >> 12) & 63]! + STD_ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Decodes strict, canonical standard base64 with padding: length a multiple
 * of 4, `=` only as final padding, zero trailing bits, no whitespace. Throws
 * EncodingError on anything else, so that one byte string has one text form.
 *
 * @example
 * fromB64('+/8=') // Uint8Array [0xfb, 0xff]
 */
export function fromB64(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) throw new EncodingError('invalid base64');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const body = text.length - pad;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < body; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? STD_LOOKUP[c]! : -1;
    if (v < 0) throw new EncodingError('invalid base64');
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new EncodingError('invalid base64');
  return out;
}

/**
 * Lowercase hex of bytes.
 *
 * @example
 * toHex(new Uint8Array([0xc7, 0x4f])) // 'c74f'
 */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

/**
 * Decodes hex (either case, even length); throws EncodingError otherwise.
 *
 * @example
 * fromHex('c74f') // Uint8Array [0xc7, 0x4f]
 */
export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new EncodingError('invalid hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is kept, never stripped silently, so a text that begins with one is refused where JSON is parsed.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time comparison of two byte arrays of public length. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
