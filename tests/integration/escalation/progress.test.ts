// GET /v1/messages/:id/escalation: where each awaited acknowledgement stands,
// for whom. The sender's agency and the recipient's desk see the chain from
// the start; a supervisor sees it once a step has notified its inbox (and
// only the chains that did), a duty officer not yet reached sees nothing, nor
// does anyone else: the message is "unknown" to them. Time is injected.
import t from 'tap';
import { enrolAgency, enrolDevice } from '../../../clients/harness/enrol.js';
import type { OpenedMessage, VigieClient } from '../../../clients/sdk/client.js';
import { eq } from 'drizzle-orm';
import { escalations } from '../../../server/escalation/tables.js';
import { ManualClock } from '../../../server/lib/clock.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';

// The shelter–police template: 300 s to acknowledge; the supervisor at the deadline, the duty officer 600 s later.
const DEADLINE_MS = 300_000;

const clock = new ManualClock();
const hub = await startTestHub(t, { app: { clock }, config: { escalationPollMs: 60_000, watchdogIntervalMs: 60_000, watchdogGraceMs: 0 } });
const partners = await enrolPartners(hub.url, hub.operatorToken);
await partners.police.admin.createInbox('supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
await partners.police.admin.createInbox('duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
const supervisor = (await enrolDevice(hub.url, partners.police, 'superviseur', ['receiver'], ['police-laval/supervision'])).client;
const dutyOfficer = (await enrolDevice(hub.url, partners.police, 'officier', ['receiver'], ['police-laval/duty-officer'])).client;
const shelterDevice = (await enrolDevice(hub.url, partners.shelter, 'autre-poste', ['receiver'], [])).client;
const otherPolice = await enrolAgency(hub.url, hub.operatorToken, 'police-autre', 'police', { fr: 'Autre police', en: 'Other police' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
const stranger = (await enrolDevice(hub.url, otherPolice, 'ailleurs', ['receiver'], ['police-autre/dispatch'])).client;

const opened = new Map<string, OpenedMessage>();
const stream = partners.officer.client.stream();
stream.on('message', (m) => void opened.set(m.id, m));
await stream.open();
t.teardown(() => stream.close());

const step = async (id: string) => (await hub.app.db.select().from(escalations).where(eq(escalations.messageId, id)))[0]!;
async function runUntil(id: string, at: Date, next: number) {
  clock.set(at);
  await eventually(async () => (await hub.app.watchdog.pass()) !== undefined && (await step(id)).nextStep >= next);
}
const progress = (client: VigieClient, id: string) => client.escalation(id);

const sent = await partners.worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'menace' }, ...partners.underDanger });
const id = sent.id;
const acceptedAt = new Date(sent.acceptedAt);
await eventually(() => opened.has(id));

t.test('before the deadline: the sender and the recipient see the chain ahead; the escalation inboxes see nothing yet', async (t) => {
  for (const client of [partners.worker.client, partners.officer.client]) {
    const p = await progress(client, id);
    t.match(p, { message: id, type: 'danger_alert', urgency: 'immediate', sender: { agency: 'shelter-laval', inbox: 'shelter-laval/intake' }, acceptedAt: sent.acceptedAt });
    t.equal(p.recipients.length, 1);
    t.match(p.recipients[0], {
      inbox: 'police-laval/dispatch',
      state: 'waiting',
      nextStep: 0,
      deadlineAt: new Date(acceptedAt.getTime() + DEADLINE_MS).toISOString(),
      acknowledgedAt: null,
      steps: [
        { step: 1, inboxes: ['police-laval/supervision'], reached: false },
        { step: 2, inboxes: ['police-laval/duty-officer'], reached: false },
      ],
    });
  }
  t.equal(await codeOf(progress(supervisor, id)), 'MESSAGE_UNKNOWN', 'the supervisor has not been notified: the message is unknown to it');
  t.equal(await codeOf(progress(stranger, id)), 'MESSAGE_UNKNOWN', 'another agency');
  t.equal(await codeOf(progress(shelterDevice, id)), 'OK', 'a device of the sender’s agency');
  t.equal(await codeOf(progress(supervisor, '00000000-0000-4000-8000-000000000000')), 'MESSAGE_UNKNOWN', 'no such message');
});

t.test('the deadline passes: the supervisor, notified, sees the chain; the duty officer, not yet', async (t) => {
  await runUntil(id, new Date(acceptedAt.getTime() + DEADLINE_MS), 2);
  const p = await progress(supervisor, id);
  t.match(p.recipients, [
    {
      inbox: 'police-laval/dispatch',
      state: 'waiting',
      nextStep: 2,
      nextAt: new Date(acceptedAt.getTime() + DEADLINE_MS + 600_000).toISOString(),
      steps: [{ step: 1, reached: true }, { step: 2, reached: false }],
    },
  ]);
  t.equal(await codeOf(progress(dutyOfficer, id)), 'MESSAGE_UNKNOWN', 'the next step has not reached the duty officer');
  t.equal(await codeOf(progress(stranger, id)), 'MESSAGE_UNKNOWN');
});

t.test('a person acknowledges: every viewer sees it, and the chain waits no more', async (t) => {
  await partners.officer.client.acknowledge(opened.get(id)!);
  for (const client of [supervisor, partners.worker.client, partners.officer.client]) {
    const [r] = (await progress(client, id)).recipients;
    t.match(r, { state: 'acknowledged', nextAt: null, nextStep: 2 });
    t.ok(r!.acknowledgedAt, 'with the time the hub recorded it');
  }
});

t.test('nobody acknowledges: the end of the chain is shown to each inbox it reached', async (t) => {
  const other = await partners.worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'encore' }, ...partners.underDanger });
  const at = new Date(other.acceptedAt).getTime();
  await runUntil(other.id, new Date(at + DEADLINE_MS), 2);
  await runUntil(other.id, new Date(at + DEADLINE_MS + 600_000), 3);
  t.match((await progress(dutyOfficer, other.id)).recipients, [{ state: 'waiting', steps: [{ reached: true }, { reached: true }] }], 'the duty officer, now reached');
  await runUntil(other.id, new Date(at + DEADLINE_MS + 900_000), 4);
  for (const client of [supervisor, dutyOfficer, partners.worker.client]) t.match((await progress(client, other.id)).recipients, [{ state: 'exhausted', nextAt: null }]);
});

t.test('a message no deadline applies to: no chain', async (t) => {
  const note = await partners.worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { text: 'suivi' }, ...partners.underConsent });
  t.same((await progress(partners.worker.client, note.id)).recipients, []);
  t.same((await progress(partners.officer.client, note.id)).recipients, []);
  t.equal(await codeOf(progress(supervisor, note.id)), 'MESSAGE_UNKNOWN');
});
