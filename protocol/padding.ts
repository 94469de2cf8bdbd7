/**
 * ISO/IEC 7816-4 padding of envelope plaintexts to a multiple of 256 bytes:
 * append 0x80, then 0x00 up to the next multiple. There is always at least one
 * padding byte, so a plaintext of 256 bytes pads to 512. The hub and the
 * network only learn the length rounded up to the block.
 *
 * @example
 * padContent(new Uint8Array(10)).length // 256
 * unpadContent(padContent(new Uint8Array([7]))) // Uint8Array [7]
 */

/** Padding block size in bytes. */
export const PADDING_BLOCK = 256;

/**
 * The padded length of a plaintext of `length` bytes.
 *
 * @example
 * paddedLength(0) // 256
 * paddedLength(255) // 256
 * paddedLength(256) // 512
 */
export function paddedLength(length: number): number {
  return (Math.floor(length / PADDING_BLOCK) + 1) * PADDING_BLOCK;
}

/**
 * Pads bytes (0x80 then zeros) to the next multiple of PADDING_BLOCK.
 *
 * @example
 * padContent(new Uint8Array([1, 2])) // [1, 2, 0x80, 0, …] (256 bytes)
 */
export function padContent(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(bytes.length));
  out.set(bytes);
  out[bytes.length] = 0x80;
  return out;
}

/**
 * Removes the padding strictly: the length must be a positive multiple of
 * PADDING_BLOCK, the last non-zero byte must be 0x80, and the padding must be
 * minimal (1 to PADDING_BLOCK bytes). Returns a copy, or null if malformed.
 *
 * @example
 * unpadContent(padContent(utf8('{}'))) // utf8('{}')
 * unpadContent(new Uint8Array(256)) // null (no 0x80 marker)
 */
export function unpadContent(padded: Uint8Array): Uint8Array | null {
  if (padded.length === 0 || padded.length % PADDING_BLOCK !== 0) return null;
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== 0x80) return null;
  if (paddedLength(i) !== padded.length) return null;
  return padded.slice(0, i);
}
