/**
 * escalation: danger alerts at 50/s for 60 s that nobody acknowledges, under
 * a protocol whose deadline is as short as a protocol may set (10 s) and whose
 * chain has two steps (at the deadline, then 5 s later), so that from the
 * first deadline on the hub runs escalation steps all the time — four
 * steps and eight notices per alert — while it delivers new alerts.
 *
 * Measured in one run, on the real SDK over real sockets:
 * - each alert's delivery: the sender's SDK call → the decrypted message in
 *   the recipient's stream (open, never acknowledging); all alerts, those sent
 *   before the first deadline (`quiet_`) and those sent once escalation was
 *   running (`escalating_`);
 * - the notices received, by kind, against what the chains should produce;
 * - whether the steps ran on time: for each step, the hub's `at` on its
 *   notice to the sender minus the step's due time (from the chain computed
 *   from the protocol and the `acceptedAt` the hub answered), and the same
 *   to the notice's arrival in the sender's stream;
 * - CPU per alert, by process, over each alert's whole life (send, delivery,
 *   every step).
 *
 * Env: VIGIE_BENCH_ESCALATION_RATE (50), VIGIE_BENCH_ESCALATION_SECONDS (60),
 * VIGIE_BENCH_ESCALATION_DEADLINE_S (10, the smallest a protocol allows),
 * VIGIE_BENCH_ESCALATION_STEPS_S (seconds after the deadline, "0,5"),
 * VIGIE_BENCH_ESCALATION_DRAIN_S (how long past the last chain's end to wait
 * for late notices, 60; what has not come by then is reported missing);
 * VIGIE_ESCALATION_POLL_MS reaches the hub as it is.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { enrolAgency, enrolDevice, establishProtocol } from '../clients/harness/enrol.js';
import type { OpenedMessage } from '../clients/sdk/client.js';
import type { Notice } from '../clients/sdk/stream.js';
import { escalationChain, stepTime, type EscalationChain, type NoticeKind } from '../protocol/escalation-chain.js';
import type { Acknowledgement } from '../protocol/protocol-document.js';
import { cpuPerAlert, cpuSnapshot } from './cpu.js';
import { openLoop, PAYLOAD, print, sleep, startBenchHub } from './delivery.js';
import { percentile } from './percentile.js';

const RATE = Number(process.env.VIGIE_BENCH_ESCALATION_RATE ?? 50);
const SECONDS = Number(process.env.VIGIE_BENCH_ESCALATION_SECONDS ?? 60);
const DEADLINE_S = Number(process.env.VIGIE_BENCH_ESCALATION_DEADLINE_S ?? 10);
const STEPS_S = (process.env.VIGIE_BENCH_ESCALATION_STEPS_S ?? '0,5').split(',').map(Number);
const DRAIN_S = Number(process.env.VIGIE_BENCH_ESCALATION_DRAIN_S ?? 60);
const POLL_MS = Number(
  process.env.VIGIE_ESCALATION_POLL_MS ?? (JSON.parse(readFileSync(new URL('../config/default.json', import.meta.url), 'utf8')) as { escalationPollMs: number }).escalationPollMs,
);

const SHELTER = 'shelter-escalade';
const POLICE = 'police-escalade';
const PROTOCOL = { id: 'alerte-escalade-bench', version: 1 };
const INTAKE = `${SHELTER}/intake`;
const DISPATCH = `${POLICE}/dispatch`;
const STEP_DESKS = STEPS_S.map((_, i) => `palier-${i + 1}`);

const ACK: Acknowledgement = {
  messageTypes: ['danger_alert'],
  deadlineSeconds: DEADLINE_S,
  renotifyRecipients: true,
  escalation: STEPS_S.map((afterSeconds, i) => ({ afterSeconds, inboxes: [`${POLICE}/${STEP_DESKS[i]}`] })),
};

const BASIS = {
  protocol: PROTOCOL,
  legalBasis: {
    code: 'apprehended_danger' as const,
    attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
    reason: 'death_threat',
    reference: 'DIR-BENCH-ESCALADE',
  },
  dataCategories: ['identity', 'location', 'threat'],
};

const round = (ms: number) => Math.round(ms * 100) / 100;

/** p50, p95, p99 and max of `samples`, ranked as every bench figure is (bench/percentile.ts). */
function spread(samples: number[], prefix = ''): Record<string, number | null> {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? round(percentile(s, q)) : null);
  return { [`${prefix}p50_ms`]: at(0.5), [`${prefix}p95_ms`]: at(0.95), [`${prefix}p99_ms`]: at(0.99), [`${prefix}max_ms`]: s.length ? round(s.at(-1)!) : null };
}

