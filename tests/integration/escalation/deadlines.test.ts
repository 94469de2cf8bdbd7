// Silence is an event (invariant 6): a danger alert nobody acknowledges in
// time escalates along its protocol's chain, step by step, each step once, and
// an acknowledgement stops everything at once. Time is injected: the tests
// move a clock and run the watchdog instead of sleeping through deadlines.
import t from 'tap';
import { and, asc, eq, sql } from 'drizzle-orm';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import type { OpenedMessage, VigieClient } from '../../../clients/sdk/client.js';
import type { Notice } from '../../../clients/sdk/stream.js';
import { logLeaves, logRecords } from '../../../server/disclosure-log/tables.js';
import { escalations } from '../../../server/escalation/tables.js';
import { ManualClock } from '../../../server/lib/clock.js';
import { inboxEvents } from '../../../server/realtime/tables.js';
import { enrolPartners, type Partners } from '../../helpers/agencies.js';
import { eventually, startTestHub, type Teardown, type TestHub } from '../../helpers/env.js';
import { RegisterPageSchema } from '../../../protocol/api/register.js';
import { ROUTES } from '../../../protocol/api/routes.js';

// The shelter–police template: acknowledge within 300 s; at the deadline the
// supervisor, 600 s later the duty officer; the chain ends 300 s after that.
const DEADLINE_MS = 300_000;

interface Setup {
  hub: TestHub;
  clock: ManualClock;
  partners: Partners;
  supervisor: VigieClient;
  notices: Notice[];
  opened: Map<string, OpenedMessage>;
}

async function setup(t: Teardown): Promise<Setup> {
  const clock = new ManualClock();
  // Steps run when the test says so (a watchdog pass, or runStep), never on the scheduler's own time.
  const hub = await startTestHub(t, { app: { clock }, config: { escalationPollMs: 60_000, watchdogIntervalMs: 60_000, watchdogGraceMs: 0 } });
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  await partners.police.admin.createInbox('supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
  await partners.police.admin.createInbox('duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
  const supervisor = (await enrolDevice(hub.url, partners.police, 'superviseur', ['receiver'], ['police-laval/supervision', 'police-laval/duty-officer'])).client;
  const notices: Notice[] = [];
  const opened = new Map<string, OpenedMessage>();
  for (const client of [partners.worker.client, partners.officer.client, supervisor]) {
    const stream = client.stream();
    stream.on('notice', (n) => void notices.push(n));
    if (client === partners.officer.client) stream.on('message', (m) => void opened.set(m.id, m));
    await stream.open();
    t.teardown(() => stream.close());
  }
  return { hub, clock, partners, supervisor, notices, opened };
}

async function alert(s: Setup): Promise<{ id: string; acceptedAt: Date }> {
  const sent = await s.partners.worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'menace' }, ...s.partners.underDanger });
  await eventually(() => s.opened.has(sent.id));
  return { id: sent.id, acceptedAt: new Date(sent.acceptedAt) };
}

const state = async (s: Setup, id: string) =>
  (await s.hub.app.db.select().from(escalations).where(eq(escalations.messageId, id)))[0]!;

async function escalationLeaves(s: Setup, id: string): Promise<{ kind: string; step: number }[]> {
  await s.hub.app.disclosureLog.flush();
  const rows = await s.hub.app.db.select({ data: logRecords.record }).from(logLeaves).innerJoin(logRecords, eq(logRecords.index, logLeaves.index)).where(and(eq(logLeaves.kind, 'message.escalated'), eq(logLeaves.subject, id))).orderBy(asc(logLeaves.index));
  return rows.map((r) => JSON.parse(r.data) as { kind: string; step: number }).map(({ kind, step }) => ({ kind, step }));
}

const noticesOf = (s: Setup, id: string) => s.notices.filter((n) => n.message === id).map((n) => `${n.inbox} ${n.kind} ${n.step}`).sort();

/** Moves the clock to `at` and lets the watchdog (and the timers it schedules) run until the row settles at `step`. */
async function runUntil(s: Setup, id: string, at: Date, step: number) {
  s.clock.set(at);
  await s.hub.app.watchdog.pass();
  await eventually(async () => (await state(s, id)).nextStep >= step && (await s.hub.app.watchdog.pass()) && (await state(s, id)).nextStep >= step);
}

