import { holdsSecret } from '../auth/bearer.js';
import { valueWithin } from '../lib/settle.js';
import type { Queue } from 'bullmq';
import { count, isNull } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VigieError } from '../http/errors.js';
import { outbox } from '../delivery/tables.js';

export type EscalationStepKind = 'unacknowledged' | 'escalated' | 'exhausted';
const ESCALATION_STEP_KINDS: readonly EscalationStepKind[] = ['unacknowledged', 'escalated', 'exhausted'];
/** Why the hub refuses new messages (server/disclosure-log/halt.ts). */
export type LogHaltReason = 'tampered' | 'witness_fork' | 'witness_invalid_proof';
const LOG_HALT_REASONS: readonly LogHaltReason[] = ['tampered', 'witness_fork', 'witness_invalid_proof'];
/** A witness answer that is an alarm: another tree (fork), or a consistency proof it could not verify. */
export type WitnessAlarmKind = 'fork' | 'invalid_proof';
const WITNESS_ALARM_KINDS: readonly WitnessAlarmKind[] = ['fork', 'invalid_proof'];
/** What a witness answered a checkpoint submission. */
export type WitnessAnswer = 'cosigned' | 'resync' | 'fork' | 'invalid_proof' | 'refused' | 'unreachable';
const WITNESS_ANSWERS: readonly WitnessAnswer[] = ['cosigned', 'resync', 'fork', 'invalid_proof', 'refused', 'unreachable'];
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;
// A scrape answers within about this long even when Redis or PostgreSQL does not.
const SCRAPE_WAIT_MS = 500;

/**
 * What the hub measures. Labels hold only fixed vocabularies (queue names,
 * job states, escalation kinds): never an agency, inbox, member, message id,
 * token or content.
 */
export interface HubMetrics {
  /** This app's own registry: several apps in one process (tests) never share metrics. */
  readonly registry: Registry;
  /** Acceptance → push to the recipient inboxes, once per message. */
  observeDelivery(seconds: number): void;
  /** Acceptance → a person's signed acknowledgement. */
  observeAcknowledgement(seconds: number): void;
  escalationStep(kind: EscalationStepKind): void;
  /** An envelope refused at once because this instance had `maxAcceptsInFlight` acceptances under way (HUB_BUSY). */
  acceptShed(): void;
  watchdogBeat(at: Date, overdue: { deliveries: number; escalations: number }): void;
  /** The reasons acceptance is halted now (empty: accepting). */
  logHalted(reasons: readonly LogHaltReason[]): void;
  /** A witness answer this instance received that is an alarm. */
  witnessAlarm(kind: WitnessAlarmKind): void;
  /** Configured witnesses with an active alarm (shared by every instance), by kind. */
  witnessesAlarmed(counts: Record<WitnessAlarmKind, number>): void;
  witnessAnswer(answer: WitnessAnswer): void;
  /** A BullMQ queue whose job counts are read at each scrape; `name` must be a constant. */
  addQueue(name: string, queue: Queue): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: HubMetrics;
  }
}

export interface MetricsOptions {
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. */
  token?: string;
}



