/**
 * Inbox private keys shared with the member devices allowed to read the
 * inbox: the agency administrator seals the 32-byte X25519 inbox secret key
 * to each member's X25519 key (crypto_box_seal). A device that unwraps checks
 * the result against the certified inbox public key, so a hub that swapped
 * the wrap cannot make it read under a key of its choosing.
 *
 * @example
 * const wrap = wrapInboxKey(crypto, inbox.secretKey, memberCertKey);
 * const secretKey = unwrapInboxKey(crypto, wrap, device, inboxCertKey);
 */
import type { CryptoPort, KeyPair } from './crypto-port.js';
import { bytesEqual, fromB64u, toB64u } from './encoding.js';
import { ProtocolError } from './errors.js';

const X25519_BYTES = 32;

/**
 * Seals an inbox's X25519 secret key (32 bytes) to a member's X25519 public
 * key; returns the unpadded base64url of the 80-byte sealed box.
 *
 * @example
 * const wrap = wrapInboxKey(crypto, inbox.secretKey, member.encryptionKey); // 107 characters
 */
export function wrapInboxKey(crypto: CryptoPort, inboxSecretKey: Uint8Array, memberEncryptionKey: Uint8Array): string {
  if (!(inboxSecretKey instanceof Uint8Array) || inboxSecretKey.length !== X25519_BYTES) {
    throw new RangeError('inbox secret key must be 32 bytes');
  }
  return toB64u(crypto.seal(inboxSecretKey, memberEncryptionKey));
}

/**
 * Opens an inbox key wrap with the member's X25519 key pair and checks that
 * the secret key matches the certified inbox public key. Throws
 * ProtocolError('INBOX_KEY_INVALID') otherwise (malformed wrap, wrong member,
 * or a key that is not the certified one).
 *
 * @example
 * const inboxSecretKey = unwrapInboxKey(crypto, wrap, { publicKey, secretKey }, fromB64u(cert.encryptionKey));
 */
export function unwrapInboxKey(
  crypto: CryptoPort,
  wrap: string,
  member: KeyPair,
  expectedInboxPublicKey: Uint8Array,
): Uint8Array {
  let secretKey: Uint8Array | null = null;
  try {
    secretKey = crypto.sealOpen(fromB64u(wrap), member.publicKey, member.secretKey);
    if (secretKey && secretKey.length === X25519_BYTES && bytesEqual(crypto.boxPublicKey(secretKey), expectedInboxPublicKey)) {
      return secretKey;
    }
  } catch {
    // malformed base64url: same opaque error below
  }
  if (secretKey) crypto.wipe(secretKey);
  throw new ProtocolError('INBOX_KEY_INVALID');
}
