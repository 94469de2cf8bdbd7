// Issue 5 — faults under steady load (invariants 2, 4 and 6).
//
// Two hub processes share one PostgreSQL cluster and one Redis that this test
// starts itself (the shared servers of the other tests are never touched).
// A shelter worker sends danger alerts open-loop, about 50/s for 60 s,
// alternating between the two instances; the police dispatcher streams from
// instance B and acknowledges half of them (sequence number mod 4 < 2) at once.
// During the load:
//   ~15 s  instance A is SIGKILLed (sends to A fail until it is started again)
//   ~30 s  Redis is stopped, its data wiped, and started empty on the same port
//   ~45 s  PostgreSQL is restarted
// Afterwards every alert that received a 202 must have reached the police inbox
// exactly once after the client's de-duplication — and on the wire at least
// once, every copy the one stored feed event (the hub re-sends across the
// faults, as invariant 2 allows; it never delivers a message a second time
// under another feed position) —, every stored acknowledgement
// and every acceptance must be a leaf of the disclosure log, no request may
// have failed with a 500, and instance B must still be running. The counts are
// printed (t.comment). The escalation checks (invariant 6) are in
// checkEscalations below.
//
// VIGIE_FAULT_RATE (alerts/s) and VIGIE_FAULT_SECONDS shorten a local run;
// the fault times scale with the duration.
import t, { type Test } from 'tap';
import pg from 'pg';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VigieClient, type OpenedMessage } from '../../clients/sdk/client.js';
import { VigieApiError } from '../../clients/sdk/http.js';
import { draftFromTemplate } from '../../clients/templates.js';
import { enrolPartners, rootKeysOf } from '../helpers/agencies.js';
import { codeOf, eventually, tempDir } from '../helpers/env.js';
import { startHubInstances } from '../helpers/hub-processes.js';
import { postgresAvailable, startPostgresCluster } from '../helpers/postgres-cluster.js';
import { observeRawFrames } from '../helpers/raw-frames.js';
import { startRedisServer } from '../helpers/redis-server.js';

// Load, faults, recovery and the wait above take longer than the suite's 300 s per file.
t.setTimeout(900_000);

const RATE = Number(process.env.VIGIE_FAULT_RATE ?? 50);
const DURATION_MS = Number(process.env.VIGIE_FAULT_SECONDS ?? 60) * 1000;
/** When each fault happens, as a fraction of the load's duration. */
const AT = { killA: 0.25, restartA: 0.35, wipeRedis: 0.5, restartPostgres: 0.75 };
// Generous: on a loaded 2-core machine (the rest of the suite runs beside this test) the
// delivery queue can trail this load by a minute or more; the test checks what arrives, not how fast.
const DELIVERY_WAIT_MS = 180_000;
const POLICE_INBOX = 'police-laval/dispatch';
/** The acknowledgement deadline of the test's protocol; the chain ends 25 s after acceptance. */
const DEADLINE_S = 10;
const CHAIN_S = 25;

type Outcome = 'accepted' | 'unavailable' | 'network' | 'internal' | 'refused';

/** One alert the worker tried to send. */
export interface SentAlert {
  n: number;
  id: string;
  instance: 'A' | 'B';
  /** ms since the load started. */
  sentAt: number;
  outcome?: Outcome;
  code?: string;
  /** The hub's acceptedAt, for a 202. */
  acceptedAt?: Date;
}

/** Which alerts the dispatcher acknowledges: half, as many sent through A as through B. */
const acknowledges = (n: number) => n % 4 < 2;
/** Half of those are acknowledged late, after the deadline and the first escalation: their chains must stop there. */
const acknowledgesLate = (n: number) => n % 4 === 1;
const LATE_ACK_MS = (DEADLINE_S + 2) * 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** How many times each warning or error message appears in a hub's JSON log lines. */
function logSummary(output: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of output.join('').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const { level, msg, err } = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
      // The first words of the error say which failure it was (connection refused, Redis reset…).
      const why = typeof err === 'string' ? `: ${err.slice(0, 60)}` : '';
      if ((level ?? 0) >= 40 && msg) counts[`${msg}${why}`] = (counts[`${msg}${why}`] ?? 0) + 1;
    } catch {
      // a partial line
    }
  }
  return counts;
}

