/**
 * A person's action on the hub (approve, revoke, sign, send…): busy while
 * it runs — its button says so, the others wait — and its failure in words,
 * the previous one cleared first.
 */
import { useState } from 'preact/hooks';
import { errorText } from './errors.js';
import { useLang } from './lang.js';

export interface Action {
  /** What runs now (the `what` given to `run`), or null. */
  running: string | null;
  busy: boolean;
  /** The last failure in words, or the problem the view itself found. */
  error: string | null;
  /** The last failure as it was thrown, for a view that explains a refusal with what to do. */
  failure: unknown;
  /** Shows a problem the view found itself (before or while it runs); null clears it. */
  fail(text: string | null): void;
  /**
   * Runs `work`; true once it succeeded. `leaves`: the view goes away on
   * success (it navigates or reloads), so it stays busy until then and
   * nothing is sent twice.
   */
  run(work: () => Promise<unknown>, options?: { what?: string; leaves?: boolean }): Promise<boolean>;
}

/** `explain` says a failure the view knows better than errorText does (null: errorText's words). */
export function useAction(explain?: (err: unknown) => string | null): Action {
  const { lang } = useLang();
  const [running, setRunning] = useState<string | null>(null);
  const [failed, setFailed] = useState<{ error: string; failure: unknown } | null>(null);
  return {
    running,
    busy: running !== null,
    error: failed?.error ?? null,
    failure: failed?.failure ?? null,
    fail: (text) => setFailed(text === null ? null : { error: text, failure: null }),
    async run(work, { what = 'action', leaves = false } = {}) {
      setRunning(what);
      setFailed(null);
      try {
        await work();
        if (!leaves) setRunning(null);
        return true;
      } catch (err) {
        setFailed({ error: explain?.(err) ?? errorText(lang, err), failure: err });
        setRunning(null);
        return false;
      }
    },
  };
}
