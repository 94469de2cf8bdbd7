/**
 * C2SP tlog-cosignature, Ed25519 flavour (signature type 0x04): a witness's
 * timestamped statement that a checkpoint is the largest consistent tree
 * head it has seen for that log. It is a note signature line
 *
 *     — <witness name> base64(key ID ‖ uint64be(timestamp) ‖ Ed25519 signature)
 *
 * where key ID = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ public key)[:4] and the signed
 * message is `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint
 * note text (with its final newline, without the signatures).
 *
 * @example
 * const line = cosign(crypto, note.text, { name: 'witness.example/w1', secretKey }, 1679315147);
 * const cosigned = addSignatures(checkpointNote, [line]);
 */
import type { CryptoPort } from '../crypto-port.js';
import { utf8 } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { formatSignatureLine } from './note.js';
import { formatVkey, isSignatureBy, keyId, SIG_TYPE_COSIGNATURE, type ParsedVkey } from './vkey.js';

const TIMESTAMP_BYTES = 8;
const SIGNATURE_BYTES = 64;
const TWO_32 = 2 ** 32;

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ProtocolError('NOTE_INVALID', 'a cosignature timestamp is a non-negative integer (POSIX seconds)');
}

/**
 * The message a witness signs: `cosignature/v1\ntime <t>\n` ‖ checkpoint text.
 *
 * @example
 * cosignatureMessage('example.com/behind-the-sofa\n20852163\nCsUY…q2I=\n', 1679315147)
 * // 'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUY…q2I=\n'
 */
export function cosignatureMessage(checkpointText: string, timestamp: number): string {
  checkTimestamp(timestamp);
  if (typeof checkpointText !== 'string' || !checkpointText.endsWith('\n')) throw new ProtocolError('NOTE_INVALID', 'a checkpoint text ends with a newline');
  return `cosignature/v1\ntime ${timestamp}\n${checkpointText}`;
}

/**
 * Cosigns a checkpoint text and returns the signature line (no newline).
 * `secretKey` is the witness's 64-byte Ed25519 secret key.
 *
 * @example
 * const line = cosign(crypto, parseNote(noteText).text, witness, Math.floor(Date.now() / 1000));
 */
export function cosign(crypto: CryptoPort, checkpointText: string, witness: { name: string; secretKey: Uint8Array }, timestamp: number): string {
  const message = utf8(cosignatureMessage(checkpointText, timestamp));
  if (!(witness.secretKey instanceof Uint8Array) || witness.secretKey.length !== 64) throw new ProtocolError('NOTE_INVALID', 'Ed25519 secret keys are 64 bytes');
  const body = new Uint8Array(TIMESTAMP_BYTES + SIGNATURE_BYTES);
  const view = new DataView(body.buffer);
  view.setUint32(0, Math.floor(timestamp / TWO_32));
  view.setUint32(4, timestamp % TWO_32);
  body.set(crypto.sign(message, witness.secretKey), TIMESTAMP_BYTES);
  return formatSignatureLine(witness.name, keyId(crypto, witness.name, SIG_TYPE_COSIGNATURE, witness.secretKey.slice(32)), body);
}

/**
 * The timestamp of a cosignature's signature bytes (after the key ID), or
 * null when they are not 8 + 64 bytes or the time is past 2^53 − 1.
 *
 * @example
 * cosignatureTimestamp(parseNote(note).signatures[1]!.signature) // 1679315147
 */
export function cosignatureTimestamp(signature: Uint8Array): number | null {
  if (!(signature instanceof Uint8Array) || signature.length !== TIMESTAMP_BYTES + SIGNATURE_BYTES) return null;
  const view = new DataView(signature.buffer, signature.byteOffset, TIMESTAMP_BYTES);
  const timestamp = view.getUint32(0) * TWO_32 + view.getUint32(4);
  return Number.isSafeInteger(timestamp) ? timestamp : null;
}

/**
 * Verifies a cosignature line (as parsed by `parseNote`) over a checkpoint
 * text with a witness vkey of type 0x04. `timestamp` is meaningful only when
 * `ok`. Never throws.
 *
 * @example
 * const { ok, timestamp } = verifyCosignature(crypto, note.text, note.signatures[1]!, witnessVkey);
 */
export function verifyCosignature(
  crypto: CryptoPort,
  checkpointText: string,
  sig: { name: string; keyId: Uint8Array; signature: Uint8Array },
  vkey: ParsedVkey,
): { ok: boolean; timestamp: number } {
  try {
    const timestamp = cosignatureTimestamp(sig.signature);
    if (vkey.type !== SIG_TYPE_COSIGNATURE || !isSignatureBy(sig, vkey) || timestamp === null) return { ok: false, timestamp: 0 };
    const message = utf8(cosignatureMessage(checkpointText, timestamp));
    return { ok: crypto.verify(sig.signature.subarray(TIMESTAMP_BYTES), message, vkey.publicKey), timestamp };
  } catch {
    return { ok: false, timestamp: 0 };
  }
}

/**
 * A witness's verifier key (signature type 0x04), as logs and verifiers configure it.
 *
 * @example
 * formatWitnessVkey(crypto, 'witness.example/w1', publicKey) // 'witness.example/w1+8d66cf3f+BE…'
 */
export function formatWitnessVkey(crypto: CryptoPort, name: string, publicKey: Uint8Array): string {
  return formatVkey(crypto, name, publicKey, SIG_TYPE_COSIGNATURE);
}
