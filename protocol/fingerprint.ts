/**
 * What two people compare aloud before an administrator certifies a device:
 * a short digest of the device's public keys, the same in the CLI and the
 * console.
 *
 * @example
 * deviceFingerprint(crypto.sha256, { signingKey, encryptionKey }) // '3f2a 9c01 …' (six groups of four)
 */
import { toHex, utf8 } from './encoding.js';

export function deviceFingerprint(sha256: (data: Uint8Array) => Uint8Array, keys: { signingKey: string; encryptionKey: string }): string {
  const hex = toHex(sha256(utf8(`vigie-device\n${keys.signingKey}\n${keys.encryptionKey}`))).slice(0, 24);
  return hex.match(/.{4}/g)!.join(' ');
}
