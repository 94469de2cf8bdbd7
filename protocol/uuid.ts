/**
 * Random RFC 9562 version 4 UUIDs from the CryptoPort's CSPRNG (no
 * dependency on `crypto.randomUUID`, which older browsers lack in insecure
 * contexts).
 *
 * @example
 * randomUuid(crypto) // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
import type { CryptoPort } from './crypto-port.js';

/**
 * A random lowercase UUID version 4.
 *
 * @example
 * const id = randomUuid(await loadSodium());
 */
export function randomUuid(crypto: CryptoPort): string {
  const b = crypto.randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  let hex = '';
  for (const byte of b) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
