/**
 * The message envelope: a signed header (routing metadata, content hash, key
 * wraps) and the XChaCha20-Poly1305 ciphertext of the padded canonical
 * content. The hub verifies (`verifyEnvelope`) and never decrypts; recipients
 * open (`openEnvelope`). Byte-level specification: docs/wire-format.md.
 *
 * @example
 * const envelope = buildEnvelope(crypto, {
 *   type: 'danger_alert', urgency: 'immediate',
 *   sender: { agency: 'shelter-laval', member, inbox: 'shelter-laval/intake' },
 *   senderInboxKey, recipients: [{ inbox: 'police-laval/dispatch', encryptionKey }],
 *   content: { text: 'Appel reçu…' }, signingSecretKey,
 * });
 * const { content } = openEnvelope(crypto, envelope, keys);
 */
import { Value } from '@sinclair/typebox/value';
import { canonicalBytes, canonicalize } from './canonical.js';
import type { CryptoPort } from './crypto-port.js';
import { bytesEqual, concatBytes, fromB64u, fromUtf8, toB64u, utf8 } from './encoding.js';
import { checkEnvelopeStructure, CONTENT_ALG } from './envelope-structure.js';
import { ProtocolError } from './errors.js';
import { padContent, paddedLength, unpadContent } from './padding.js';
import { checkerOf } from './schema-check.js';
import { EnvelopeHeaderSchema, EnvelopeSchema, MAX_CIPHERTEXT_BYTES, type Envelope, type EnvelopeHeader } from './schemas.js';
import { signingInput, signingInputOfCanonical } from './signing.js';
import { randomUuid } from './uuid.js';

export { CONTENT_ALG } from './envelope-structure.js';

const AEAD_TAG_BYTES = 16;
const CONTENT_KEY_BYTES = 32;
const NONCE_BYTES = 24;
const AD_PREFIX = 'vigie/envelope-ad/v1\n';

export interface EnvelopeRecipient {
  inbox: string;
  /** The inbox's certified X25519 public key. */
  encryptionKey: Uint8Array;
  /**
   * Its certificate's `keyVersion`, which the wrap names: the hub then refuses
   * a key that is no longer the inbox's current one. Left out only for a hub
   * older than key versions (which refuses a wrap that names one).
   */
  keyVersion?: number;
}

export interface BuildEnvelopeInput {
  /** Default: a random UUID v4. */
  id?: string;
  /** Default: now, RFC 3339 UTC with milliseconds. */
  createdAt?: string;
  type: EnvelopeHeader['type'];
  sender: EnvelopeHeader['sender'];
  /** X25519 public key of the sender's own inbox (it gets the last wrap). */
  senderInboxKey: Uint8Array;
  /** Its certificate's `keyVersion` (left out as the recipients' are). */
  senderInboxKeyVersion?: number;
  recipients: readonly EnvelopeRecipient[];
  urgency: EnvelopeHeader['urgency'];
  protocol?: EnvelopeHeader['protocol'];
  legalBasis?: EnvelopeHeader['legalBasis'];
  /** Default: []. */
  dataCategories?: readonly string[];
  /** The attached risk assessment's instrument, version and final level (the answers travel in the content). */
  assessment?: EnvelopeHeader['assessment'];
  replyTo?: string;
  /** Any JSON value (RFC 8785 data model). */
  content: unknown;
  /** The sender member's Ed25519 secret key (64 bytes). */
  signingSecretKey: Uint8Array;
  /** Test vectors only: fixed content key (32 bytes). */
  contentKey?: Uint8Array;
  /** Test vectors only: fixed nonce (24 bytes). */
  nonce?: Uint8Array;
  /** Test vectors only: deterministic crypto_box_seal. */
  seal?: (key: Uint8Array, publicKey: Uint8Array) => Uint8Array;
}

export interface EnvelopeKeys {
  /** The inbox this client reads for (a recipient, or the sender's own inbox). */
  inbox: string;
  inboxPublicKey: Uint8Array;
  inboxSecretKey: Uint8Array;
  /** The sender member's certified Ed25519 public key. */
  senderSigningKey: Uint8Array;
}

type HeaderWithoutHash = Omit<EnvelopeHeader, 'content'> & { content: Omit<EnvelopeHeader['content'], 'hash'> };

function adOf(header: HeaderWithoutHash): Uint8Array {
  return concatBytes(utf8(AD_PREFIX), canonicalBytes(header));
}

/**
 * The AEAD associated data of an envelope: UTF-8 of "vigie/envelope-ad/v1\n"
 * followed by the canonical header without `content.hash` (which is computed
 * from the ciphertext, so it cannot be an input of it). Everything else,
 * wraps included, is bound to the ciphertext.
 *
 * @example
 * const ad = associatedData(envelope.header);
 */