function outcomeOf(err: unknown): { outcome: Outcome; code: string } {
  if (err instanceof VigieApiError) {
    if (err.status === 503) return { outcome: 'unavailable', code: err.code };
    if (err.status >= 500) return { outcome: 'internal', code: `${err.status} ${err.code}` };
    return { outcome: 'refused', code: err.code };
  }
  const e = err as Error & { cause?: { code?: string } };
  return { outcome: 'network', code: e.cause?.code ?? e.message };
}

/**
 * Invariant 6, from the private database once every chain settled:
 * - every accepted alert has its chain, and none is still waiting;
 * - every missed deadline escalated exactly once per step: the steps that ran
 *   are 0..k without a gap or a repeat, each a `message.escalated` leaf, each
 *   with exactly the notices the chain calls for; an exhausted chain ran every step;
 * - no notification followed an acknowledgement: in the feed, every notice of
 *   an acknowledged alert precedes its acknowledgement.
 */
async function checkEscalations(
  db: pg.Client,
  accepted: ReadonlyMap<string, SentAlert>,
  acknowledged: ReadonlyMap<string, Date>,
  extra: { t: Test; noticesSeenLive: number },
): Promise<Record<string, number>> {
  const { t } = extra;
  const rows = (await db.query(`select message_id::text as id, state, next_step, chain from escalations`)).rows as {
    id: string;
    state: string;
    next_step: number;
    chain: { steps: { inboxes: string[] }[]; renotifyRecipients: boolean };
  }[];
  const chains = new Map(rows.map((r) => [r.id, r]));
  t.ok([...accepted.keys()].every((id) => chains.has(id)), 'every accepted alert has its acknowledgement chain');
  const waiting = rows.filter((r) => r.state === 'waiting');
  t.equal(waiting.length, 0, 'no chain is still waiting');

  const leaves = (await db.query(`select l.subject, r.record as data from log_leaves l join log_records r on r.index = l.index where l.kind = 'message.escalated'`)).rows as { subject: string; data: string }[];
  const stepsRun = new Map<string, number[]>();
  for (const l of leaves) stepsRun.set(l.subject, [...(stepsRun.get(l.subject) ?? []), (JSON.parse(l.data) as { step: number }).step]);
  const notices = (await db.query(`select message_id::text as id, (notice->>'step')::int as step, count(*)::int as n from inbox_events where kind = 'notice' group by 1, 2`)).rows as {
    id: string;
    step: number;
    n: number;
  }[];
  const noticesOf = new Map(notices.map((r) => [`${r.id}/${r.step}`, r.n]));
  const expectedNotices = (chain: (typeof rows)[number]['chain'], step: number) =>
    step === 0 || step === chain.steps.length + 1 ? 1 : (chain.renotifyRecipients ? 1 : 0) + chain.steps[step - 1]!.inboxes.length + 1;

  let missed = 0;
  let exhausted = 0;
  let stepsTotal = 0;
  let badSteps = 0;
  let badNotices = 0;
  for (const r of rows) {
    const steps = (stepsRun.get(r.id) ?? []).sort((a, b) => a - b);
    stepsTotal += steps.length;
    if (steps.length > 0) missed++;
    if (r.state === 'exhausted') exhausted++;
    const expected = r.state === 'exhausted' ? r.chain.steps.length + 2 : r.next_step;
    // Steps 0..k-1 exactly once each, and the row says k steps ran.
    if (steps.length !== expected || steps.some((s, i) => s !== i) || r.next_step !== steps.length) badSteps++;
    for (const step of steps) if (noticesOf.get(`${r.id}/${step}`) !== expectedNotices(r.chain, step)) badNotices++;
  }
  t.equal(badSteps, 0, 'every missed deadline escalated exactly once per step, each step a leaf');
  t.equal(badNotices, 0, 'each step wrote exactly the notices its chain calls for');
  // An acknowledgement stops a chain that still waits; one that comes after the chain ran out (a delivery the
  // faults delayed past the whole chain) finds it exhausted, and the feed order below shows which came first.
  t.ok(
    [...acknowledged.keys()].every((id) => ['acknowledged', 'exhausted'].includes(chains.get(id)?.state ?? '')),
    'every acknowledgement stopped its chain, unless the chain had already run out',
  );
  const acknowledgedAfterExhaustion = [...acknowledged.keys()].filter((id) => chains.get(id)?.state === 'exhausted').length;

  const order = (
    await db.query(
      `select e.message_id::text as id,
              max(e.seq) filter (where e.kind = 'notice') as last_notice,
              min(e.seq) filter (where e.kind = 'receipt' and r.kind = 'acknowledged') as ack
         from inbox_events e left join receipts r on r.id = e.receipt_id
        group by e.message_id`,
    )
  ).rows as { id: string; last_notice: string | null; ack: string | null }[];
  const afterAck = order.filter((o) => o.ack !== null && o.last_notice !== null && BigInt(o.last_notice) > BigInt(o.ack));
  t.equal(afterAck.length, 0, 'no notification followed an acknowledgement');
  const escalatedThenAcknowledged = order.filter((o) => o.ack !== null && o.last_notice !== null).length;
  t.ok(escalatedThenAcknowledged > 0, `${escalatedThenAcknowledged} alerts were acknowledged after their chain had started`);
  return {
    chains: rows.length,
    missedDeadlines: missed,
    escalationSteps: stepsTotal,
    escalationLeaves: leaves.length,
    chainsExhausted: exhausted,
    escalatedThenAcknowledged,
    acknowledgedAfterExhaustion,
    stepsRunTwiceOrSkipped: badSteps,
    noticesAfterAcknowledgement: afterAck.length,
    // What the streams' sockets saw, for the record (a notice published before an acknowledgement may arrive after its HTTP answer).
    noticesSeenLive: extra.noticesSeenLive,
  };
}

