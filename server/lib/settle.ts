/**
 * Runs one shutdown step without letting it hold up the others: resolves
 * when the step ends, fails, or takes longer than `ms` (a Redis that is down
 * must not keep the process from closing).
 */
export async function settleWithin(step: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!step) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    step.catch(() => {}),
    new Promise<void>((res) => {
      timer = setTimeout(res, ms);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

/** True when `step` resolves within `ms`; false when it takes longer; rethrows its error. */
export async function finishesWithin(step: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      step.then(() => true),
      new Promise<boolean>((res) => {
        timer = setTimeout(() => res(false), ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
