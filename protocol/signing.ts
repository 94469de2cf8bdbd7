/**
 * Domain-separated Ed25519 signatures over canonical JSON documents. The
 * signed bytes are `"vigie/<context>/v1\n" ‖ RFC 8785 bytes`, so a signature
 * made for one kind of document never verifies as another kind.
 *
 * @example
 * const signed = signDocument(crypto, 'receipt', receipt, member.secretKey);
 * verifyDocument(crypto, 'receipt', signed, member.publicKey); // true
 * verifyDocument(crypto, 'member-certificate', signed, member.publicKey); // false
 */
import { canonicalBytes } from './canonical.js';
import type { CryptoPort } from './crypto-port.js';
import { concatBytes, fromB64u, toB64u, utf8 } from './encoding.js';
import type { SignedDocument } from './schemas.js';

export const SIGNING_CONTEXTS = [
  'envelope',
  'inbox-certificate',
  'member-certificate',
  'agency-registration',
  'member-revocation',
  'receipt',
  'protocol',
  'protocol-retirement',
  'invitation',
  'agency-request',
] as const;
export type SigningContext = (typeof SIGNING_CONTEXTS)[number];

const CONTEXT_OF_TYPE: Readonly<Record<string, SigningContext>> = Object.freeze({
  inbox: 'inbox-certificate',
  member: 'member-certificate',
  agency: 'agency-registration',
  'member-revocation': 'member-revocation',
  receipt: 'receipt',
  protocol: 'protocol',
  'protocol-retirement': 'protocol-retirement',
  invitation: 'invitation',
  'agency-request': 'agency-request',
});

/**
 * The bytes an Ed25519 signature covers: UTF-8 of `"vigie/" + context + "/v1\n"`
 * followed by the RFC 8785 canonical bytes of the document. Throws
 * ProtocolError('NOT_CANONICALIZABLE') if the document is not JSON.
 *
 * @example
 * fromUtf8(signingInput('receipt', { a: 1 })) // 'vigie/receipt/v1\n{"a":1}'
 */
export function signingInput(context: SigningContext, document: unknown): Uint8Array {
  return signingInputOfCanonical(context, canonicalBytes(document));
}

/** signingInput of a document whose canonical bytes the caller already has (and hashes too). */
export function signingInputOfCanonical(context: SigningContext, canonical: Uint8Array): Uint8Array {
  if (!SIGNING_CONTEXTS.includes(context)) throw new TypeError('unknown signing context');
  return concatBytes(utf8(`vigie/${context}/v1\n`), canonical);
}

/**
 * The signing context of a signed document, from its `type` field, or null
 * for a value that is not one of the signed document kinds.
 *
 * @example
 * contextOfDocument({ type: 'inbox', v: 1 }) // 'inbox-certificate'
 * contextOfDocument({ type: 'danger_alert' }) // null
 */
export function contextOfDocument(doc: unknown): SigningContext | null {
  if (typeof doc !== 'object' || doc === null) return null;
  const type: unknown = (doc as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(CONTEXT_OF_TYPE, type)) return null;
  return CONTEXT_OF_TYPE[type] ?? null;
}

/**
 * Signs a document under a context with an Ed25519 secret key (64 bytes).
 *
 * @example
 * const signed = signDocument(crypto, 'inbox-certificate', certificate, agencyRoot.secretKey);
 * // { document: certificate, signature: 'q2V…' }
 */
export function signDocument<T>(
  crypto: CryptoPort,
  context: SigningContext,
  document: T,
  secretKey: Uint8Array,
): SignedDocument<T> {
  return { document, signature: toB64u(crypto.sign(signingInput(context, document), secretKey)) };
}

/**
 * Verifies a signed document under a context. Never throws: false for a bad
 * signature, a malformed value, a document that is not JSON, or a document
 * whose `type` belongs to another context (for every context but 'envelope',
 * whose headers carry a message type instead).
 *
 * @example
 * if (!verifyDocument(crypto, 'member-certificate', body, agency.rootKey)) refuse();
 */
export function verifyDocument(
  crypto: CryptoPort,
  context: SigningContext,
  signed: unknown,
  publicKey: Uint8Array,
): boolean {
  try {
    if (typeof signed !== 'object' || signed === null) return false;
    const { document, signature } = signed as { document?: unknown; signature?: unknown };
    if (typeof signature !== 'string' || typeof document !== 'object' || document === null) return false;
    if (context !== 'envelope' && contextOfDocument(document) !== context) return false;
    const sig = fromB64u(signature);
    return crypto.verify(sig, signingInput(context, document), publicKey);
  } catch {
    return false;
  }
}