/** Prometheus metrics on the app's own registry, exposed at `GET /metrics`. */
export const metricsPlugin = fp<MetricsOptions>(
  async (app, opts) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'vigie_' });
    const registers = [registry];

    const delivery = new Histogram({
      name: 'vigie_delivery_latency_seconds',
      help: 'Time from the acceptance of a message to its push to the recipient inboxes.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    const acknowledgement = new Histogram({
      name: 'vigie_acknowledgement_latency_seconds',
      help: 'Time from the acceptance of a message to a person’s signed acknowledgement.',
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600],
      registers,
    });
    const escalationSteps = new Counter({
      name: 'vigie_escalation_steps_total',
      help: 'Escalation steps taken, by kind (unacknowledged, escalated, exhausted).',
      labelNames: ['kind'],
      registers,
    });
    // Present at 0 from the start, so that rate() and increase() see the first step.
    for (const kind of ESCALATION_STEP_KINDS) escalationSteps.inc({ kind }, 0);
    const shed = new Counter({ name: 'vigie_messages_shed_total', help: 'Envelopes refused at once (503 HUB_BUSY) because the instance was at capacity.', registers });
    const escalationsOverdue = new Gauge({ name: 'vigie_escalations_overdue', help: 'Escalation steps the last watchdog run found overdue and drove itself.', registers });
    const deliveriesOverdue = new Gauge({ name: 'vigie_deliveries_overdue', help: 'Messages the last watchdog run found accepted, never pushed, and re-drove.', registers });
    const heartbeat = new Gauge({ name: 'vigie_watchdog_heartbeat_timestamp_seconds', help: 'Unix time of the last watchdog run.', registers });
    const watchdogRuns = new Counter({ name: 'vigie_watchdog_runs_total', help: 'Watchdog runs.', registers });

    const logHalted = new Gauge({
      name: 'vigie_log_halted',
      help: '1 while new messages are refused (503 LOG_HALTED) for this reason: tampered (stored tree no longer matches the signed checkpoint), witness_fork, witness_invalid_proof.',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of LOG_HALT_REASONS) logHalted.set({ reason }, 0);
    const witnessAlarms = new Counter({
      name: 'vigie_witness_alarms_total',
      help: 'Witness answers this instance received that are alarms: fork (another tree of that size, or a larger tree than this log), invalid_proof (422).',
      labelNames: ['kind'],
      registers,
    });
    const witnessesAlarmed = new Gauge({ name: 'vigie_witnesses_alarmed', help: 'Configured witnesses with an active alarm, by kind.', labelNames: ['kind'], registers });
    for (const kind of WITNESS_ALARM_KINDS) {
      witnessAlarms.inc({ kind }, 0);
      witnessesAlarmed.set({ kind }, 0);
    }
    const witnessAnswers = new Counter({
      name: 'vigie_witness_answers_total',
      help: 'Checkpoint submissions to witnesses by answer: cosigned, resync (409 with another size), fork, invalid_proof, refused (other refusals), unreachable.',
      labelNames: ['answer'],
      registers,
    });
    for (const answer of WITNESS_ANSWERS) witnessAnswers.inc({ answer }, 0);

    const queues = new Map<string, { queue: Queue; pending: Promise<Record<string, number>> | null }>();
    // Both queue gauges are filled by one read per scrape.
    let queueRead: Promise<void> | null = null;
    const readQueues = () =>
      (queueRead ??= Promise.all(
        [...queues].map(async ([name, entry]) => {
          // A Redis that does not answer leaves one read in flight, not one per scrape.
          entry.pending ??= entry.queue.getJobCounts(...JOB_STATES).finally(() => {
            entry.pending = null;
          });
          const counts = await valueWithin(entry.pending, SCRAPE_WAIT_MS);
          // Without an answer the last known counts stay, flagged by scrape_ok = 0.
          if (counts) for (const state of JOB_STATES) queueJobs.set({ queue: name, state }, counts[state] ?? 0);
          queueScrapeOk.set({ queue: name }, counts ? 1 : 0);
        }),
      ).then(
        () => undefined,
        () => undefined,
      ).finally(() => {
        queueRead = null;
      }));
    const queueJobs = new Gauge({
      name: 'vigie_queue_jobs',
      help: 'BullMQ jobs by queue and state, read at scrape time (last known values when Redis does not answer).',
      labelNames: ['queue', 'state'],
      registers,
      collect: readQueues,
    });
    const queueScrapeOk = new Gauge({
      name: 'vigie_queue_scrape_ok',
      help: '1 when the queue’s job counts were read at this scrape, 0 when Redis did not answer in time.',
      labelNames: ['queue'],
      registers,
      collect: readQueues,
    });

    new Gauge({
      name: 'vigie_outbox_pending',
      help: 'Outbox rows not yet handed to the queue, read from PostgreSQL at scrape time.',
      registers,
      async collect() {
        const rows = await valueWithin(app.db.select({ n: count() }).from(outbox).where(isNull(outbox.dispatchedAt)), SCRAPE_WAIT_MS);
        if (rows?.[0]) this.set(Number(rows[0].n));
      },
    });

    const seconds = (s: number) => Math.max(0, s);
    const metrics: HubMetrics = {
      registry,
      observeDelivery: (s) => delivery.observe(seconds(s)),
      observeAcknowledgement: (s) => acknowledgement.observe(seconds(s)),
      escalationStep: (kind) => escalationSteps.inc({ kind }),
      acceptShed: () => shed.inc(),
      watchdogBeat(at, overdue) {
        heartbeat.set(at.getTime() / 1000);
        watchdogRuns.inc();
        deliveriesOverdue.set(overdue.deliveries);
        escalationsOverdue.set(overdue.escalations);
      },
      logHalted(reasons) {
        for (const reason of LOG_HALT_REASONS) logHalted.set({ reason }, reasons.includes(reason) ? 1 : 0);
      },
      witnessAlarm: (kind) => witnessAlarms.inc({ kind }),
      witnessesAlarmed(counts) {
        for (const kind of WITNESS_ALARM_KINDS) witnessesAlarmed.set({ kind }, counts[kind]);
      },
      witnessAnswer: (answer) => witnessAnswers.inc({ answer }),
      addQueue(name, queue) {
        queues.set(name, { queue, pending: null });
      },
    };
    app.decorate('metrics', metrics);
    app.addHook('onClose', async () => {
      queues.clear();
      registry.clear();
    });

    const holdsToken = opts.token ? holdsSecret(opts.token) : null;
    const requireToken = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!holdsToken) return;
      if (!holdsToken(request)) {
        void reply.header('www-authenticate', 'Bearer realm="vigie-metrics"');
        throw new VigieError('UNAUTHENTICATED');
      }
    };

    app.get('/metrics', { preValidation: requireToken, schema: { hide: true } }, async (_request, reply) => {
      const body = await registry.metrics();
      return reply.header('cache-control', 'no-store').type(registry.contentType).send(body);
    });
  },
  { name: 'vigie-metrics', dependencies: ['vigie-db'] },
);
