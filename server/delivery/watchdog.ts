import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../lib/clock.js';

/** What the watchdog re-drives: deliveries never pushed, and escalation steps past their time. */
export type OverdueKind = 'deliveries' | 'escalations';
export type Overdue = Record<OverdueKind, number>;

/** Re-drives what is overdue by more than `graceMs` at `now`; returns how many were overdue. */
export type OverdueScan = (now: Date, graceMs: number) => Promise<number>;

export interface WatchdogOptions {
  clock: Clock;
  log: FastifyBaseLogger;
  intervalMs: number;
  graceMs: number;
  onBeat(at: Date, overdue: Overdue): void;
}

/**
 * Every instance, every `intervalMs`, asks each owner to re-drive what it
 * left overdue (a job lost with Redis, a stalled worker, a timer never set):
 * the folder that owns a table scans it, the watchdog only keeps time.
 */
export class Watchdog {
  private readonly scans = new Map<OverdueKind, OverdueScan>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: WatchdogOptions) {}

  /** Registers the scan of one kind (once, before the hub starts). */
  watch(kind: OverdueKind, scan: OverdueScan): void {
    if (this.scans.has(kind)) throw new Error(`the watchdog already watches ${kind}`);
    this.scans.set(kind, scan);
  }

  /** One pass (tests call it after moving the injected clock); a pass already running makes this one a no-op. */
  async pass(): Promise<Overdue> {
    const overdue: Overdue = { deliveries: 0, escalations: 0 };
    if (this.running) return overdue;
    this.running = true;
    try {
      for (const [kind, scan] of this.scans) overdue[kind] = await scan(this.opts.clock.now(), this.opts.graceMs);
      this.opts.onBeat(this.opts.clock.now(), overdue);
      return overdue;
    } finally {
      this.running = false;
    }
  }

  start(): void {
    this.timer = setInterval(() => void this.pass().catch((err: Error) => this.opts.log.warn({ err }, 'watchdog pass failed')), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
