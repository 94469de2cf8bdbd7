/**
 * The secrets a device or an agency administrator keeps, as JSON with
 * base64url keys, sealed at rest by `protocol/keyfile` (Argon2id).
 *
 * @example
 * const member = newMemberKeys(crypto, 'shelter-laval');
 * const file = sealKeyFile(crypto, member, passphrase);
 */
import type { CryptoPort, KeyPair } from '../../protocol/crypto-port.js';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { randomUuid } from '../../protocol/uuid.js';

export interface EncodedKeyPair {
  publicKey: string;
  secretKey: string;
}

export interface MemberKeys {
  kind: 'member';
  member: string;
  agency: string;
  signing: EncodedKeyPair;
  encryption: EncodedKeyPair;
}

export interface AgencyKeys {
  kind: 'agency';
  agency: string;
  root: EncodedKeyPair;
  /** Inbox key pairs the administrator holds, to wrap them for new member devices. */
  inboxes: Record<string, EncodedKeyPair & { keyVersion: number }>;
  /** Devices this administrator revoked: no new inbox key is ever sealed to them, whatever the hub lists. */
  revoked?: string[];
}

export const encodePair = (p: KeyPair): EncodedKeyPair => ({ publicKey: toB64u(p.publicKey), secretKey: toB64u(p.secretKey) });
export const decodePair = (p: EncodedKeyPair): KeyPair => ({ publicKey: fromB64u(p.publicKey), secretKey: fromB64u(p.secretKey) });

/** Fresh device keys: Ed25519 to sign, X25519 to receive inbox keys. */
export function newMemberKeys(crypto: CryptoPort, agency: string, member = randomUuid(crypto)): MemberKeys {
  return { kind: 'member', member, agency, signing: encodePair(crypto.signKeypair()), encryption: encodePair(crypto.boxKeypair()) };
}

/** A fresh agency root key (Ed25519), held by the agency administrator only. */
export function newAgencyKeys(crypto: CryptoPort, agency: string): AgencyKeys {
  return { kind: 'agency', agency, root: encodePair(crypto.signKeypair()), inboxes: {} };
}

/** The public half of member keys, for the administrator who certifies them. */
export function publicMemberKeys(keys: MemberKeys) {
  return { member: keys.member, agency: keys.agency, signingKey: keys.signing.publicKey, encryptionKey: keys.encryption.publicKey };
}
