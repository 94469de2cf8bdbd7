/**
 * C2SP signed notes: a text ending in a newline, a blank line, then one or
 * more signature lines `— <key name> <base64(key ID ‖ signature)>`. The log
 * signs its checkpoints with Ed25519 (type 0x01); witnesses add
 * cosignature lines (type 0x04, `cosignature.ts`).
 *
 * Parsing is strict and throws only ProtocolError('NOTE_INVALID'): valid
 * UTF-8, no ASCII control character but newline, at most 256 KiB and 100
 * signatures (the spec asks verifiers to accept at least 16).
 *
 * @example
 * const note = signNote(crypto, formatCheckpoint(cp), { name: origin, secretKey });
 * verifyNoteSignature(crypto, parseNote(note), parseVkey(crypto, vkey)); // true
 */
import type { CryptoPort } from '../crypto-port.js';
import { concatBytes, EncodingError, fromB64, toB64, utf8 } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { isNoteSafe, isSignatureBy, isValidKeyName, keyId, SIG_TYPE_ED25519, type ParsedVkey } from './vkey.js';

export {
  formatVkey,
  isSignatureBy,
  isValidKeyName,
  keyId,
  parseVkey,
  SIG_TYPE_COSIGNATURE,
  SIG_TYPE_ED25519,
  type ParsedVkey,
} from './vkey.js';

/** Largest note accepted, in UTF-8 bytes. */
export const MAX_NOTE_BYTES = 256 * 1024;
/** Most signature lines accepted in one note. */
export const MAX_NOTE_SIGNATURES = 100;

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  /** The first 4 bytes of the decoded signature. */
  keyId: Uint8Array;
  /** The bytes after the key ID (for a cosignature: timestamp ‖ Ed25519 signature). */
  signature: Uint8Array;
  /** The line as written, without its newline. */
  line: string;
}

/** A parsed (not yet verified) signed note. */
export interface ParsedNote {
  /** The signed text, including its final newline, without the blank separator line. */
  text: string;
  signatures: NoteSignature[];
}

const EM_DASH = '\u2014 ';
const invalid = (message: string, cause?: unknown) => new ProtocolError('NOTE_INVALID', message, cause === undefined ? undefined : { cause });

/** Checks size, encoding and control characters of a whole note or text. */
function checkNoteBytes(text: unknown): asserts text is string {
  // A UTF-16 code unit is never fewer UTF-8 bytes, so the length bounds the byte size from below.
  if (typeof text !== 'string' || text.length > MAX_NOTE_BYTES || !isNoteSafe(text) || utf8(text).length > MAX_NOTE_BYTES) {
    throw invalid('note too large, not UTF-8, or with control characters');
  }
}

/**
 * Parses one signature line (without its newline). Throws NOTE_INVALID.
 *
 * @example
 * parseSignatureLine('— PeterNeumann x08go/ZJkuBS9UG/…') // { name: 'PeterNeumann', keyId, signature, line }
 */
export function parseSignatureLine(line: string): NoteSignature {
  if (typeof line !== 'string' || !line.startsWith(EM_DASH)) throw invalid('a signature line starts with an em dash and a space');
  const rest = line.slice(EM_DASH.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? '' : rest.slice(0, space);
  if (!isValidKeyName(name)) throw invalid('invalid key name in signature line');
  let bytes: Uint8Array;
  try {
    bytes = fromB64(rest.slice(space + 1));
  } catch (cause) {
    throw invalid('signature is not canonical base64', cause instanceof EncodingError ? cause : undefined);
  }
  if (bytes.length < 5) throw invalid('signature too short');
  return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4), line };
}

/**
 * Parses a signed note strictly. Throws ProtocolError('NOTE_INVALID').
 *
 * @example
 * const { text, signatures } = parseNote(await res.text());
 */
export function parseNote(note: string): ParsedNote {
  checkNoteBytes(note);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw invalid('no blank line before the signatures');
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw invalid('a note ends with signature lines, each ending in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw invalid('too many signatures');
  return { text: note.slice(0, split + 1), signatures: lines.map(parseSignatureLine) };
}

/**
 * Formats a signature line (without its newline): `— <name> <base64(key ID ‖ signature)>`.
 *
 * @example
 * formatSignatureLine('witness.example/w1', keyIdBytes, timestampAndSignature)
 */
export function formatSignatureLine(name: string, id: Uint8Array, signature: Uint8Array): string {
  if (!isValidKeyName(name)) throw invalid('invalid key name');
  return `${EM_DASH}${name} ${toB64(concatBytes(id, signature))}`;
}

/**
 * Signs `text` (which must end with a newline) with an Ed25519 key and
 * returns the signed note. Throws ProtocolError('NOTE_INVALID') for an
 * invalid text or name.
 *
 * @example
 * signNote(crypto, 'hello\n', { name: 'vigie.example/log', secretKey }) // 'hello\n\n— vigie.example/log …\n'
 */
export function signNote(crypto: CryptoPort, text: string, signer: { name: string; secretKey: Uint8Array }): string {
  checkNoteBytes(text);
  if (!text.endsWith('\n')) throw invalid('a note text ends with a newline');
  if (!(signer.secretKey instanceof Uint8Array) || signer.secretKey.length !== 64) throw invalid('Ed25519 secret keys are 64 bytes');
  const id = keyId(crypto, signer.name, SIG_TYPE_ED25519, signer.secretKey.slice(32));
  const line = formatSignatureLine(signer.name, id, crypto.sign(utf8(text), signer.secretKey));
  return `${text}\n${line}\n`;
}

/**
 * Appends signature lines (with or without their newline) to a signed note,
 * skipping lines it already carries. Throws NOTE_INVALID for a malformed
 * note or line, or when the result exceeds the limits.
 *
 * @example
 * addSignatures(checkpointNote, [cosignatureLine]) // the note, cosigned
 */
export function addSignatures(note: string, lines: string[]): string {
  const present = new Set(parseNote(note).signatures.map((s) => s.line));
  let out = note;
  for (const raw of lines) {
    const line = typeof raw === 'string' && raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    parseSignatureLine(line);
    if (present.has(line)) continue;
    present.add(line);
    out += `${line}\n`;
  }
  parseNote(out);
  return out;
}

/**
 * Verifies the Ed25519 (type 0x01) signature(s) of `vkey` on a note: true
 * when the note carries at least one line with the key's name and key ID
 * and every such line verifies over the text. Lines of other keys are
 * ignored, as the spec requires. Never throws.
 *
 * @example
 * if (!verifyNoteSignature(crypto, parseNote(text), logVkey)) reject();
 */
export function verifyNoteSignature(crypto: CryptoPort, note: ParsedNote, vkey: ParsedVkey): boolean {
  try {
    if (vkey.type !== SIG_TYPE_ED25519) return false;
    const mine = note.signatures.filter((s) => isSignatureBy(s, vkey));
    if (mine.length === 0) return false;
    const message = utf8(note.text);
    return mine.every((s) => crypto.verify(s.signature, message, vkey.publicKey));
  } catch {
    return false;
  }
}
