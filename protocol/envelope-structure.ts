/**
 * Structural checks of an envelope header that do not rely on a prior schema
 * validation: the hub and the recipients apply them to untrusted input.
 *
 * @example
 * checkEnvelopeStructure(envelope.header) // false if a wrap is missing or duplicated
 */
import { b64uByteLength } from './encoding.js';
import { MAX_RECIPIENTS } from './schemas.js';

/** The content encryption algorithm of envelope version 1. */
export const CONTENT_ALG = 'xchacha20poly1305-ietf';

const WRAP_BYTES = 80; // crypto_box_seal of a 32-byte key: 32 (epk) + 32 + 16 (tag)

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const decodesTo = (value: unknown, length: number): boolean => b64uByteLength(value) === length;

/**
 * True when `header` has version 1, 1 to MAX_RECIPIENTS distinct recipients
 * that do not include the sender's inbox, a content descriptor with a 24-byte
 * nonce and a 32-byte hash, and wraps of 80 bytes that name each recipient
 * and the sender's inbox exactly once and nothing else. Never throws.
 *
 * @example
 * checkEnvelopeStructure({ ...header, wraps: header.wraps.slice(1) }) // false
 */
export function checkEnvelopeStructure(header: unknown): boolean {
  if (!isRecord(header) || header.v !== 1) return false;
  const { sender, recipients, content, wraps } = header;
  if (!isRecord(sender) || typeof sender.inbox !== 'string') return false;
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > MAX_RECIPIENTS) return false;
  if (!recipients.every((r) => typeof r === 'string')) return false;
  const expected = new Set<string>(recipients as string[]);
  if (expected.size !== recipients.length || expected.has(sender.inbox)) return false;
  expected.add(sender.inbox);

  if (!isRecord(content) || content.alg !== CONTENT_ALG) return false;
  if (!decodesTo(content.nonce, 24) || !decodesTo(content.hash, 32)) return false;

  if (!Array.isArray(wraps) || wraps.length !== expected.size) return false;
  const seen = new Set<string>();
  for (const wrap of wraps as unknown[]) {
    if (!isRecord(wrap) || typeof wrap.inbox !== 'string' || !decodesTo(wrap.key, WRAP_BYTES)) return false;
    if (!expected.has(wrap.inbox) || seen.has(wrap.inbox)) return false;
    seen.add(wrap.inbox);
  }
  return seen.size === expected.size;
}
