/**
 * What a standard Sigsum witness (sigsum-go's `sigsum-witness`, Debian's
 * `sigsum-go` package) needs from a log, so that a partner can run one next
 * to Vigie's own witnesses. sigsum-witness trusts one log, named by its
 * OpenSSH Ed25519 public key, and derives everything else from that key:
 *
 *     origin   = "sigsum.org/v1/tree/" ‖ hex(SHA-256(log public key))
 *     log sig  = signed-note line, key name = origin, type 0x01 key ID
 *     witness  = "sigsum.org/v1/witness/" ‖ hex(SHA-256(witness public key)),
 *                cosignature/v1 (type 0x04) lines
 *
 * It answers 404 to any other origin, and 403 unless the note carries a
 * signature whose key name is the origin and whose key ID is the type-0x01
 * ID of that name and key. A Vigie hub whose `VIGIE_DISCLOSURE_LOG_ORIGIN` is the
 * Sigsum origin of its log key meets all of this (its key name is its
 * origin, it writes no extension line).
 *
 * @example
 * sigsumOrigin(crypto, publicKey)   // 'sigsum.org/v1/tree/6f3a…'
 * sshEd25519PublicKey(publicKey)    // 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…'
 */
import type { CryptoPort } from '../crypto-port.js';
import { concatBytes, toB64, toHex, utf8 } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { formatVkey, SIG_TYPE_COSIGNATURE } from './vkey.js';

export const SIGSUM_ORIGIN_PREFIX = 'sigsum.org/v1/tree/';
export const SIGSUM_WITNESS_PREFIX = 'sigsum.org/v1/witness/';

function checkKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new ProtocolError('NOTE_INVALID', 'an Ed25519 public key is 32 bytes');
}

/** The checkpoint origin sigsum-witness expects for a log key: `sigsum.org/v1/tree/<hex SHA-256 of the key>`. */
export function sigsumOrigin(crypto: CryptoPort, logPublicKey: Uint8Array): string {
  checkKey(logPublicKey);
  return `${SIGSUM_ORIGIN_PREFIX}${toHex(crypto.sha256(logPublicKey))}`;
}

/** The key name sigsum-witness cosigns under: `sigsum.org/v1/witness/<hex SHA-256 of its key>`. */
export function sigsumWitnessName(crypto: CryptoPort, witnessPublicKey: Uint8Array): string {
  checkKey(witnessPublicKey);
  return `${SIGSUM_WITNESS_PREFIX}${toHex(crypto.sha256(witnessPublicKey))}`;
}

/** The cosignature/v1 vkey of a sigsum-witness, for `VIGIE_WITNESSES` (as `sigsum-key to-vkey -t cosignature/v1 -n <name>` prints it). */
export function sigsumWitnessVkey(crypto: CryptoPort, witnessPublicKey: Uint8Array): string {
  return formatVkey(crypto, sigsumWitnessName(crypto, witnessPublicKey), witnessPublicKey, SIG_TYPE_COSIGNATURE);
}

const sshString = (bytes: Uint8Array) => {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length);
  return concatBytes(length, bytes);
};

/** An Ed25519 public key in OpenSSH's one-line form (RFC 8709), as `sigsum-witness --log-key` reads it; no comment. */
export function sshEd25519PublicKey(publicKey: Uint8Array): string {
  checkKey(publicKey);
  return `ssh-ed25519 ${toB64(concatBytes(sshString(utf8('ssh-ed25519')), sshString(publicKey)))}`;
}