t.test('faults under load: SIGKILL a hub, wipe Redis, restart PostgreSQL', { skip: postgresAvailable() ? false : 'PostgreSQL 15 binaries not found' }, async (t) => {
  const began = Date.now();
  /** When the load started (reset just before the first alert). */
  let start = Date.now();
  const postgres = await startPostgresCluster(t);
  const databaseUrl = await postgres.createDatabase('vigie');
  const redis = await startRedisServer(t);
  const { instances, operatorToken } = await startHubInstances(
    t,
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      VIGIE_DATA_DIR: tempDir(t, 'vigie-fault'),
      VIGIE_QUEUE_PREFIX: 'fault',
      // 50 alerts/s from one member, plus the receipts: far above the default per-minute limit.
      VIGIE_RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    },
    ['A', 'B'],
  );
  const [hubA, hubB] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const hubOutput = () => `A:\n${hubA.output.join('').slice(-3000)}\nB:\n${hubB.output.join('').slice(-3000)}`;
  t.teardown(() => {
    if (t.passing()) return;
    t.comment(`hub output (tail)\n${hubOutput()}`);
    t.comment(`postgres output (tail)\n${postgres.output.join('').slice(-2000)}`);
  });

  const { worker, officer, shelter, police, underDanger } = await enrolPartners(hubA.url, operatorToken);
  // Deadlines short enough to pass during the load: 10 s, then the supervisor at once, the duty officer 5 s later.
  await police.admin.createInbox('supervision', { fr: 'Superviseur', en: 'Supervisor' });
  await police.admin.createInbox('duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
  const rapid = draftFromTemplate('shelter-police', { shelter: 'shelter-laval', police: 'police-laval' }, { id: 'alerte-rapide', rootKeys: rootKeysOf(shelter, police) });
  const alertFlow = rapid.flows.find((f) => f.messageTypes.includes('danger_alert'))!;
  alertFlow.acknowledgement = {
    messageTypes: ['danger_alert'],
    deadlineSeconds: DEADLINE_S,
    renotifyRecipients: true,
    escalation: [
      { afterSeconds: 0, inboxes: ['police-laval/supervision'] },
      { afterSeconds: 5, inboxes: ['police-laval/duty-officer'] },
    ],
  };
  await shelter.admin.submitProtocol(police.admin.signProtocol(shelter.admin.signProtocol(rapid)));
  const basis = { ...underDanger, protocol: { id: 'alerte-rapide', version: 1 } };
  const senders = { A: worker.client, B: await VigieClient.connect({ url: hubB.url, keys: worker.keys }) };
  const receiver = await VigieClient.connect({ url: hubB.url, keys: officer.keys });
  // Keys, certificates and tokens first: during the faults the clients only need the hub to send and acknowledge.
  for (const c of [senders.A, senders.B]) {
    await c.accessToken();
    await c.inboxes();
    await c.directory.inbox(POLICE_INBOX);
  }
  await receiver.accessToken();
  await receiver.inboxes();
  await receiver.directory.member(worker.keys.member);
  await senders.B.directory.member(officer.keys.member);

  // The dispatcher, streaming from B (the instance that survives). Every frame the hub sends either stream, duplicates included.
  const raw = observeRawFrames(t);
  const deliveredOnce = new Map<string, number>();
  /** ms since the load started, when the application first saw each alert. */
  const deliveredAt = new Map<string, number>();
  let dedupedDeliveries = 0;
  const invalid: string[] = [];
  const acknowledged = new Map<string, Date>();
  const ackPending = new Set<Promise<void>>();
  const ackGaveUp = new Set<string>();
  let ackRetries = 0;
  const ackFailures = new Map<string, number>();
  const stream = receiver.stream();
  const acknowledge = async (m: OpenedMessage) => {
    const giveUpAt = Date.now() + DURATION_MS + DELIVERY_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await receiver.acknowledge(m);
        acknowledged.set(m.id, new Date());
        return;
      } catch (err) {
        const { outcome, code } = outcomeOf(err);
        ackFailures.set(`${outcome}:${code}`, (ackFailures.get(`${outcome}:${code}`) ?? 0) + 1);
        if (Date.now() > giveUpAt) {
          ackGaveUp.add(m.id);
          return;
        }
        ackRetries++;
        await sleep(Math.min(100 * 2 ** attempt, 2000));
      }
    }
  };
  stream.on('message', (m) => {
    if (m.inbox !== POLICE_INBOX) return;
    dedupedDeliveries++;
    deliveredOnce.set(m.id, (deliveredOnce.get(m.id) ?? 0) + 1);
    if (!deliveredAt.has(m.id)) deliveredAt.set(m.id, Date.now() - start);
    // A person acknowledges half of the alerts at once; the others stay silent (escalations).
    const n = (m.content as { n?: number }).n;
    if (typeof n === 'number' && acknowledges(n)) {
      const p = (acknowledgesLate(n) ? sleep(LATE_ACK_MS) : Promise.resolve()).then(() => acknowledge(m)).finally(() => ackPending.delete(p));
      ackPending.add(p);
    }
  });
  stream.on('invalid', ({ id, error }) => void invalid.push(`${id}: ${error.message}`));
  await stream.open();
  t.teardown(() => stream.close());

  // The worker's own stream, also on B: receipts and whatever else the hub tells the sender.
  const senderStream = senders.B.stream();
  await senderStream.open();
  t.teardown(() => senderStream.close());

  const alerts: SentAlert[] = [];
  const inFlight: Promise<SentAlert>[] = [];
  const sendAlert = (n: number, instance: 'A' | 'B'): Promise<SentAlert> => {
    const alert: SentAlert = { n, id: randomUUID(), instance, sentAt: Date.now() - start };
    alerts.push(alert);
    const sent = senders[instance]
      .send({ id: alert.id, type: 'danger_alert', urgency: 'immediate', recipients: [POLICE_INBOX], content: { n, text: `alerte ${n}` }, ...basis })
      .then(
        (res) => {
          alert.outcome = 'accepted';
          alert.acceptedAt = new Date(res.acceptedAt);
          return alert;
        },
        (err) => Object.assign(alert, outcomeOf(err)),
      );
    inFlight.push(sent);
    return sent;
  };

  // The faults, on their own schedule, with a probe of each outage.
  const probes: { whileRedisDown?: string; whilePostgresDown?: Record<string, string> } = {};
  const faultLog: string[] = [];
  let redisKeysBeforeWipe = -1;
  const mark = (what: string) => void faultLog.push(`${((Date.now() - start) / 1000).toFixed(1)} s ${what}`);
  const at = (fraction: number) => sleep(start + fraction * DURATION_MS - Date.now());
  const runFaults = async () => {
    await at(AT.killA);
    mark('SIGKILL hub A');
    await hubA.kill();
    await at(AT.restartA);
    mark('starting hub A');
    await hubA.start();
    mark('hub A ready');
    await at(AT.wipeRedis);
    const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await probe.connect();
    redisKeysBeforeWipe = await probe.dbsize();
    probe.disconnect();
    mark(`stopping Redis (${redisKeysBeforeWipe} keys)`);
    await redis.stop();
    for (const f of readdirSync(redis.dir)) rmSync(join(redis.dir, f), { recursive: true, force: true });
    mkdirSync(redis.dir, { recursive: true });
    // Accepting needs PostgreSQL only: an alert sent while Redis is down is accepted (and delivered later).
    const probe1 = await Promise.race([sendAlert(1_000_000, 'B'), sleep(10_000).then(() => null)]);
    probes.whileRedisDown = !probe1 ? 'no answer within 10 s' : probe1.outcome === 'accepted' ? 'accepted' : `${probe1.outcome}:${probe1.code}`;
    await redis.restart();
    mark('Redis started empty');
    await at(AT.restartPostgres);
    mark('stopping PostgreSQL');
    await postgres.stop();
    // Requests that need the database are refused with 503, never 500, and the instances say they are not ready.
    probes.whilePostgresDown = {};
    for (const [name, hub] of [['A', hubA], ['B', hubB]] as const) {
      probes.whilePostgresDown[`${name} status`] = await codeOf(senders[name].status(probe1?.id ?? randomUUID()));
      probes.whilePostgresDown[`${name} readyz`] = String((await fetch(`${hub.url}/readyz`)).status);
    }
    await postgres.start();
    mark('PostgreSQL accepting again');
  };

  // The load: open loop, one alert every 1000/RATE ms, alternating between A and B.
  const total = Math.round((RATE * DURATION_MS) / 1000);
  start = Date.now();
  const faults = runFaults();
  for (let n = 0; n < total; n++) {
    await sleep(start + (n * 1000) / RATE - Date.now());
    void sendAlert(n, n % 2 === 0 ? 'A' : 'B');
  }
  const loadEnded = Date.now() - start;
  await faults;
  await Promise.all(inFlight);
  const sendsSettled = Date.now() - start;

  const accepted = new Map(alerts.filter((a) => a.outcome === 'accepted').map((a) => [a.id, a]));
  const missing = () => [...accepted.keys()].filter((id) => !deliveredOnce.has(id));
  try {
    await eventually(() => missing().length === 0, DELIVERY_WAIT_MS, 100);
  } catch {
    // reported below, with what the database says about each missing alert
  }
  const allDelivered = Date.now() - start;
  const ackWait = Date.now() + 30_000;
  while (ackPending.size > 0 && Date.now() < ackWait) await Promise.race([...ackPending, sleep(1000)]);

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  // Every chain ends: acknowledged, or exhausted CHAIN_S after its alert was accepted (the watchdog drives lost timers).
  await eventually(async () => (await db.query(`select count(*)::int as n from escalations where state = 'waiting'`)).rows[0].n === 0, (CHAIN_S + 60) * 1000, 500).catch(() => {});
  const chainsSettled = Date.now() - start;
  // The sequencer integrates the queued leaves within a second of their transaction.
  await eventually(async () => (await db.query('select count(*)::int as n from log_queue')).rows[0].n === 0, 30_000, 200);

  // Delivery: every 202 reached the police inbox exactly once after de-duplication.
  const stillMissing = missing();
  if (stillMissing.length > 0) {
    const why = await db.query(
      `select d.message_id, d.pushed_at, d.delivered_at, o.dispatched_at, o.created_at
         from deliveries d left join outbox o on o.topic = 'deliver' and o.ref = d.message_id::text
        where d.message_id = any($1::uuid[]) order by o.created_at limit 20`,
      [stillMissing],
    );
    t.comment(`missing alerts (first 20): ${JSON.stringify(why.rows)}`);
  }
  t.equal(stillMissing.length, 0, 'every alert that received a 202 reached the police inbox');
  const twice = [...deliveredOnce].filter(([, c]) => c > 1);
  t.equal(twice.length, 0, 'no alert reached the application twice after de-duplication');
  // The wire, below the SDK: at least once, and a copy is only ever a re-send of the one stored feed event.
  const rawById = raw.messageCounts(officer.keys.member, POLICE_INBOX);
  const rawSeqs = raw.seqsOf(officer.keys.member, POLICE_INBOX);
  t.ok([...accepted.keys()].every((id) => (rawById.get(id) ?? 0) >= 1), 'every alert that received a 202 reached the police socket at least once');
  t.equal([...rawSeqs.values()].filter((seqs) => seqs.size !== 1).length, 0, 'every copy of an alert on the wire is the same feed event (one seq per alert)');
  t.ok([...rawById.keys()].every((id) => deliveredOnce.has(id) || invalid.some((i) => i.startsWith(`${id}:`))), 'every alert on the wire reached the application or was reported invalid');
  const rawDeliveries = [...rawById.values()].reduce((a, b) => a + b, 0);
  t.same(invalid, [], 'no delivered alert failed to open or verify');
  const stored = await db.query('select id from messages');
  const storedIds = new Set(stored.rows.map((r: { id: string }) => r.id));
  t.ok([...accepted.keys()].every((id) => storedIds.has(id)), 'every 202 is a stored message');
  const storedWithout202 = [...storedIds].filter((id) => !accepted.has(id));
  const deliveredWithout202 = [...deliveredOnce.keys()].filter((id) => !accepted.has(id));
  t.ok(deliveredWithout202.every((id) => storedIds.has(id)), 'nothing was delivered that the hub did not store');

  // Acknowledgements.
  t.equal(ackGaveUp.size, 0, 'every acknowledgement was stored in the end');
  const ackRows = await db.query(
    `select message_id::text as id, acknowledged_at from deliveries where inbox_id = $1 and acknowledged_at is not null`,
    [POLICE_INBOX],
  );
  const ackStored = new Set(ackRows.rows.map((r: { id: string }) => r.id));
  t.ok([...acknowledged.keys()].every((id) => ackStored.has(id)), 'every acknowledgement the hub confirmed is stored');
  t.equal(ackStored.size, acknowledged.size, 'and nothing else was acknowledged');
  const alertById = new Map(alerts.map((a) => [a.id, a]));
  const expectedAcks = [...deliveredOnce.keys()].filter((id) => acknowledges(alertById.get(id)?.n ?? 3));
  t.equal(acknowledged.size, expectedAcks.length, 'the dispatcher acknowledged every alert it meant to (n mod 4 < 2)');

  // The disclosure log holds every event, once.
  const leafCounts = async (kind: string) => {
    const res = await db.query('select subject, count(*)::int as n from log_leaves where kind = $1 group by subject', [kind]);
    return new Map(res.rows.map((r: { subject: string; n: number }) => [r.subject, r.n]));
  };
  const acceptedLeaves = await leafCounts('message.accepted');
  const ackLeaves = await leafCounts('message.acknowledged');
  const deliveredLeaves = await leafCounts('message.delivered');
  t.ok([...accepted.keys()].every((id) => acceptedLeaves.get(id) === 1), 'every 202 has exactly one message.accepted leaf');
  t.ok([...storedIds].every((id) => acceptedLeaves.get(id) === 1), 'every stored message has exactly one message.accepted leaf');
  const receiptRows = await db.query(`select message_id::text as id, kind from receipts`);
  const receiptsOf = (kind: string) => receiptRows.rows.filter((r: { kind: string }) => r.kind === kind).map((r: { id: string }) => r.id);
  t.ok(receiptsOf('acknowledged').every((id: string) => ackLeaves.get(id) === 1), 'every stored acknowledgement has exactly one message.acknowledged leaf');
  t.equal(receiptsOf('acknowledged').length, ackStored.size, 'one acknowledgement receipt per acknowledged delivery');
  t.ok(receiptsOf('delivered').every((id: string) => deliveredLeaves.get(id) === 1), 'every stored delivery receipt has exactly one message.delivered leaf');
  const tree = await db.query(`select (select count(*)::int from log_leaves) as leaves, (select coalesce(max(index) + 1, 0)::int from log_leaves) as size,
                                      (select coalesce(max(size), 0)::int from log_checkpoints) as checkpoint`);
  t.same(tree.rows[0], { leaves: tree.rows[0].size, size: tree.rows[0].size, checkpoint: tree.rows[0].size }, 'the log has no gap and its last checkpoint covers every leaf');

  t.equal(probes.whileRedisDown, 'accepted', 'an alert sent while Redis was down was accepted');
  t.same(
    probes.whilePostgresDown,
    { 'A status': 'SERVICE_UNAVAILABLE', 'A readyz': '503', 'B status': 'SERVICE_UNAVAILABLE', 'B readyz': '503' },
    'while PostgreSQL was down, both instances answered 503 SERVICE_UNAVAILABLE',
  );

  // The hub survived: no 500, instance B never went down, A only when killed.
  const byOutcome = (o: Outcome) => alerts.filter((a) => a.outcome === o).length;
  const codes = [...new Set(alerts.filter((a) => a.outcome && a.outcome !== 'accepted').map((a) => `${a.outcome}:${a.code}`))];
  t.equal(byOutcome('internal'), 0, 'no send failed with a 500');
  t.equal(byOutcome('refused'), 0, 'no send was refused (4xx)');
  t.ok(alerts.every((a) => a.outcome !== undefined), 'every send settled');
  t.same([...hubA.unexpectedExits, ...hubB.unexpectedExits], [], 'no hub process exited by itself');
  t.ok(hubB.running() && hubA.running(), 'both instances are running at the end');
  t.same([...ackFailures.keys()].filter((c) => c.startsWith('internal')), [], 'no acknowledgement failed with a 500');

  // Invariant 6 — filled in with the escalation engine.
  const noticesSeenLive = raw.frames.filter((f) => f.type === 'notice').length;
  const escalation = await checkEscalations(db, accepted, acknowledged, { t, noticesSeenLive });

  const counts = {
    sent: alerts.length,
    accepted202: accepted.size,
    acceptedViaA: [...accepted.values()].filter((a) => a.instance === 'A').length,
    acceptedViaB: [...accepted.values()].filter((a) => a.instance === 'B').length,
    failed: alerts.length - accepted.size,
    failedUnavailable503: byOutcome('unavailable'),
    failedNetwork: byOutcome('network'),
    failedInternal500: byOutcome('internal'),
    refused4xx: byOutcome('refused'),
    storedWithout202: storedWithout202.length,
    deliveredRaw: rawDeliveries,
    deliveredDeduplicated: dedupedDeliveries,
    duplicatesRemovedByClient: rawDeliveries - dedupedDeliveries,
    alertsSeenMoreThanOnceRaw: [...rawById.values()].filter((c) => c > 1).length,
    deliveredWithout202: deliveredWithout202.length,
    missing: stillMissing.length,
    acknowledged: acknowledged.size,
    acknowledgementRetries: ackRetries,
    logLeaves: tree.rows[0].leaves,
    logAcceptedLeaves: acceptedLeaves.size,
    logAcknowledgedLeaves: ackLeaves.size,
    logDeliveredLeaves: deliveredLeaves.size,
    senderSocketFrames: raw.frames.filter((f) => f.member === worker.keys.member && f.type !== 'ready').length,
    recipientSocketFrames: raw.frames.filter((f) => f.member === officer.keys.member && f.type !== 'ready').length,
    recipientReconnections: raw.connections(officer.keys.member) - 1,
    ...escalation,
  };
  const latencies = [...accepted.values()]
    .filter((a) => deliveredAt.has(a.id))
    .map((a) => ({ a, ms: deliveredAt.get(a.id)! - a.sentAt }))
    .sort((x, y) => x.ms - y.ms);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.ms ?? 0;
  // The same, to the socket: how far the hub's delivery trailed the load, apart from the client's own pace.
  const firstOnWire = new Map<string, number>();
  for (const f of raw.of(officer.keys.member, 'message', POLICE_INBOX)) if (f.message && !firstOnWire.has(f.message)) firstOnWire.set(f.message, f.at - start);
  const wire = [...accepted.values()].filter((a) => firstOnWire.has(a.id)).map((a) => firstOnWire.get(a.id)! - a.sentAt).sort((x, y) => x - y);
  const wirePct = (q: number) => wire[Math.min(wire.length - 1, Math.floor(q * wire.length))] ?? 0;
  const latency = {
    wireP50: wirePct(0.5),
    wireP99: wirePct(0.99),
    lastOnWireSeconds: +(Math.max(0, ...firstOnWire.values()) / 1000).toFixed(1),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    max: pct(1),
    over5s: latencies.filter((l) => l.ms > 5000).length,
    slowest: latencies.slice(-5).map(({ a, ms }) => `n=${a.n} via ${a.instance} sent ${(a.sentAt / 1000).toFixed(1)} s, ${(ms / 1000).toFixed(1)} s`),
  };
  const timing = {
    loadSeconds: +(loadEnded / 1000).toFixed(1),
    sendsSettledSeconds: +(sendsSettled / 1000).toFixed(1),
    allDeliveredSeconds: +(allDelivered / 1000).toFixed(1),
    chainsSettledSeconds: +(chainsSettled / 1000).toFixed(1),
    totalSeconds: +((Date.now() - began) / 1000).toFixed(1),
  };
  t.comment(`faults: ${faultLog.join('; ')}`);
  t.comment(`probes: ${JSON.stringify(probes)}`);
  t.comment(`hub warnings and errors: ${JSON.stringify({ A: logSummary(hubA.output), B: logSummary(hubB.output) })}`);
  t.comment(`send failures: ${codes.join(', ') || 'none'}; acknowledgement failures: ${JSON.stringify(Object.fromEntries(ackFailures))}`);
  t.comment(`counts: ${JSON.stringify(counts)}`);
  t.comment(`delivery latency (ms, send → application; wire*: send → the socket): ${JSON.stringify(latency)}`);
  t.comment(`timing: ${JSON.stringify(timing)}`);
});