export function associatedData(header: EnvelopeHeader): Uint8Array {
  const { hash: _hash, ...content } = header.content;
  return adOf({ ...header, content });
}

/**
 * SHA-256 of the canonical header: what receipts name (`headerHash`).
 *
 * @example
 * toB64u(headerHash(crypto, envelope.header)) // '3q2-…'
 */
export function headerHash(crypto: CryptoPort, header: EnvelopeHeader): Uint8Array {
  return crypto.sha256(canonicalBytes(header));
}

function requireBytes(name: string, value: Uint8Array, length: number): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) throw new RangeError(`${name} must be ${length} bytes`);
  return value;
}

/**
 * Encrypts, wraps and signs a message. Throws ProtocolError('CONTENT_TOO_LARGE')
 * when the padded content would exceed MAX_CIPHERTEXT_BYTES, ProtocolError
 * ('NOT_CANONICALIZABLE') when the content is not JSON, and TypeError when the
 * resulting header would not match EnvelopeHeaderSchema (bad ids, duplicate
 * recipients, the sender's inbox among the recipients…).
 *
 * @example
 * const envelope = buildEnvelope(crypto, { type: 'note', urgency: 'routine', sender, senderInboxKey,
 *   recipients: [{ inbox: 'police-laval/dispatch', encryptionKey }], content: 'bonjour', signingSecretKey });
 */
export function buildEnvelope(crypto: CryptoPort, input: BuildEnvelopeInput): Envelope {
  const plaintext = canonicalBytes(input.content);
  if (paddedLength(plaintext.length) + AEAD_TAG_BYTES > MAX_CIPHERTEXT_BYTES) {
    throw new ProtocolError('CONTENT_TOO_LARGE');
  }
  const key = input.contentKey ? requireBytes('contentKey', input.contentKey, CONTENT_KEY_BYTES).slice() : crypto.randomBytes(CONTENT_KEY_BYTES);
  const nonce = input.nonce ? requireBytes('nonce', input.nonce, NONCE_BYTES) : crypto.randomBytes(NONCE_BYTES);
  const padded = padContent(plaintext);
  try {
    const seal = input.seal ?? ((m: Uint8Array, pk: Uint8Array) => crypto.seal(m, pk));
    const targets: EnvelopeRecipient[] = [...input.recipients, { inbox: input.sender.inbox, encryptionKey: input.senderInboxKey, keyVersion: input.senderInboxKeyVersion }];
    const wraps = targets.map((t) => ({ inbox: t.inbox, ...(t.keyVersion === undefined ? {} : { keyVersion: t.keyVersion }), key: toB64u(seal(key, t.encryptionKey)) }));

    const unsigned: HeaderWithoutHash = {
      v: 1,
      id: input.id ?? randomUuid(crypto),
      type: input.type,
      createdAt: input.createdAt ?? new Date().toISOString(),
      sender: { agency: input.sender.agency, member: input.sender.member, inbox: input.sender.inbox },
      recipients: input.recipients.map((r) => r.inbox),
      urgency: input.urgency,
      dataCategories: [...(input.dataCategories ?? [])],
      content: { alg: CONTENT_ALG, nonce: toB64u(nonce) },
      wraps,
    };
    // Optional members are present only when set: canonical JSON has no `undefined`.
    if (input.protocol !== undefined) unsigned.protocol = input.protocol;
    if (input.legalBasis !== undefined) unsigned.legalBasis = input.legalBasis;
    if (input.assessment !== undefined) unsigned.assessment = { instrument: input.assessment.instrument, version: input.assessment.version, level: input.assessment.level };
    if (input.replyTo !== undefined) unsigned.replyTo = input.replyTo;

    const ciphertext = crypto.aeadEncrypt(padded, adOf(unsigned), nonce, key);
    const header: EnvelopeHeader = { ...unsigned, content: { ...unsigned.content, hash: toB64u(crypto.sha256(ciphertext)) } };
    if (!checkerOf(EnvelopeHeaderSchema)(header)) {
      const first = Value.Errors(EnvelopeHeaderSchema, header).First();
      throw new TypeError(`envelope header invalid at ${first?.path ?? '/'}: ${first?.message ?? 'schema'}`);
    }
    if (!checkEnvelopeStructure(header)) throw new TypeError('envelope recipients invalid (duplicate, or the sender inbox)');
    const signature = crypto.sign(signingInput('envelope', header), input.signingSecretKey);
    return { header, signature: toB64u(signature), ciphertext: toB64u(ciphertext) };
  } finally {
    crypto.wipe(key);
    crypto.wipe(padded);
    crypto.wipe(plaintext);
  }
}

interface LooseEnvelope {
  header: EnvelopeHeader;
  signature: string;
  ciphertext: string;
}

