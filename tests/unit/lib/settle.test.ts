// One race of a step against a timer: what each named intent answers when the
// step resolves, fails, or never ends; and the timer never outlives the step.
import t from 'tap';
import { finishesWithin, orTimeout, settleWithin, valueWithin, within } from '../../../server/lib/settle.js';

const never = new Promise<never>(() => {});
const failing = () => Promise.reject(new Error('boom'));
// The helper's timers never keep a process alive; this file's own handle does, while it waits on them.
const alive = setInterval(() => {}, 60_000);
t.teardown(() => clearInterval(alive));

t.test('within: the value in time, done: false past the deadline, the error as it is', async (t) => {
  t.same(await within(Promise.resolve(7), 1000), { done: true, value: 7 });
  t.same(await within(never, 5), { done: false });
  await t.rejects(within(failing(), 1000), /boom/);
});

t.test('the named intents', async (t) => {
  t.equal(await finishesWithin(Promise.resolve(), 1000), true);
  t.equal(await finishesWithin(never, 5), false);
  await t.rejects(finishesWithin(failing(), 1000), /boom/, 'finishesWithin rethrows');
  t.equal(await valueWithin(Promise.resolve('x'), 1000), 'x');
  t.equal(await valueWithin(failing(), 1000), undefined, 'valueWithin: a failure is no value');
  t.equal(await valueWithin(never, 5), undefined, 'valueWithin: too late is no value');
  t.equal(await orTimeout(Promise.resolve(3), 1000), 3);
  await t.rejects(orTimeout(never, 5), /timeout/);
  await t.rejects(orTimeout(failing(), 1000), /boom/);
  await t.resolves(settleWithin(failing(), 1000), 'settleWithin swallows a failing step');
  await t.resolves(settleWithin(never, 5), 'and a step that never ends');
  await t.resolves(settleWithin(undefined, 5), 'and no step');
});

t.test('the timer is cleared when the step ends first', async (t) => {
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  await within(Promise.resolve(1), 60_000);
  t.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before, 'no timer left behind');
});
