import type { FastifyError, FastifyInstance } from 'fastify';
import { causesOf, conflictOf } from '../db/conflicts.js';
import { ERRORS, isVigieError, langOf, messageFor, type ErrorCode } from './errors.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const UNREACHABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Stream isn't writeable)/;

/**
 * True when the error, or one of its causes (drizzle wraps the driver's error),
 * says PostgreSQL or Redis cannot be reached right now — down, restarting,
 * shutting down, out of connections — rather than that the request is wrong or
 * the hub is broken: the caller may try again (503, not 500).
 */
export function isStoreUnavailable(err: unknown): boolean {
  for (const e of causesOf(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNREACHABLE.has(code) || code.startsWith('08')) return true;
    if (e.name === 'MaxRetriesPerRequestError') return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

function codeOf(err: FastifyError): ErrorCode {
  if (err.validation) return 'INVALID_REQUEST';
  // A deadlock or serialization conflict stored nothing: try again, as when a store is unreachable.
  if (isStoreUnavailable(err) || conflictOf(err) !== null) return 'SERVICE_UNAVAILABLE';
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'MALFORMED_JSON';
  }
  if (err instanceof SyntaxError) return 'MALFORMED_JSON';
  if (err.statusCode === 429) return 'RATE_LIMITED';
  if (err.statusCode === 404) return 'NOT_FOUND';
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return 'INVALID_REQUEST';
  return 'INTERNAL';
}

/**
 * One mapping from error to response: a stable code, a message in the
 * caller's language (French by default), and nothing of a 5xx's internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const lang = langOf(request.headers['accept-language']);
    const code: ErrorCode = isVigieError(err) ? err.code : codeOf(err);
    const status = isVigieError(err) ? err.status : code === 'INVALID_REQUEST' && err.statusCode && err.statusCode < 500 ? err.statusCode : ERRORS[code][0];
    if (code === 'SERVICE_UNAVAILABLE') request.log.warn({ err }, 'request failed, to be tried again: a store is unavailable, or a conflict aborted it');
    else if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code }, 'request refused');
    const body: { error: { code: ErrorCode; message: string; details?: unknown } } = { error: { code, message: messageFor(code, lang) } };
    if (code === 'INVALID_REQUEST' && err.validation) {
      body.error.details = err.validation.slice(0, 10).map((v) => ({ path: v.instancePath || '/', problem: v.message }));
    } else if (isVigieError(err) && (err.detailWords || err.detail) && status < 500) {
      body.error.details = err.detailWords?.[lang] ?? err.detail;
    }
    if (code === 'SERVICE_UNAVAILABLE' || code === 'HUB_BUSY') void reply.header('retry-after', '1');
    if (code === 'RATE_LIMITED' && err.statusCode === 429) void reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const lang = langOf(request.headers['accept-language']);
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: messageFor('NOT_FOUND', lang) } });
  });
}
