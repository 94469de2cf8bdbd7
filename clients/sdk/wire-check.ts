/**
 * Every answer and stream frame of the hub is checked against its schema in
 * `protocol/api/` before the SDK hands it on: a hub that answers something
 * else (another version, a proxy's page, a bug, a hostile operator) becomes a
 * typed ProtocolMismatchError that names the route, never the content.
 * Each schema's check is made once (protocol/schema-check.ts), compiled on
 * Node (installed below: several times cheaper per frame) and interpreted in
 * a browser, whose content security policy allows no `eval`; both apply the
 * same rules. The envelope's own checks (protocol/envelope.ts) use it too.
 *
 * @example
 * const status = checkAnswer(MessageStatusSchema, parsed, ROUTES.messageStatus);
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ROUTES } from '../../protocol/api/routes.js';
import { checkerOf, compileChecksWith } from '../../protocol/schema-check.js';

// Node (the CLI, a partner's integration, the bench) may compile code; a browser under the console's CSP may not.
if (typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string') {
  compileChecksWith((schema) => {
    const compiled = TypeCompiler.Compile(schema);
    return (value) => compiled.Check(value);
  });
}

export const PROTOCOL_MISMATCH_CODES = ['RESPONSE_INVALID', 'FRAME_INVALID'] as const;
/** `RESPONSE_INVALID`: an HTTP answer; `FRAME_INVALID`: a frame of the stream. */
export type ProtocolMismatchCode = (typeof PROTOCOL_MISMATCH_CODES)[number];

/** The hub answered something the wire contract does not allow. */
export class ProtocolMismatchError extends Error {
  constructor(
    readonly code: ProtocolMismatchCode,
    /** The route as protocol/api/routes.ts names it (`/v1/messages/:id/status`): no id, no query, no content. */
    readonly route: string,
  ) {
    super(`${code}: the hub's answer to ${route} does not match the wire contract`);
    this.name = 'ProtocolMismatchError';
  }
}

export const isProtocolMismatch = (err: unknown): err is ProtocolMismatchError => err instanceof ProtocolMismatchError;

const TEMPLATES = Object.values(ROUTES).map((route) => ({
  route,
  pattern: new RegExp(`^${route.replace(/\*/g, '.+').replace(/:[A-Za-z]+/g, '[^/]+')}$`),
}));

/**
 * The route template a concrete path was built from (`/v1/messages/0190…/status`
 * → `/v1/messages/:id/status`); `other` when no route has that shape.
 */
export function routeOf(path: string): string {
  const bare = path.split(/[?#]/)[0] ?? '';
  // The most specific first: `/v1/protocols/:id/retirement` before `/v1/protocols/:id/:version`.
  const matches = TEMPLATES.filter((t) => t.pattern.test(bare));
  matches.sort((a, b) => (a.route.match(/[:*]/g)?.length ?? 0) - (b.route.match(/[:*]/g)?.length ?? 0));
  return matches[0]?.route ?? 'other';
}

/** The value, typed by its schema, or a ProtocolMismatchError. */
export function checkWire<S extends TSchema>(schema: S, value: unknown, code: ProtocolMismatchCode, route: string): Static<S> {
  if (!checkerOf(schema)(value)) throw new ProtocolMismatchError(code, route);
  return value;
}
