/**
 * Waiting for a step, but not for ever: one race of a promise against a
 * timer, which never keeps the process alive and is cleared as soon as the
 * step ends. The named intents below are what callers mean by it.
 */

/** `{ done: true, value }` when `step` resolves within `ms`; `{ done: false }` when it takes longer; rejects with its error. */
export async function within<T>(step: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      step.then((value) => ({ done: true as const, value })),
      new Promise<{ done: false }>((res) => {
        timer = setTimeout(() => res({ done: false }), ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one shutdown step without letting it hold up the others: resolves
 * when the step ends, fails, or takes longer than `ms` (a Redis that is down
 * must not keep the process from closing).
 */
export async function settleWithin(step: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (step) await within(step.catch(() => undefined), ms);
}

/** True when `step` resolves within `ms`; false when it takes longer; rethrows its error. */
export async function finishesWithin(step: Promise<unknown>, ms: number): Promise<boolean> {
  return (await within(step, ms)).done;
}

/** The value of `step`, or undefined when it fails or takes longer than `ms`. */
export async function valueWithin<T>(step: Promise<T>, ms: number): Promise<T | undefined> {
  const r = await within(step.catch(() => undefined), ms);
  return r.done ? r.value : undefined;
}

/** The value of `step`; rejects with its error, or with `timeout` when it takes longer than `ms`. */
export async function orTimeout<T>(step: Promise<T>, ms: number): Promise<T> {
  const r = await within(step, ms);
  if (!r.done) throw new Error('timeout');
  return r.value;
}
