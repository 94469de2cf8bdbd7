import { randomUUID } from 'node:crypto';
import type { ConnectionOptions, Job, Queue } from 'bullmq';
import { and, asc, eq, lte } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { stepTime, type EscalationChain, type NoticeKind } from '../../protocol/escalation-chain.js';
import { appendLeaf } from '../audit/append.js';
import { messageEscalatedLeaf } from '../audit/leaves.js';
import type { Db, Tx } from '../db/connect.js';
import type { Clock } from '../lib/clock.js';
import { ManagedQueue } from '../lib/managed-queue.js';
import { finishesWithin } from '../lib/settle.js';
import { inboxEvents, outbox } from '../messages/tables.js';
import type { StreamEvent } from '../realtime/events.js';
import type { NoticeBody } from '../../protocol/api/stream-events.js';
import { escalations } from './tables.js';

export interface EscalationOptions {
  db: Db;
  connection: ConnectionOptions;
  prefix: string;
  log: FastifyBaseLogger;
  clock: Clock;
  /** Publishes one serialised stream event to an inbox channel. */
  publish(inbox: string, event: string): Promise<void>;
  onStep?(kind: 'unacknowledged' | 'escalated' | 'exhausted'): void;
  /** Marks a step's outbox row done once its notices are pushed (batched by the delivery pipeline). */
  markPushed(ref: string): void;
}

/**
 * What one run of a step did: `stale` for a duplicate or outdated timer (or a
 * row another runner holds), `early` before its time.
 */
export type StepOutcome = 'done' | 'stale' | 'early';

/** What the accepting transaction stores with the chain, so that a step needs no other read. */
export interface AwaitedMessage {
  type: string;
  urgency: string;
  sender: { agency: string; inbox: string };
  acceptedAt: string;
}
export type StoredChain = EscalationChain & { about: AwaitedMessage };

const QUEUE = 'escalation';
type TimerData = { message: string; inbox: string; step: number; activeId: string };
const ENQUEUE_TIMEOUT_MS = 2000;
/** A job may fire a little before the hub's clock says the step is due (clocks of two instances). */
const EARLY_TOLERANCE_MS = 50;

// BullMQ job ids may not contain ':'; inbox ids contain '/'.
const jobIdOf = (message: string, inbox: string, step: number) => `esc-${message}-${inbox.replace('/', '_')}-${step}`;

interface Notice {
  inbox: string;
  notice: { kind: NoticeKind; message: string; recipient: string; step: number; at: string; [k: string]: unknown };
}

/**
 * Acknowledgement deadlines and escalation (invariant 6). The state lives in
 * PostgreSQL (`escalations`); BullMQ delayed jobs keyed by message, inbox and
 * step drive it; the watchdog re-drives any step whose timer was lost. A step
 * runs under the row's lock and only if the row still waits for it, so a
 * duplicate or stale timer is a no-op, and an acknowledgement (which updates
 * the row in its own transaction) stops every later notice at once.
 */
export class EscalationEngine {
  private readonly runner: ManagedQueue<TimerData>;

  constructor(private readonly opts: EscalationOptions) {
    this.runner = new ManagedQueue(QUEUE, opts.connection, opts.prefix);
  }

  get queue(): Queue {
    return this.runner.queue;
  }

  private get closed(): boolean {
    return this.runner.closed;
  }

  start(): void {
    this.runner.start((job) => this.fromTimer(job), { concurrency: 8, log: this.opts.log });
  }

  /** Schedules a step's timer. Never throws: a timer that cannot be set is the watchdog's. */
  async schedule(message: string, inbox: string, step: number, activeId: string, at: Date): Promise<boolean> {
    try {
      const delay = Math.max(0, at.getTime() - this.opts.clock.now().getTime());
      const added = this.queue.add(
        'step',
        { message, inbox, step, activeId },
        { jobId: jobIdOf(message, inbox, step), delay, removeOnComplete: true, removeOnFail: 1000, attempts: 10, backoff: { type: 'exponential', delay: 200 } },
      );
      if (!(await finishesWithin(added, ENQUEUE_TIMEOUT_MS))) throw new Error('enqueue timed out');
      return true;
    } catch (err) {
      this.opts.log.warn({ message, step, err }, 'escalation timer not set; the watchdog will drive it');
      return false;
    }
  }