t.test('acknowledged just before the deadline: no escalation at all', async (t) => {
  const s = await setup(t);
  const { id, acceptedAt } = await alert(s);
  t.match(await state(s, id), { state: 'waiting', nextStep: 0 }, 'the chain is snapshotted with the message');
  t.equal((await state(s, id)).nextAt!.getTime(), acceptedAt.getTime() + DEADLINE_MS, 'the deadline comes from the protocol');
  s.clock.set(new Date(acceptedAt.getTime() + DEADLINE_MS - 1));
  await s.partners.officer.client.acknowledge(s.opened.get(id)!);
  s.clock.advance(3600_000);
  t.same(await s.hub.app.watchdog.pass(), { deliveries: 0, escalations: 0 }, 'nothing is overdue an hour later');
  t.match(await state(s, id), { state: 'acknowledged', nextAt: null });
  t.same(await escalationLeaves(s, id), [], 'no escalation leaf');
  t.same(noticesOf(s, id), [], 'nobody was told anything');
});

t.test('acknowledged at the deadline, before the step ran: on time', async (t) => {
  const s = await setup(t);
  const { id, acceptedAt } = await alert(s);
  s.clock.set(new Date(acceptedAt.getTime() + DEADLINE_MS));
  await s.partners.officer.client.acknowledge(s.opened.get(id)!);
  await s.hub.app.watchdog.pass();
  t.equal((await state(s, id)).state, 'acknowledged');
  t.same(await escalationLeaves(s, id), []);
  t.same(noticesOf(s, id), []);
});

t.test('acknowledged after the first escalation: no notice after the acknowledgement', async (t) => {
  const s = await setup(t);
  const { id, acceptedAt } = await alert(s);
  await runUntil(s, id, new Date(acceptedAt.getTime() + DEADLINE_MS), 2);
  await eventually(() => noticesOf(s, id).length === 4);
  t.same(
    noticesOf(s, id),
    [
      'police-laval/dispatch renotify 1',
      'police-laval/supervision escalation 1',
      'shelter-laval/intake escalated 1',
      'shelter-laval/intake unacknowledged 0',
    ],
    'the sender was told at once, the dispatch desk re-notified, the supervisor notified',
  );
  const toSupervisor = s.notices.find((n) => n.message === id && n.kind === 'escalation')!;
  t.match(toSupervisor, { type: 'danger_alert', urgency: 'immediate', sender: { agency: 'shelter-laval' }, recipient: 'police-laval/dispatch' }, 'the supervisor learns what waits, without the content');

  await s.partners.officer.client.acknowledge(s.opened.get(id)!);
  t.equal((await state(s, id)).state, 'acknowledged');
  s.clock.advance(7200_000);
  // Nothing is overdue two hours later, and the feed (what every stream is sent, live or replayed) holds no
  // notice beyond the four: the negative is read where it would be written, not waited for.
  t.same(await s.hub.app.watchdog.pass(), { deliveries: 0, escalations: 0 }, 'nothing is overdue after the acknowledgement');
  const noticeRows = await s.hub.app.db.select({ n: sql<number>`count(*)::int` }).from(inboxEvents).where(and(eq(inboxEvents.messageId, id), eq(inboxEvents.kind, 'notice')));
  t.equal(noticeRows[0]!.n, 4, 'no notice after the acknowledgement in the feed');
  t.equal(noticesOf(s, id).length, 4, 'nor on the streams');
  t.same(await escalationLeaves(s, id), [{ kind: 'unacknowledged', step: 0 }, { kind: 'escalated', step: 1 }], 'each step once, on the record');
  // In the feed, every notice of this message precedes the acknowledgement.
  const feed = await s.hub.app.db.select({ seq: inboxEvents.seq, kind: inboxEvents.kind }).from(inboxEvents).where(eq(inboxEvents.messageId, id)).orderBy(asc(inboxEvents.seq));
  const lastNotice = feed.filter((e) => e.kind === 'notice').at(-1)!.seq;
  const ackEvent = feed.filter((e) => e.kind === 'receipt').at(-1)!.seq;
  t.ok(lastNotice < ackEvent, 'the feed holds no notice after the acknowledgement');
});