function isLooseEnvelope(value: unknown): value is LooseEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.signature === 'string' && typeof e.ciphertext === 'string' && checkEnvelopeStructure(e.header);
}

/**
 * Checks what the hub can check without decrypting: structure (the wraps name
 * each recipient and the sender's inbox exactly once, nothing else; sizes),
 * SHA-256 of the ciphertext against `content.hash`, and the sender's Ed25519
 * signature over the header. Never throws; does not depend on a prior schema
 * validation.
 *
 * @example
 * if (!verifyEnvelope(crypto, body, memberSigningKey)) reply(422, 'ENVELOPE_INVALID');
 */
export function verifyEnvelope(crypto: CryptoPort, envelope: unknown, senderSigningKey: Uint8Array): boolean {
  return verified(crypto, envelope, senderSigningKey) !== null;
}

/**
 * verifyEnvelope, and then the header's hash (headerHash) from the same
 * canonical bytes; null when the envelope does not verify. Never throws.
 *
 * @example
 * const hash = verifiedHeaderHash(crypto, body, memberSigningKey);
 * if (!hash) reply(422, 'SIGNATURE_INVALID');
 */
export function verifiedHeaderHash(crypto: CryptoPort, envelope: unknown, senderSigningKey: Uint8Array): Uint8Array | null {
  const ok = verified(crypto, envelope, senderSigningKey);
  return ok && crypto.sha256(ok.header);
}

/** What verifyEnvelope checks; on success the decoded ciphertext and the header's canonical bytes, for the caller's next step. */
function verified(crypto: CryptoPort, envelope: unknown, senderSigningKey: Uint8Array): { ciphertext: Uint8Array; header: Uint8Array } | null {
  try {
    if (!isLooseEnvelope(envelope)) return null;
    const ciphertext = fromB64u(envelope.ciphertext);
    const n = ciphertext.length - AEAD_TAG_BYTES;
    if (n <= 0 || paddedLength(n - 1) !== n || ciphertext.length > MAX_CIPHERTEXT_BYTES) return null;
    const hashOk = bytesEqual(crypto.sha256(ciphertext), fromB64u(envelope.header.content.hash));
    const signature = fromB64u(envelope.signature);
    const header = canonicalBytes(envelope.header);
    const signatureOk = crypto.verify(signature, signingInputOfCanonical('envelope', header), senderSigningKey);
    return hashOk && signatureOk ? { ciphertext, header } : null;
  } catch {
    return null;
  }
}

/**
 * Verifies and decrypts an envelope for one inbox: schema, verifyEnvelope,
 * unwrap of the content key for `keys.inbox`, AEAD decryption bound to the
 * header, strict unpadding, UTF-8 (without a byte-order mark) and JSON
 * decoding, and a check that the content was canonical. Every failure throws the same
 * ProtocolError('ENVELOPE_INVALID') with the same message (no oracle).
 *
 * @example
 * const { header, content } = openEnvelope(crypto, envelope, {
 *   inbox: 'police-laval/dispatch', inboxPublicKey, inboxSecretKey, senderSigningKey,
 * });
 */
export function openEnvelope(
  crypto: CryptoPort,
  envelope: unknown,
  keys: EnvelopeKeys,
): { header: EnvelopeHeader; content: unknown } {
  let contentKey: Uint8Array | null = null;
  let padded: Uint8Array | null = null;
  let plaintext: Uint8Array | null = null;
  try {
    if (!checkerOf(EnvelopeSchema)(envelope)) throw new Error();
    const checked = verified(crypto, envelope, keys.senderSigningKey);
    if (!checked) throw new Error();
    const { header } = envelope;
    const wrap = header.wraps.find((w) => w.inbox === keys.inbox);
    if (!wrap) throw new Error();
    contentKey = crypto.sealOpen(fromB64u(wrap.key), keys.inboxPublicKey, keys.inboxSecretKey);
    if (!contentKey || contentKey.length !== CONTENT_KEY_BYTES) throw new Error();
    const nonce = fromB64u(header.content.nonce);
    padded = crypto.aeadDecrypt(checked.ciphertext, associatedData(header), nonce, contentKey);
    if (!padded) throw new Error();
    plaintext = unpadContent(padded);
    if (!plaintext) throw new Error();
    // Text is UTF-8 without a byte-order mark (docs/wire-format.md §1): a decoder would strip it silently.
    if (plaintext[0] === 0xef && plaintext[1] === 0xbb && plaintext[2] === 0xbf) throw new Error();
    const text = fromUtf8(plaintext);
    const content: unknown = JSON.parse(text);
    if (canonicalize(content) !== text) throw new Error();
    return { header, content };
  } catch {
    throw new ProtocolError('ENVELOPE_INVALID');
  } finally {
    for (const secret of [contentKey, padded, plaintext]) if (secret) crypto.wipe(secret);
  }
}
