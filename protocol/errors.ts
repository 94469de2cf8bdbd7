/**
 * Typed errors of `protocol/`. Every failure carries a stable `code` from one
 * union, so `switch (err.code)` narrows. Crypto failures are opaque: one code
 * and one message whatever check failed, so that nobody learns which one.
 *
 * @example
 * try {
 *   openEnvelope(crypto, envelope, keys);
 * } catch (err) {
 *   if (isProtocolError(err) && err.code === 'ENVELOPE_INVALID') reject();
 * }
 */

export type ProtocolErrorCode =
  /** The value is not in the RFC 8785 JSON data model (NaN, undefined, Date, cycle, lone surrogate…). */
  | 'NOT_CANONICALIZABLE'
  /** Any structural, hash, signature, unwrap, decryption or padding failure of an envelope. */
  | 'ENVELOPE_INVALID'
  /** Wrong passphrase, corrupted or hostile key file. */
  | 'KEYFILE_INVALID'
  /** An inbox key wrap does not open, or does not yield the certified inbox key. */
  | 'INBOX_KEY_INVALID'
  /** The padded content exceeds MAX_CIPHERTEXT_BYTES. */
  | 'CONTENT_TOO_LARGE'
  /** A malformed C2SP signed note, signature line, verifier key (vkey) or cosignature. */
  | 'NOTE_INVALID'
  /** A note text that is not a well-formed C2SP tlog-checkpoint. */
  | 'CHECKPOINT_INVALID'
  /** A malformed C2SP tlog-proof bundle. */
  | 'PROOF_INVALID'
  /** A path that is not a canonical C2SP tlog-tiles tile or entry-bundle path. */
  | 'TILE_PATH_INVALID'
  /** A malformed C2SP entry bundle, or an entry too long for one (> 65,535 bytes). */
  | 'ENTRY_BUNDLE_INVALID'
  /** A protocol template drafted without a binding for one of its `{{role}}` placeholders. */
  | 'TEMPLATE_BINDING_MISSING';

const DEFAULT_MESSAGES: Record<ProtocolErrorCode, string> = {
  NOT_CANONICALIZABLE: 'value cannot be canonicalized (RFC 8785)',
  ENVELOPE_INVALID: 'envelope invalid',
  KEYFILE_INVALID: 'key file invalid or wrong passphrase',
  INBOX_KEY_INVALID: 'inbox key wrap invalid',
  CONTENT_TOO_LARGE: 'content too large',
  NOTE_INVALID: 'signed note invalid',
  CHECKPOINT_INVALID: 'checkpoint invalid',
  PROOF_INVALID: 'proof bundle invalid',
  TILE_PATH_INVALID: 'tile path invalid',
  ENTRY_BUNDLE_INVALID: 'entry bundle invalid',
  TEMPLATE_BINDING_MISSING: 'template roles left unbound',
};

/**
 * The base error of `protocol/`.
 *
 * @example
 * throw new ProtocolError('CONTENT_TOO_LARGE');
 */
export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  declare readonly cause?: unknown;

  constructor(code: ProtocolErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? DEFAULT_MESSAGES[code], options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

/**
 * Narrows an unknown thrown value to a ProtocolError (optionally of one code).
 *
 * @example
 * if (isProtocolError(err, 'KEYFILE_INVALID')) askPassphraseAgain();
 */
export function isProtocolError(e: unknown, code?: ProtocolErrorCode): e is ProtocolError {
  return e instanceof ProtocolError && (code === undefined || e.code === code);
}
