import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigieError } from './errors.js';

// U+0000 cannot be stored in a PostgreSQL text or jsonb value, and a lone
// surrogate has no UTF-8 form: neither can be part of any field of Vigie's wire.
const FORBIDDEN_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type Finding = 'TEXT_INVALID' | 'NUMBER_OUT_OF_RANGE' | null;

/**
 * The first value no field can hold: a string or member name with U+0000 or a
 * lone surrogate (when `text`), or a number that is not finite or an integer
 * beyond ±(2^53 − 1) (JSON's 1e400 parses to Infinity; 2^53 + 2 silently loses
 * its meaning). Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function findHostile(root: unknown, text: boolean): Finding {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (text && FORBIDDEN_TEXT.test(value)) return 'TEXT_INVALID';
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) return 'NUMBER_OUT_OF_RANGE';
    } else if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (text && FORBIDDEN_TEXT.test(key)) return 'TEXT_INVALID';
        stack.push(item);
      }
    }
  }
  return null;
}

function refuse(request: FastifyRequest, text: boolean): void {
  for (const part of [request.params, request.query, request.body]) {
    const found = findHostile(part, text);
    if (found) throw new VigieError(found);
  }
}

/**
 * One guard for every route, before any handler, database or log sees the
 * input: hostile text is refused before validation (TEXT_INVALID), numbers
 * both as parsed from JSON and once the schemas have coerced the query and
 * path (`?after=1e400` becomes Infinity) (NUMBER_OUT_OF_RANGE). Registered on
 * the root instance before the routes, so routes added later are covered.
 */
export function installHostileInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => refuse(request, true));
  app.addHook('preHandler', async (request) => refuse(request, false));
}
