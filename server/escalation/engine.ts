import { randomUUID } from 'node:crypto';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { planStep, type StepKind } from '../../protocol/escalation-step.js';
import { appendLeaf } from '../audit/append.js';
import { messageEscalatedLeaf } from '../audit/leaves.js';
import type { Db } from '../db/connect.js';
import { addToOutbox, type OutboxRef } from '../delivery/outbox.js';
import type { Clock } from '../lib/clock.js';
import { addNoticeEvents, type StreamEvent } from '../realtime/feed.js';
import type { StoredChain } from './chains.js';
import { escalations } from './tables.js';

export interface EscalationOptions {
  db: Db;
  log: FastifyBaseLogger;
  clock: Clock;
  /** How often each instance looks for steps that are due. */
  pollMs: number;
  /** Publishes one serialised stream event to an inbox channel. */
  publish(inbox: string, event: string): Promise<void>;
  onStep?(kind: StepKind): void;
  /** Marks a step's outbox row done once its notices are pushed (batched by the delivery pipeline). */
  markPushed(ref: OutboxRef): void;
}

/** What one run of a step did: `stale` when the row no longer waits (or another runner holds it), `early` before its time. */
export type StepOutcome = 'done' | 'stale' | 'early';

/** Steps run per pass at most: a pass ends, and deliveries get the database, before the next begins. */
const PASS_LIMIT = 100;

/**
 * Acknowledgement deadlines and escalation (invariant 6). The state and the
 * due time of every chain live in PostgreSQL (`escalations`): each instance
 * looks every `pollMs` for the rows whose step is due and runs them one at a
 * time, each in its own transaction under the row's lock. A row another
 * instance holds is skipped, an acknowledgement (which updates the row in its
 * own transaction) stops every later notice at once, and nothing per alert
 * lives in Redis. One runner per instance, one step at a time: a flood of
 * unacknowledged alerts never takes the connections that deliver a new one.
 */
export class EscalationEngine {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private closed = false;

  constructor(private readonly opts: EscalationOptions) {}

  start(): void {
    this.timer = setInterval(() => void (this.running ? null : this.runDue().catch((err: Error) => this.opts.log.warn({ err }, 'escalation pass failed'))), this.opts.pollMs);
    this.timer.unref();
  }

  /**
   * Runs the steps due `graceMs` ago or earlier, oldest first; returns how
   * many were due. The scheduler calls it with no grace; the watchdog with
   * its grace, to report (and drive) what the scheduler left behind.
   */
  async runDue(graceMs = 0, limit = PASS_LIMIT): Promise<number> {
    // One pass at a time per instance: a caller waits for the pass under way, then runs its own.
    while (this.running) await this.running.catch(() => 0);
    this.running = this.pass(graceMs, limit);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async pass(graceMs: number, limit: number): Promise<number> {
    if (this.closed) return 0;
    const due = new Date(this.opts.clock.now().getTime() - graceMs);
    const rows = await this.opts.db
      .select({ message: escalations.messageId, inbox: escalations.inboxId })
      .from(escalations)
      .where(and(eq(escalations.state, 'waiting'), lte(escalations.nextAt, due)))
      .orderBy(asc(escalations.nextAt))
      .limit(limit);
    for (const r of rows) {
      if (this.closed) break;
      // A step due at once after this one (an escalation at the deadline itself) runs in the same pass.
      for (let outcome: StepOutcome = 'done'; outcome === 'done' && !this.closed; ) {
        outcome = await this.runStep(r.message, r.inbox).catch((err: Error) => {
          this.opts.log.warn({ err }, 'escalation step failed; the next pass runs it again');
          return 'stale' as const;
        });
      }
    }
    return rows.length;
  }

  /** Runs the step a row waits for, if it is due and no other runner holds the row. */
  async runStep(message: string, inbox: string): Promise<StepOutcome> {
    const now = this.opts.clock.now();
    const result = await this.opts.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(escalations)
        .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)))
        .for('update', { skipLocked: true });
      if (!row || row.state !== 'waiting' || !row.nextAt) return { outcome: 'stale' as const };
      if (row.nextAt.getTime() > now.getTime()) return { outcome: 'early' as const };

      const chain = row.chain as StoredChain;
      const step = row.nextStep;
      const plan = planStep(chain, chain.about, message, inbox, step, now);
      const events = await addNoticeEvents(tx, plan.notices.map((n) => ({ inbox: n.inbox, message, notice: n.notice })));
      const ref: OutboxRef = { topic: 'notice', message, inbox, step };
      await addToOutbox(tx, ref);
      await appendLeaf(
        tx,
        messageEscalatedLeaf(
          {
            message,
            messageType: chain.about.type,
            sender: chain.about.sender,
            recipient: inbox,
            step,
            kind: plan.kind,
            notified: plan.notified,
            protocol: chain.protocol,
            events: events.length,
          },
          now,
        ),
      );
      await tx
        .update(escalations)
        .set({ nextStep: step + 1, nextAt: plan.next?.at ?? null, activeId: randomUUID(), state: plan.next ? 'waiting' : 'exhausted', updatedAt: now })
        .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)));
      return { outcome: 'done' as const, kind: plan.kind, ref, events };
    });
    if (result.outcome !== 'done') return result.outcome;
    this.opts.onStep?.(result.kind);
    await this.publishNotices(result.ref, result.events);
    return 'done';
  }

  /**
   * Pushes a committed step's notices at once, unless an acknowledgement came
   * in between; marks its outbox row done. If Redis is down the row stays
   * pending and the outbox relay pushes them later (topic `notice`).
   */
  private async publishNotices(ref: Extract<OutboxRef, { topic: 'notice' }>, events: StreamEvent[]): Promise<void> {
    try {
      await this.publishUnlessAcknowledged(ref, events);
      this.opts.markPushed(ref);
    } catch (err) {
      this.opts.log.warn({ err }, 'notices not pushed; the outbox relay will retry');
    }
  }

  /**
   * Pushes a step's notices, unless the recipient acknowledged since the step
   * committed: then nothing more is said about the message. Right after a
   * step, and from the outbox relay (topic `notice`) when that push failed.
   */
  async publishUnlessAcknowledged(ref: Extract<OutboxRef, { topic: 'notice' }>, events: StreamEvent[]): Promise<void> {
    const [row] = await this.opts.db
      .select({ state: escalations.state })
      .from(escalations)
      .where(and(eq(escalations.messageId, ref.message), eq(escalations.inboxId, ref.inbox)));
    if (row?.state === 'acknowledged') return;
    for (const event of events) await this.opts.publish(event.inbox, JSON.stringify(event));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
  }
}
