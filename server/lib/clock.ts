/** Time, injected: the hub reads it here, so that deadline tests move it instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand, starting at the real time. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Moves to an instant (forward or back). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}