t.test('nobody acknowledges: the chain runs out, each step once', async (t) => {
  const s = await setup(t);
  const { id, acceptedAt } = await alert(s);
  const deadline = acceptedAt.getTime() + DEADLINE_MS;
  await runUntil(s, id, new Date(deadline), 2);
  await runUntil(s, id, new Date(deadline + 600_000), 3);
  await runUntil(s, id, new Date(deadline + 900_000), 4);
  t.match(await state(s, id), { state: 'exhausted', nextAt: null });
  await eventually(() => noticesOf(s, id).some((n) => n.includes('escalation_exhausted')));
  t.same(
    noticesOf(s, id).filter((n) => n.startsWith('shelter-laval/intake')),
    ['shelter-laval/intake escalated 1', 'shelter-laval/intake escalated 2', 'shelter-laval/intake escalation_exhausted 3', 'shelter-laval/intake unacknowledged 0'],
    'the sender heard every step and the end of the chain',
  );
  t.same(
    noticesOf(s, id).filter((n) => !n.startsWith('shelter-laval/intake')),
    ['police-laval/dispatch renotify 1', 'police-laval/dispatch renotify 2', 'police-laval/duty-officer escalation 2', 'police-laval/supervision escalation 1'],
  );
  t.same(
    await escalationLeaves(s, id),
    [
      { kind: 'unacknowledged', step: 0 },
      { kind: 'escalated', step: 1 },
      { kind: 'escalated', step: 2 },
      { kind: 'exhausted', step: 3 },
    ],
  );
  s.clock.advance(86400_000);
  await s.hub.app.watchdog.pass();
  t.equal((await escalationLeaves(s, id)).length, 4, 'nothing after the end of the chain');

  // The shelter's auditors see the exhausted chain in the register.
  const auditor = await enrolDevice(s.hub.url, s.partners.shelter, 'responsable', ['auditor'], []);
  const register = await auditor.client.http.get(ROUTES.auditRegister, RegisterPageSchema, await auditor.client.accessToken());
  t.same(
    register.rows.filter((r) => r.message === id).map((r) => r.event),
    ['accepted', 'unacknowledged', 'escalated', 'escalated', 'exhausted'],
    'auditors see every step, and that the chain ran out',
  );
});

t.test('two runners of one due step: one runs it, the other does nothing; a step is never run early or twice', async (t) => {
  const s = await setup(t);
  const { id, acceptedAt } = await alert(s);
  const engine = s.hub.app.escalation;
  // The manual clock keeps running from where it is set: ten seconds before the deadline stays before it.
  s.clock.set(new Date(acceptedAt.getTime() + DEADLINE_MS - 10_000));
  t.equal(await engine.runStep(id, 'police-laval/dispatch'), 'early', 'before the deadline, nothing');
  s.clock.set(new Date(acceptedAt.getTime() + DEADLINE_MS));
  // Two instances' schedulers find the same row due at once.
  const outcomes = await Promise.all([engine.runStep(id, 'police-laval/dispatch'), engine.runStep(id, 'police-laval/dispatch')]);
  t.equal(outcomes.filter((o) => o === 'done').length, 1, 'one runner runs the step');
  t.ok(outcomes.every((o) => o === 'done' || o === 'stale' || o === 'early'), 'the other skips the locked row, or finds the next step not due');
  // The template escalates to the supervisor at the deadline itself: step 1 ran with step 0; step 2 is not due.
  t.equal(await engine.runStep(id, 'police-laval/dispatch'), 'early', 'run again, nothing: the steps that ran are not repeated, the next is not due');
  const unacknowledged = await s.hub.app.db
    .select({ n: sql<number>`count(*)::int` })
    .from(inboxEvents)
    .where(and(eq(inboxEvents.messageId, id), sql`${inboxEvents.notice}->>'kind' = 'unacknowledged'`));
  t.equal(unacknowledged[0]!.n, 1, 'the sender was told once');
  t.same(await escalationLeaves(s, id), [{ kind: 'unacknowledged', step: 0 }, { kind: 'escalated', step: 1 }], 'one leaf for each step, the deadline and the escalation due with it');
  t.match(await state(s, id), { state: 'waiting', nextStep: 2 }, 'the row waits for the second escalation step');
});
