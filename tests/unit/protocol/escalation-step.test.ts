// One step of an escalation chain as a pure function: who is told what, and
// when the next step is due, for the deadline, each escalation step and the end.
import t from 'tap';
import { escalationChain } from '../../../protocol/escalation-chain.js';
import { planStep, type AwaitedMessage } from '../../../protocol/escalation-step.js';

const acceptedAt = new Date('2026-12-04T02:00:00.000Z');
const chain = escalationChain(
  {
    messageTypes: ['danger_alert'],
    deadlineSeconds: 300,
    renotifyRecipients: true,
    escalation: [
      { afterSeconds: 0, inboxes: ['police-laval/supervision'] },
      { afterSeconds: 600, inboxes: ['police-laval/duty-officer', 'police-laval/command'] },
    ],
  },
  { protocol: { id: 'shelter-police', version: 1 }, flow: 'alerte', acceptedAt },
);
const about: AwaitedMessage = { type: 'danger_alert', urgency: 'immediate', sender: { agency: 'maison-aurore', inbox: 'maison-aurore/intake' }, acceptedAt: acceptedAt.toISOString() };
const message = '0f8fad5b-d9cb-469f-a165-70867728950e';
const recipient = 'police-laval/dispatch';
const now = new Date('2026-12-04T02:05:00.000Z');
const summary = (step: number) => planStep(chain, about, message, recipient, step, now).notices.map((n) => `${n.inbox} ${n.notice.kind}`);

t.test('the deadline tells the sender, and the first escalation is due at once', async (t) => {
  const plan = planStep(chain, about, message, recipient, 0, now);
  t.equal(plan.kind, 'unacknowledged');
  t.same(summary(0), ['maison-aurore/intake unacknowledged']);
  t.match(plan.notices[0]!.notice, { message, recipient, step: 0, at: now.toISOString(), deadlineAt: chain.deadlineAt });
  t.same(plan.next, { step: 1, at: new Date('2026-12-04T02:05:00.000Z') });
});

t.test('an escalation step re-notifies the recipient, notifies its inboxes with metadata, and tells the sender', async (t) => {
  const plan = planStep(chain, about, message, recipient, 2, now);
  t.equal(plan.kind, 'escalated');
  t.same(plan.notified, ['police-laval/duty-officer', 'police-laval/command']);
  t.same(summary(2), ['police-laval/dispatch renotify', 'police-laval/duty-officer escalation', 'police-laval/command escalation', 'maison-aurore/intake escalated']);
  t.match(plan.notices[1]!.notice, { kind: 'escalation', type: 'danger_alert', urgency: 'immediate', sender: about.sender });
  t.same(plan.next, { step: 3, at: new Date(chain.exhaustedAt) }, 'after the last step, the end of the chain');
  const quiet = planStep({ ...chain, renotifyRecipients: false }, about, message, recipient, 1, now);
  t.notOk(quiet.notices.some((n) => n.notice.kind === 'renotify'), 'no re-notification when the chain says so');
});

t.test('the end of the chain tells the sender, and nothing follows', async (t) => {
  const plan = planStep(chain, about, message, recipient, 3, now);
  t.equal(plan.kind, 'exhausted');
  t.same(summary(3), ['maison-aurore/intake escalation_exhausted']);
  t.equal(plan.next, null);
});

t.test('a step outside the chain is refused', async (t) => {
  for (const step of [-1, 4, 1.5, Number.NaN]) t.throws(() => planStep(chain, about, message, recipient, step, now), RangeError, String(step));
});