export async function escalationScenario(): Promise<void> {
  const { hub, close } = await startBenchHub();
  const streams: { close(): Promise<void> }[] = [];
  try {
    const desk = (d: string) => ({ fr: d, en: d });
    const shelter = await enrolAgency(hub.url, hub.operatorToken, SHELTER, 'shelter', { fr: 'Maison', en: 'Shelter' }, { intake: desk('intake') });
    const police = await enrolAgency(
      hub.url,
      hub.operatorToken,
      POLICE,
      'police',
      { fr: 'Police', en: 'Police' },
      Object.fromEntries(['dispatch', ...STEP_DESKS].map((d) => [d, desk(d)])),
    );
    await establishProtocol([shelter, police], 'shelter-police', { shelter: SHELTER, police: POLICE }, {
      id: PROTOCOL.id,
      edit: (draft) => {
        draft.flows.find((f) => f.messageTypes.includes('danger_alert'))!.acknowledgement = ACK;
      },
    });
    const flow = 'alerte-maison-police';
    const worker = (await enrolDevice(hub.url, shelter, 'poste-maison', ['sender', 'receiver'], [INTAKE])).client;
    // One device reads the dispatch desk and every escalation desk: one stream sees all their notices.
    const officer = (await enrolDevice(hub.url, police, 'poste-police', ['sender', 'receiver'], [DISPATCH, ...STEP_DESKS.map((d) => `${POLICE}/${d}`)])).client;
    await worker.accessToken();
    await worker.directory.inboxKey(DISPATCH);
    await officer.directory.member(worker.memberId);

    const started = new Map<string, number>();
    /** The load's start + the offset of each alert, to tell the alerts sent while escalation ran. */
    const sentAt = new Map<string, number>();
    const chains = new Map<string, EscalationChain>();
    const latencies = new Map<string, number>();
    const notices: Record<NoticeKind, number> = { unacknowledged: 0, renotify: 0, escalation: 0, escalated: 0, escalation_exhausted: 0 };
    /** Per step (its notice to the sender, one per step): the hub's `at` − due, and arrival − due. */
    const stepLate: number[] = [];
    const arrivalLate: number[] = [];
    let unmatched = 0;

    // Recipients that receive and never acknowledge (nor sign `delivered`): every chain runs to its end.
    const officerStream = officer.stream({ autoDelivered: false });
    const workerStream = worker.stream({ autoDelivered: false });
    streams.push(officerStream, workerStream);
    officerStream.on('message', (m: OpenedMessage) => {
      const t0 = started.get(m.id);
      if (t0 !== undefined && m.inbox === DISPATCH && !latencies.has(m.id)) latencies.set(m.id, performance.now() - t0);
    });
    const onNotice = (n: Notice) => {
      const arrived = Date.now();
      notices[n.kind] = (notices[n.kind] ?? 0) + 1;
      if (n.inbox !== INTAKE) return;
      const chain = chains.get(n.message);
      const due = chain ? stepTime(chain, n.step) : null;
      if (!due) return void unmatched++;
      stepLate.push(Date.parse(n.at) - due.getTime());
      arrivalLate.push(arrived - due.getTime());
    };
    officerStream.on('notice', onNotice);
    workerStream.on('notice', onNotice);
    await officerStream.open();
    await workerStream.open();

    // Warm-up with notes (no acknowledgement awaited): JIT, pools, prepared paths, without starting chains.
    const warm: Promise<unknown>[] = [];
    await openLoop(RATE, 2, () => void warm.push(worker.send({ type: 'note', recipients: [DISPATCH], content: { text: PAYLOAD }, ...BASIS }).catch(() => {})));
    await Promise.all(warm);
    await sleep(1000);

    let accepted = 0;
    let failed = 0;
    const failures: Record<string, number> = {};
    const pending: Promise<unknown>[] = [];
    const cpuBefore = cpuSnapshot(hub.child.pid!);
    const loadStart = performance.now();
    await openLoop(RATE, SECONDS, () => {
      const id = randomUUID();
      const t0 = performance.now();
      started.set(id, t0);
      sentAt.set(id, t0 - loadStart);
      pending.push(
        worker.send({ id, type: 'danger_alert', recipients: [DISPATCH], content: { text: PAYLOAD }, ...BASIS }).then(
          (r) => {
            accepted++;
            chains.set(id, escalationChain(ACK, { protocol: PROTOCOL, flow, acceptedAt: new Date(r.acceptedAt) }));
          },
          (err: { code?: string; status?: number }) => {
            failed++;
            const why = `${err.status ?? ''} ${err.code ?? 'network'}`.trim();
            failures[why] = (failures[why] ?? 0) + 1;
          },
        ),
      );
    });
    await Promise.all(pending);
    const loadSeconds = (performance.now() - loadStart) / 1000;

    // Every chain runs to its end: deadline, each step, and one more deadline after the last.
    const steps = ACK.escalation.length;
    const expected = {
      unacknowledged: accepted,
      renotify: accepted * steps,
      escalation: accepted * steps,
      escalated: accepted * steps,
      escalation_exhausted: accepted,
    } satisfies Record<NoticeKind, number>;
    const expectedTotal = Object.values(expected).reduce((a, b) => a + b, 0);
    const total = () => Object.values(notices).reduce((a, b) => a + b, 0);
    const chainSeconds = DEADLINE_S * 2 + (STEPS_S.at(-1) ?? 0);
    const waitUntil = Date.now() + (chainSeconds + DRAIN_S) * 1000;
    const drainStart = performance.now();
    while ((latencies.size < accepted || total() < expectedTotal) && Date.now() < waitUntil) await sleep(100);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const cpu = cpuPerAlert(cpuBefore, cpuSnapshot(hub.child.pid!), accepted);

    const all = [...latencies.values()];
    // Alerts sent before the first deadline (no step due yet) and after it (the hub escalating): the same run's two regimes.
    const sentBy = (escalating: boolean) => [...latencies].filter(([id]) => sentAt.get(id)! >= DEADLINE_S * 1000 === escalating).map(([, ms]) => ms);
    const quiet = sentBy(false);
    const during = sentBy(true);
    const p99 = spread(all).p99_ms;
    print({
      scenario: 'escalation',
      rate: RATE,
      seconds: SECONDS,
      load_seconds: round(loadSeconds),
      drain_seconds: round(drainSeconds),
      deadline_s: DEADLINE_S,
      steps_s: STEPS_S.join(' '),
      poll_ms: POLL_MS,
      accepted,
      delivered: latencies.size,
      failed,
      ...(failed > 0 ? { failures } : {}),
      ...spread(all),
      quiet_delivered: quiet.length,
      ...spread(quiet, 'quiet_'),
      escalating_delivered: during.length,
      ...spread(during, 'escalating_'),
      held: failed === 0 && latencies.size === accepted && p99 != null && p99 <= 100,
      notices: { ...notices },
      notices_expected: expectedTotal,
      notices_received: total(),
      steps_seen: stepLate.length,
      steps_expected: accepted * (steps + 2),
      ...(unmatched > 0 ? { steps_unmatched: unmatched } : {}),
      ...spread(stepLate, 'step_late_'),
      ...spread(arrivalLate, 'notice_arrival_late_'),
      cpu_ms_per_alert: cpu,
    });
  } finally {
    for (const s of streams) await s.close().catch(() => {});
    await close();
  }
}
