/**
 * The byte lengths every adapter of the crypto port checks, and its two
 * checks: a programming error on the sending side throws (RangeError); input
 * an attacker controls is only tested (the adapter then answers false or
 * null, never an exception).
 */
export const SIZES = {
  signPublic: 32,
  signSecret: 64,
  signature: 64,
  seed: 32,
  boxKey: 32,
  /** ephemeral public key (32) + Poly1305 tag (16) */
  sealOverhead: 48,
  aeadKey: 32,
  aeadNonce: 24,
  aeadTag: 16,
  pwhashSalt: 16,
  hash: 32,
} as const;

export function requireLength(name: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes`);
  }
}

export function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}
