/**
 * Gathers items for `delayMs` (or until `max` wait) and hands them to `write`
 * as one batch: one statement for the rows of many requests instead of one
 * each. `flush()` writes at once what waits (shutdown, tests). `write` must
 * not throw: a batch that fails is its caller's to log.
 */
export class Batcher<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly delayMs = 20,
    private readonly max = 200,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.max) void this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.splice(0);
    if (batch.length > 0) await this.write(batch);
  }
}
