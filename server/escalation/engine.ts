import { and, asc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { planStep, type StepKind } from '../../protocol/escalation-step.js';
import { appendLeaf } from '../disclosure-log/append.js';
import { messageEscalatedLeaf, type Leaf } from '../disclosure-log/leaves.js';
import type { Db } from '../db/connect.js';
import { addToOutbox, type OutboxRef } from '../delivery/outbox.js';
import type { Clock } from '../lib/clock.js';
import { addNoticeEvents, type NoticeEntry, type StreamEvent } from '../realtime/feed.js';
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

/** What running one row's due steps did: `stale` when the row no longer waits (or another runner holds it), `early` before its time. */
export type StepOutcome = 'done' | 'stale' | 'early';

type NoticeRef = Extract<OutboxRef, { topic: 'notice' }>;

/** Rows taken per transaction: a batch commits, and deliveries get the database, before the next begins. */
const BATCH = 100;

/**
 * Acknowledgement deadlines and escalation (invariant 6). The state and the
 * due time of every chain live in PostgreSQL (`escalations`): each instance
 * looks every `pollMs` for the rows whose step is due and runs them in
 * batches, one transaction per batch that locks its rows (skipping those
 * another instance holds), plans each step (protocol/escalation-step.ts),
 * and writes every notice, outbox row, log leaf and next due time in a few
 * statements. An acknowledgement (which updates the row in its own
 * transaction, under the same lock) stops every later notice at once, and
 * nothing per alert lives in Redis. One runner per instance: a flood of
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
   * Runs every row whose step was due `graceMs` ago or earlier, oldest first,
   * batch after batch; returns how many rows it ran. The scheduler calls it
   * with no grace; the watchdog with its grace, to report (and drive) what
   * the scheduler left behind.
   */
  async runDue(graceMs = 0): Promise<number> {
    // One pass at a time per instance: a caller waits for the pass under way, then runs its own.
    while (this.running) await this.running.catch(() => 0);
    this.running = this.pass(graceMs);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async pass(graceMs: number): Promise<number> {
    let total = 0;
    while (!this.closed) {
      const ran = await this.runBatch(new Date(this.opts.clock.now().getTime() - graceMs));
      total += ran;
      if (ran < BATCH) break;
    }
    return total;
  }

  /** Runs the due steps of one row now, if no other runner holds it (tests; an operator's nudge). */
  async runStep(message: string, inbox: string): Promise<StepOutcome> {
    const now = this.opts.clock.now();
    if ((await this.runBatch(now, and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)))) > 0) return 'done';
    const [row] = await this.opts.db
      .select({ state: escalations.state, nextAt: escalations.nextAt })
      .from(escalations)
      .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox)));
    return row?.state === 'waiting' && row.nextAt && row.nextAt.getTime() > now.getTime() ? 'early' : 'stale';
  }

  /**
   * One transaction: locks up to BATCH rows due by `due`, runs every step of
   * each that is due at the hub's time (a step due at once after another —
   * an escalation at the deadline itself — runs with it), then pushes the
   * notices after the commit. Returns how many rows it ran.
   */
  private async runBatch(due: Date, only?: SQL): Promise<number> {
    const now = this.opts.clock.now();
    const result = await this.opts.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(escalations)
        .where(and(eq(escalations.state, 'waiting'), lte(escalations.nextAt, due), only))
        .orderBy(asc(escalations.nextAt))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return null;
      const notices: NoticeEntry[] = [];
      const leaves: Leaf[] = [];
      const refs: NoticeRef[] = [];
      const kinds: StepKind[] = [];
      const updates: { message: string; inbox: string; next_step: number; next_at: string | null; state: 'waiting' | 'exhausted' }[] = [];
      for (const row of rows) {
        const chain = row.chain as StoredChain;
        const { messageId: message, inboxId: inbox } = row;
        let step = row.nextStep;
        let next: { step: number; at: Date } | null;
        do {
          const plan = planStep(chain, chain.about, message, inbox, step, now);
          for (const n of plan.notices) notices.push({ inbox: n.inbox, message, notice: n.notice });
          refs.push({ topic: 'notice', message, inbox, step });
          kinds.push(plan.kind);
          leaves.push(
            messageEscalatedLeaf(
              { message, messageType: chain.about.type, sender: chain.about.sender, recipient: inbox, step, kind: plan.kind, notified: plan.notified, protocol: chain.protocol, events: plan.notices.length },
              now,
            ),
          );
          next = plan.next;
          step++;
        } while (next && next.at.getTime() <= now.getTime());
        updates.push({ message, inbox, next_step: step, next_at: next?.at.toISOString() ?? null, state: next ? 'waiting' : 'exhausted' });
      }
      const events = await addNoticeEvents(tx, notices);
      await addToOutbox(tx, ...refs);
      await appendLeaf(tx, ...leaves);
      await tx.execute(sql`
        update ${escalations} e
        set next_step = u.next_step, next_at = u.next_at, state = u.state, active_id = gen_random_uuid(), updated_at = ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(message uuid, inbox text, next_step int, next_at timestamptz, state text)
        where e.message_id = u.message and e.inbox_id = u.inbox`);
      return { rows: rows.length, events, refs, kinds };
    });
    if (!result) return 0;
    for (const kind of result.kinds) this.opts.onStep?.(kind);
    await this.publishNotices(result.refs, result.events);
    return result.rows;
  }

  /**
   * Pushes committed steps' notices at once, except those of a recipient who
   * acknowledged in between; marks their outbox rows done. If Redis is down
   * the rows stay pending and the outbox relay pushes them later (topic `notice`).
   */
  private async publishNotices(refs: NoticeRef[], events: StreamEvent[]): Promise<void> {
    try {
      await this.publishUnlessAcknowledged(refs, events);
      for (const ref of refs) this.opts.markPushed(ref);
    } catch (err) {
      this.opts.log.warn({ err }, 'notices not pushed; the outbox relay will retry');
    }
  }

  /**
   * Pushes steps' notices, in feed order, except those about a recipient who
   * acknowledged since the step committed: then nothing more is said about
   * it. Right after a batch, and from the outbox relay (topic `notice`) when
   * that push failed.
   */
  async publishUnlessAcknowledged(refs: NoticeRef[], events: StreamEvent[]): Promise<void> {
    const messages = [...new Set(refs.map((r) => r.message))];
    const acknowledged = new Set(
      (
        await this.opts.db
          .select({ message: escalations.messageId, inbox: escalations.inboxId })
          .from(escalations)
          .where(and(inArray(escalations.messageId, messages), eq(escalations.state, 'acknowledged')))
      ).map((r) => `${r.message} ${r.inbox}`),
    );
    const recipientOf = (e: StreamEvent) => (e.type === 'notice' ? (e.notice as { recipient?: string }).recipient : undefined);
    const shown = events.filter((e) => e.type === 'notice' && !acknowledged.has(`${e.message} ${recipientOf(e)}`));
    shown.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
    await Promise.all(shown.map((e) => this.opts.publish(e.inbox, JSON.stringify(e))));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
  }
}
