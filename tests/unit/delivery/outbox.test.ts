// Outbox refs: what a row asks the pipeline to push, stored as (topic, key) and
// used as the queue's job id. Every ref survives the round trip; anything the
// hub did not write is refused rather than half-parsed; job ids never hold ':'.
import t from 'tap';
import { jobIdOf, keyOf, parseRef, type OutboxRef } from '../../../server/delivery/outbox.js';

const message = '0f8fad5b-d9cb-469f-a165-70867728950e';
const refs: OutboxRef[] = [
  { topic: 'deliver', message },
  { topic: 'receipt', message, receipt: 1n },
  { topic: 'receipt', message, receipt: 9_223_372_036_854_775_807n },
  { topic: 'notice', message, inbox: 'police-laval/dispatch', step: 0 },
  { topic: 'notice', message, inbox: 'a/b', step: 12 },
];

t.test('every ref survives (topic, key) and has a job id BullMQ accepts', async (t) => {
  for (const ref of refs) {
    t.same(parseRef(ref.topic, keyOf(ref)), ref, `${ref.topic} ${keyOf(ref)}`);
    t.notOk(jobIdOf(ref).includes(':'), 'no colon in the job id');
    t.ok(jobIdOf(ref).startsWith(`${ref.topic}-`), 'the topic leads the job id');
  }
  t.equal(new Set(refs.map(jobIdOf)).size, refs.length, 'distinct refs, distinct jobs');
});

t.test('the stored formats are the ones earlier hubs wrote', async (t) => {
  t.equal(keyOf({ topic: 'deliver', message }), message);
  t.equal(keyOf({ topic: 'receipt', message, receipt: 42n }), `${message}.42`);
  t.equal(keyOf({ topic: 'notice', message, inbox: 'police-laval/dispatch', step: 2 }), `${message}.police-laval/dispatch.2`);
  t.equal(jobIdOf({ topic: 'deliver', message }), `deliver-${message}`);
});

t.test('a key of another topic, or anything else, is no ref', async (t) => {
  const refused: [string, string][] = [
    ['deliver', `${message}.1`],
    ['receipt', message],
    ['receipt', `${message}.x`],
    ['notice', `${message}.police-laval/dispatch`],
    ['notice', `${message}.Police/dispatch.1`],
    ['notice', `${message}.police-laval/dispatch.-1`],
    ['deliver', message.toUpperCase()],
    ['deliver', ''],
    ['publish', message],
    ['deliver', `${message}\n`],
  ];
  for (const [topic, key] of refused) t.equal(parseRef(topic, key), null, `${topic} ${JSON.stringify(key)}`);
});
