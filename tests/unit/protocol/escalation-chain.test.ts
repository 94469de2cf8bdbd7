// The chain a recipient's flow gives an accepted message: the deadline, each
// escalation step after it, and the end one more deadline after the last step.
import t from 'tap';
import { escalationChain, stepTime } from '../../../protocol/escalation-chain.js';

const at = { protocol: { id: 'shelter-police', version: 2 }, flow: 'alerte', acceptedAt: new Date('2026-01-01T00:00:00.000Z') };

t.test('two steps: deadline, steps after it, end one deadline after the last step', async (t) => {
  const chain = escalationChain(
    {
      messageTypes: ['danger_alert'],
      deadlineSeconds: 300,
      renotifyRecipients: true,
      escalation: [
        { afterSeconds: 0, inboxes: ['police-laval/supervision'] },
        { afterSeconds: 120, inboxes: ['police-laval/officier', 'police-laval/supervision'] },
      ],
    },
    at,
  );
  t.equal(chain.deadlineAt, '2026-01-01T00:05:00.000Z');
  t.same(
    chain.steps.map((s) => s.at),
    ['2026-01-01T00:05:00.000Z', '2026-01-01T00:07:00.000Z'],
  );
  t.same(chain.steps[1]!.inboxes, ['police-laval/officier', 'police-laval/supervision']);
  t.equal(chain.exhaustedAt, '2026-01-01T00:12:00.000Z');
  t.same(chain.protocol, { id: 'shelter-police', version: 2 });
  t.equal(chain.renotifyRecipients, true);
  t.same(
    [0, 1, 2, 3, 4].map((s) => stepTime(chain, s)?.toISOString() ?? null),
    ['2026-01-01T00:05:00.000Z', '2026-01-01T00:05:00.000Z', '2026-01-01T00:07:00.000Z', '2026-01-01T00:12:00.000Z', null],
    'step 0 is the deadline, n+1 the end, past it nothing',
  );
});

t.test('no escalation step: the chain ends one deadline after the deadline', async (t) => {
  const chain = escalationChain({ messageTypes: ['danger_alert'], deadlineSeconds: 60, renotifyRecipients: false, escalation: [] }, at);
  t.same(chain.steps, []);
  t.equal(chain.exhaustedAt, '2026-01-01T00:02:00.000Z');
  t.equal(stepTime(chain, 1)?.toISOString(), '2026-01-01T00:02:00.000Z');
  t.equal(stepTime(chain, -1), null);
});

t.test('the chain is a snapshot: changing the rule later does not change it', async (t) => {
  const ack = { messageTypes: ['danger_alert' as const], deadlineSeconds: 60, renotifyRecipients: false, escalation: [{ afterSeconds: 0, inboxes: ['a/b'] }] };
  const chain = escalationChain(ack, at);
  ack.escalation[0]!.inboxes.push('a/c');
  t.same(chain.steps[0]!.inboxes, ['a/b']);
});
