// A sent message's timeline, recipient by recipient, from the hub's record and
// the notices heard since: every state a sender must not miss, and which one
// she sees first.
import t from 'tap';
import type { Notice } from '../../../clients/sdk/stream.js';
import { isSenderNotice, messageTimeline, type EscalationLike, type StatusLike } from '../../../clients/sdk/timeline.js';

const T0 = Date.parse('2026-11-29T07:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const DISPATCH = 'police-laval/dispatch';
const SUPERVISION = 'police-laval/supervision';
const DUTY = 'police-laval/duty-officer';

function status(r: Partial<StatusLike['recipients'][number]> = {}, inbox = DISPATCH): StatusLike {
  return {
    acceptedAt: at(0),
    recipients: [{ inbox, state: 'accepted', pushedAt: null, deliveredAt: null, deliveredBy: null, acknowledgedAt: null, acknowledgedBy: null, ...r }],
  };
}

/** The shelter–police chain: deadline at 300 s, the supervisor then, the duty officer 600 s later, the end 300 s after. */
function chain(nextStep: number, state: 'waiting' | 'acknowledged' | 'exhausted' = 'waiting', inbox = DISPATCH): EscalationLike['recipients'][number] {
  return {
    inbox,
    state,
    deadlineAt: at(300),
    nextStep,
    nextAt: state === 'waiting' ? at([300, 300, 900, 1200][nextStep] ?? 1200) : null,
    steps: [
      { step: 1, at: at(300), inboxes: [SUPERVISION], reached: nextStep > 1 },
      { step: 2, at: at(900), inboxes: [DUTY], reached: nextStep > 2 },
    ],
    exhaustedAt: at(1200),
  };
}

const kinds = (events: { kind: string; due?: boolean }[]) => events.map((e) => `${e.kind}${'due' in e && e.due ? '?' : ''}`);

t.test('accepted, pushed, delivered: the chain still to come', async (t) => {
  const tl = messageTimeline(status({ state: 'delivered', pushedAt: at(1), deliveredAt: at(2), deliveredBy: 'm-1' }), { recipients: [chain(0)] });
  t.equal(tl.state, 'delivered');
  t.same(kinds(tl.recipients[0]!.events), ['accepted', 'pushed', 'delivered', 'deadline?', 'escalated?', 'escalated?', 'exhausted?']);
  t.match(tl.recipients[0]!.events[2], { kind: 'delivered', member: 'm-1' }, 'received by which device');
});

t.test('acknowledged in time: no deadline, no step, nothing to come', async (t) => {
  const tl = messageTimeline(status({ state: 'acknowledged', deliveredAt: at(2), deliveredBy: 'm-1', acknowledgedAt: at(30), acknowledgedBy: 'm-2' }), { recipients: [chain(0, 'acknowledged')] });
  t.equal(tl.state, 'acknowledged');
  t.same(kinds(tl.recipients[0]!.events), ['accepted', 'delivered', 'acknowledged']);
  t.match(tl.recipients[0]!.events.at(-1), { kind: 'acknowledged', member: 'm-2', at: at(30) }, 'by whom and when');
});

t.test('past the deadline, each step, then the end of the chain', async (t) => {
  const passed = messageTimeline(status({ state: 'delivered', deliveredAt: at(2) }), { recipients: [chain(1)] });
  t.equal(passed.state, 'unacknowledged', 'the deadline passed, no step yet');
  t.same(kinds(passed.recipients[0]!.events), ['accepted', 'delivered', 'deadline', 'escalated?', 'escalated?', 'exhausted?']);

  const escalated = messageTimeline(status({ state: 'delivered', deliveredAt: at(2) }), { recipients: [chain(2)] });
  t.equal(escalated.state, 'escalated');
  t.match(escalated.recipients[0]!.events.filter((e) => e.kind === 'escalated'), [{ step: 1, inboxes: [SUPERVISION], due: false }, { step: 2, inboxes: [DUTY], due: true }], 'to whom, and who is next');

  const exhausted = messageTimeline(status({ state: 'delivered', deliveredAt: at(2) }), { recipients: [chain(4, 'exhausted')] });
  t.equal(exhausted.state, 'exhausted', 'call 911');
  t.same(kinds(exhausted.recipients[0]!.events), ['accepted', 'delivered', 'deadline', 'escalated', 'escalated', 'exhausted'], 'every step, in order, none to come');
});

t.test('acknowledged after an escalation: a person acted, the missed deadline stays on record', async (t) => {
  const tl = messageTimeline(status({ state: 'acknowledged', acknowledgedAt: at(400), acknowledgedBy: 'm-2' }), { recipients: [chain(2, 'acknowledged')] });
  t.equal(tl.state, 'acknowledged');
  t.same(kinds(tl.recipients[0]!.events), ['accepted', 'deadline', 'escalated', 'acknowledged']);
});

t.test('notices heard on the stream move a recipient forward before the record is read again', async (t) => {
  const notice = (kind: Notice['kind'], step: number, extra: Partial<Notice> = {}): Notice => ({ kind, message: 'x', recipient: DISPATCH, step, at: at(300 + step), inbox: 'shelter-laval/intake', ...extra });
  t.equal(messageTimeline(status(), { recipients: [chain(0)] }, [notice('unacknowledged', 0, { deadlineAt: at(300) })]).state, 'unacknowledged');
  t.equal(messageTimeline(status(), { recipients: [chain(1)] }, [notice('escalated', 1, { notified: [SUPERVISION] })]).state, 'escalated');
  t.equal(messageTimeline(status(), { recipients: [chain(3)] }, [notice('escalation_exhausted', 3)]).state, 'exhausted');
  const noChain = messageTimeline(status(), null, [notice('unacknowledged', 0, { deadlineAt: at(300) }), notice('escalated', 1, { notified: [SUPERVISION] })]);
  t.equal(noChain.state, 'escalated', 'without the chain, the notices say it');
  t.match(noChain.recipients[0]!.events.find((e) => e.kind === 'escalated'), { inboxes: [SUPERVISION] });
  t.equal(messageTimeline(status(), null, [notice('renotify', 1)]).state, 'accepted', 'a reminder to the recipient is not a notice to the sender');
  t.ok(isSenderNotice({ kind: 'escalation_exhausted' }) && !isSenderNotice({ kind: 'escalation' }));
});

t.test('several recipients: the most alarming state first; a message no deadline applies to', async (t) => {
  const two: StatusLike = {
    acceptedAt: at(0),
    recipients: [
      { inbox: DISPATCH, state: 'acknowledged', pushedAt: at(1), deliveredAt: at(1), deliveredBy: 'm-1', acknowledgedAt: at(5), acknowledgedBy: 'm-1' },
      { inbox: 'police-nord/dispatch', state: 'delivered', pushedAt: at(1), deliveredAt: at(1), deliveredBy: 'm-3', acknowledgedAt: null, acknowledgedBy: null },
    ],
  };
  t.equal(messageTimeline(two, { recipients: [chain(0, 'acknowledged'), chain(2, 'waiting', 'police-nord/dispatch')] }).state, 'escalated');
  t.equal(messageTimeline(two, null).state, 'delivered', 'one acknowledged, one only received');
  const note = messageTimeline(status({ state: 'delivered', deliveredAt: at(1) }), { recipients: [] });
  t.same(kinds(note.recipients[0]!.events), ['accepted', 'delivered'], 'no chain: no deadline shown');
});
