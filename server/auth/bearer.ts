/**
 * Bearer tokens as the hub reads them: from `Authorization: Bearer <token>`,
 * or, for a browser's stream (which cannot set a header), from the
 * `vigie.bearer.<token>` subprotocol; and a fixed secret (the operator's
 * token, the metrics token) compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { BEARER_SUBPROTOCOL_PREFIX } from '../../protocol/stream.js';

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header?.startsWith('Bearer ')) return undefined;
  return header.slice(7).trim() || undefined;
}

/** Bearer token from `Authorization`, or from the `vigie.bearer.<token>` WebSocket subprotocol. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const fromHeader = bearerToken(request.headers.authorization);
  if (fromHeader) return fromHeader;
  const protocols = request.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',')) {
      const v = p.trim();
      if (v.startsWith(BEARER_SUBPROTOCOL_PREFIX)) return v.slice(BEARER_SUBPROTOCOL_PREFIX.length);
    }
  }
  return undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when the request's bearer token is `secret`; compared in constant time (both sides hashed to one length). */
export function holdsSecret(secret: string): (request: FastifyRequest) => boolean {
  const expected = digest(secret);
  return (request) => {
    const given = bearerToken(request.headers.authorization);
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}