  private async fromTimer(job: Job<TimerData>): Promise<void> {
    const { message, inbox, step, activeId } = job.data;
    const outcome = await this.runStep(message, inbox, { step, activeId });
    if (outcome === 'early') {
      const [row] = await this.opts.db.select({ nextAt: escalations.nextAt }).from(escalations).where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)));
      // The job left the queue with this id once it completes: schedule the same step again under a new id.
      if (row?.nextAt) await this.queue.add('step', job.data, { delay: Math.max(0, row.nextAt.getTime() - this.opts.clock.now().getTime()), removeOnComplete: true });
    }
  }

  /**
   * Runs the step a row waits for, if it is due. With `expect`, only that
   * step of that timer generation (a timer); without, whatever step is due
   * (the watchdog).
   */
  async runStep(message: string, inbox: string, expect?: { step: number; activeId: string }): Promise<StepOutcome> {
    const now = this.opts.clock.now();
    const result = await this.opts.db.transaction(async (tx) => {
      // A timer waits for the row; the watchdog, a backup, skips a row another runner holds.
      const [row] = await tx
        .select()
        .from(escalations)
        .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)))
        .for('update', expect ? {} : { skipLocked: true });
      if (!row || row.state !== 'waiting' || !row.nextAt) return { outcome: 'stale' as const };
      if (expect && (expect.step !== row.nextStep || expect.activeId !== row.activeId)) return { outcome: 'stale' as const };
      if (row.nextAt.getTime() > now.getTime() + EARLY_TOLERANCE_MS) return { outcome: 'early' as const };

      const chain = row.chain as StoredChain;
      const about = chain.about;
      const step = row.nextStep;
      const last = chain.steps.length + 1;
      const base = { message, recipient: inbox, step, at: now.toISOString() };
      const notices: Notice[] = [];
      let kind: 'unacknowledged' | 'escalated' | 'exhausted';
      let notified: string[] = [];
      if (step === 0) {
        kind = 'unacknowledged';
        notices.push({ inbox: about.sender.inbox, notice: { ...base, kind: 'unacknowledged', deadlineAt: chain.deadlineAt } });
      } else if (step < last) {
        kind = 'escalated';
        notified = chain.steps[step - 1]!.inboxes;
        if (chain.renotifyRecipients) notices.push({ inbox, notice: { ...base, kind: 'renotify' } });
        for (const target of notified) notices.push({ inbox: target, notice: { ...base, kind: 'escalation', ...about } });
        notices.push({ inbox: about.sender.inbox, notice: { ...base, kind: 'escalated', notified } });
      } else {
        kind = 'exhausted';
        notices.push({ inbox: about.sender.inbox, notice: { ...base, kind: 'escalation_exhausted' } });
      }

      const inserted = await tx
        .insert(inboxEvents)
        .values(notices.map((n) => ({ inboxId: n.inbox, kind: 'notice', messageId: message, notice: n.notice })))
        .returning({ seq: inboxEvents.seq, inbox: inboxEvents.inboxId, notice: inboxEvents.notice });
      const ref = `${message}.${inbox}.${step}`;
      await tx.insert(outbox).values({ topic: 'notice', ref }).onConflictDoNothing();
      await appendLeaf(
        tx,
        messageEscalatedLeaf(
          {
            message,
            messageType: about.type,
            sender: about.sender,
            recipient: inbox,
            step,
            kind,
            notified,
            protocol: chain.protocol,
            events: inserted.length,
          },
          now,
        ),
      );
      const nextStep = step + 1;
      const nextAt = step < last ? stepTime(chain, nextStep) : null;
      const activeId = randomUUID();
      await tx
        .update(escalations)
        .set({ nextStep, nextAt, activeId, state: nextAt ? 'waiting' : 'exhausted', updatedAt: now })
        .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)));
      return { outcome: 'done' as const, kind, ref, events: inserted, next: nextAt ? { step: nextStep, at: nextAt, activeId } : null };
    });
    if (result.outcome !== 'done') return result.outcome;
    this.opts.onStep?.(result.kind);
    await this.publishNotices(message, inbox, result.ref, result.events);
    if (result.next) await this.schedule(message, inbox, result.next.step, result.next.activeId, result.next.at);
    return 'done';
  }

  /**
   * Pushes a committed step's notices at once, unless an acknowledgement came
   * in between; marks its outbox row done. If Redis is down the row stays
   * pending and the outbox relay pushes them later (topic `notice`).
   */
  private async publishNotices(message: string, inbox: string, ref: string, events: { seq: bigint; inbox: string; notice: unknown }[]): Promise<void> {
    try {
      const stream: StreamEvent[] = events.map((e) => ({ type: 'notice', seq: e.seq.toString(), inbox: e.inbox, message, notice: e.notice as NoticeBody }));
      await publishNoticesUnlessAcknowledged(this.opts.db, message, inbox, stream, this.opts.publish);
      this.opts.markPushed(ref);
    } catch (err) {
      this.opts.log.warn({ message, err }, 'notices not pushed; the outbox relay will retry');
    }
  }

  /**
   * The watchdog's pass: runs every step overdue by more than `graceMs` (a
   * timer lost with Redis, a stalled worker). Returns how many were overdue.
   */
  async runOverdue(graceMs: number, limit = 200): Promise<number> {
    const due = new Date(this.opts.clock.now().getTime() - graceMs);
    const rows = await this.opts.db
      .select({ message: escalations.messageId, inbox: escalations.inboxId })
      .from(escalations)
      .where(and(eq(escalations.state, 'waiting'), lte(escalations.nextAt, due)))
      .orderBy(asc(escalations.nextAt))
      .limit(limit);
    for (const r of rows) {
      if (this.closed) break;
      await this.runStep(r.message, r.inbox).catch((err: Error) => this.opts.log.warn({ err }, 'overdue escalation step failed'));
    }
    return rows.length;
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

/**
 * Stops the escalation of a recipient inbox, inside the transaction that
 * stores a person's acknowledgement: a step waiting on the row's lock then
 * finds it acknowledged and does nothing.
 */
export async function stopEscalation(tx: Tx, message: string, inbox: string, at: Date): Promise<boolean> {
  const stopped = await tx
    .update(escalations)
    .set({ state: 'acknowledged', acknowledgedAt: at, nextAt: null, updatedAt: at })
    .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox), eq(escalations.state, 'waiting')))
    .returning({ message: escalations.messageId });
  return stopped.length > 0;
}

/**
 * Pushes a step's notices, unless the recipient acknowledged since the step
 * committed: then nothing more is said about the message. The engine calls it
 * right after a step; the outbox relay (topic `notice`) when that push failed.
 */
export async function publishNoticesUnlessAcknowledged(
  db: Db,
  message: string,
  inbox: string,
  events: StreamEvent[],
  publish: (inbox: string, event: string) => Promise<void>,
): Promise<void> {
  const [row] = await db
    .select({ state: escalations.state })
    .from(escalations)
    .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)));
  if (row?.state === 'acknowledged') return;
  for (const event of events) await publish(event.inbox, JSON.stringify(event));
}
