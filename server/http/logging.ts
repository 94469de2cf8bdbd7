import type { LoggerOptions } from 'pino';

/** Never log tokens, keys or content: these paths are censored wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  '*.authorization',
  '*.access_token',
  '*.client_assertion',
  '*.token',
  '*.operatorToken',
  '*.metricsToken',
  '*.admissionCode',
  '*.ciphertext',
  '*.wrappedKey',
  '*.wraps',
  '*.key',
  '*.secretKey',
  '*.privateKey',
  '*.passphrase',
];

/** PostgreSQL's facts about a failure that name no value: SQLSTATE, severity, and where (never `detail`, `where` or `hint`). */
const DATABASE_FACTS = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;
/** What other errors may say besides their message: codes, never payloads. */
const ERROR_FACTS = ['code', 'statusCode', 'errno', 'syscall'] as const;
const SQLSTATE = /^[0-9A-Z]{5}$/;
const QUERY_TEXT = /Failed query:|\bparams:|\b(insert into|select .* from|update .* set|delete from)\b/is;
const WITHHELD = 'database error (query, parameters and detail withheld)';

type ErrorLike = Record<string, unknown> & { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };

/**
 * A database error: drizzle's DrizzleQueryError (its message is the query and
 * its parameters), or the driver's (node-postgres' and PGlite's carry a
 * SQLSTATE `code` and a `severity`; their message and `detail` may quote values).
 */
function isDatabaseError(e: ErrorLike): boolean {
  if (e.name === 'DrizzleQueryError' || ('query' in e && 'params' in e)) return true;
  return typeof e.code === 'string' && SQLSTATE.test(e.code) && ('severity' in e || 'routine' in e);
}

/** The call frames of a stack, without its first lines (they repeat the message). */
const framesOf = (stack: unknown) => (typeof stack === 'string' ? stack.split('\n').filter((l) => l.startsWith('    at ')).join('\n') : undefined);

/**
 * The `err` serializer of every log line of the hub (pino's, used by Fastify
 * and by every `log.x({ err }, …)`): the error's type, message, stack and
 * stable codes, and its causes — but of a database error only the SQLSTATE
 * code and the constraint, table and column, never its message, query,
 * parameters or PostgreSQL's `detail`, which can hold a whole envelope. A
 * string (`{ err: err.message }`) that quotes a query is withheld too.
 *
 * @example
 * log.error({ err }, 'request failed'); // {"err":{"type":"DrizzleQueryError","message":"database error (…withheld)","cause":{"type":"DatabaseError","code":"23505","constraint":"messages_pkey"}}}
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return QUERY_TEXT.test(err) ? WITHHELD : err;
  if (typeof err !== 'object' || err === null) return err;
  const e = err as ErrorLike;
  const constructorName = (e.constructor as { name?: unknown } | undefined)?.name;
  const type = typeof constructorName === 'string' && constructorName !== 'Object' ? constructorName : typeof e.name === 'string' ? e.name : 'Error';
  const out: Record<string, unknown> = { type };
  if (isDatabaseError(e)) {
    out.message = WITHHELD;
    for (const key of DATABASE_FACTS) if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
    out.stack = framesOf(e.stack);
  } else {
    const message = typeof e.message === 'string' ? e.message : '';
    const quotesQuery = QUERY_TEXT.test(message);
    out.message = quotesQuery ? WITHHELD : message;
    for (const key of ERROR_FACTS) if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
    out.stack = quotesQuery ? framesOf(e.stack) : e.stack;
  }
  if (e.cause !== undefined && depth < 5) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'vigie-hub' },
    serializers: { err: serializeError },
  };
}
