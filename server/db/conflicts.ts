/**
 * PostgreSQL aborted a statement to settle a conflict between transactions —
 * a deadlock (40P01: two transactions each waiting for a row the other
 * holds) or a serialization failure (40001) — rather than because the
 * request was wrong: nothing of the statement was stored, and the same
 * request run again may succeed. drizzle wraps the driver's error: its
 * causes are looked at too.
 *
 * @example
 * try { await statement(db, values) } catch (err) { if (conflictOf(err)) retry(); else throw err; }
 */
const CONFLICT_CODES = new Set(['40P01', '40001']);

/** The SQLSTATE of such an abort ('40P01', '40001'), or null when `err` is anything else. */
export function conflictOf(err: unknown): string | null {
  for (const e of causesOf(err)) if (typeof e.code === 'string' && CONFLICT_CODES.has(e.code)) return e.code;
  return null;
}

/** An error and its causes, outermost first (five at most): drivers' errors arrive wrapped by drizzle. */
export function* causesOf(err: unknown): Generator<{ code?: unknown; message?: unknown; name?: unknown; cause?: unknown }> {
  let e = err as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth++) yield e;
}
