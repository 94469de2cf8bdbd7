/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the bytes that are hashed and
 * signed. Numbers use ECMAScript Number::toString (RFC 8785 §3.2.2.3), strings
 * the JSON.stringify escaping (§3.2.2.2), object members are sorted by their
 * UTF-16 code units (§3.2.3), output is UTF-8 (§3.2.4), no whitespace.
 *
 * Anything outside the I-JSON data model is refused rather than silently
 * dropped or coerced (as JSON.stringify would): a signature must never cover
 * something other than what its signer saw.
 *
 * @example
 * canonicalize({ b: [1e30, -0], a: '€' }) // '{"a":"€","b":[1e+30,0]}'
 */
import { toB64u, utf8 } from './encoding.js';
import { ProtocolError } from './errors.js';

/** Nesting limit: deeper values are refused (hostile input must not exhaust the stack). */
export const MAX_CANONICAL_DEPTH = 256;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function refuse(why: string): never {
  throw new ProtocolError('NOT_CANONICALIZABLE', `value cannot be canonicalized (RFC 8785): ${why}`);
}

function serializeString(s: string): string {
  if (LONE_SURROGATE.test(s)) refuse('lone surrogate in string');
  // For well-formed strings JSON.stringify is exactly RFC 8785 §3.2.2.2:
  // \b \t \n \f \r \" \\ as short escapes, other controls as \u00xx (lowercase), the rest verbatim.
  return JSON.stringify(s);
}

function serializeNumber(n: number): string {
  if (!Number.isFinite(n)) refuse('non-finite number');
  // String(n) is ECMAScript Number::toString; String(-0) is already "0".
  return String(n);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      return serializeNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      // undefined, function, symbol, bigint
      return refuse(`${typeof value} is not JSON`);
  }
  if (value === null) return 'null';
  if (ancestors.includes(value)) refuse('cycle');
  if (ancestors.length >= MAX_CANONICAL_DEPTH) refuse('nesting too deep');
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) refuse('sparse array');
      parts.push(serialize(value[i], ancestors));
    }
    out = `[${parts.join(',')}]`;
  } else {
    if (!isPlainObject(value)) refuse('not a plain object');
    if (Object.getOwnPropertySymbols(value).length > 0) refuse('symbol key');
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort();
    const parts = keys.map((k) => `${serializeString(k)}:${serialize(record[k], ancestors)}`);
    out = `{${parts.join(',')}}`;
  }
  ancestors.pop();
  return out;
}

/**
 * The RFC 8785 canonical JSON text of a value. Throws
 * ProtocolError('NOT_CANONICALIZABLE') for non-finite numbers, undefined,
 * functions, symbols, bigints, non-plain objects (Date, Map, Uint8Array, class
 * instances), sparse arrays, lone surrogates, cycles and nesting deeper than
 * MAX_CANONICAL_DEPTH.
 *
 * @example
 * canonicalize({ '1': 'One', '\r': 'CR' }) // '{"\\r":"CR","1":"One"}'
 */
export function canonicalize(value: unknown): string {
  return serialize(value, []);
}

/**
 * The UTF-8 bytes of `canonicalize(value)`: what is hashed and signed.
 *
 * @example
 * canonicalBytes({ a: 1 }) // Uint8Array [123, 34, 97, 34, 58, 49, 125]
 */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalize(value));
}

/**
 * SHA-256 of a document's canonical form, base64url: what a log leaf commits
 * to (a registration, a certificate, a revocation, a retirement), what the
 * hub shows as a protocol's `documentHash`, what the parties compare. The hub,
 * the SDK, the CLI and the console all compute it here, so they agree byte
 * for byte.
 */
export function documentHash(sha256: (data: Uint8Array) => Uint8Array, document: unknown): string {
  return toB64u(sha256(canonicalBytes(document)));
}
