// The witness state: atomic, serialized per origin, never silently reset.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { WitnessState, type LogRecord } from '../../../clients/witness/state.js';

const dir = mkdtempSync(join(tmpdir(), 'vigie-witness-state-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `state-${++n}.json`);

const ROOT = (c: string) => `${c.repeat(43)}=`;
const record = (size: number, root = 'A'): LogRecord => ({ size, rootHash: ROOT(root), checkpoint: `o\n${size}\n${ROOT(root)}\n\n— o sig\n`, timestamp: 1_700_000_000 + size });

t.test('a new state is empty and is written atomically on the first advance', async (t) => {
  const file = fresh();
  const state = await WitnessState.open(file);
  t.equal(state.latest('o'), undefined);
  t.notOk(existsSync(file), 'nothing is written before something is cosigned');
  const result = await state.advance('o', (current) => {
    t.equal(current, undefined);
    return { next: record(3), result: 'ok' };
  });
  t.equal(result, 'ok');
  t.same(state.latest('o'), record(3));
  t.same(JSON.parse(readFileSync(file, 'utf8')), { v: 1, logs: { o: record(3) } });
  t.same(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left behind');
  await state.close();
  t.notOk(existsSync(`${file}.lock`), 'close releases the lock');
});

t.test('a refused advance changes nothing, in memory or on disk', async (t) => {
  const file = fresh();
  const state = await WitnessState.open(file);
  await state.advance('o', () => ({ next: record(3), result: null }));
  const before = readFileSync(file, 'utf8');
  await t.rejects(
    state.advance('o', () => {
      throw new Error('refused');
    }),
    { message: 'refused' },
  );
  await t.rejects(state.advance('o', () => ({ next: { ...record(4), rootHash: 'not base64' }, result: null })), TypeError, 'an invalid record is never written');
  t.same(state.latest('o'), record(3));
  t.equal(readFileSync(file, 'utf8'), before);
  await state.close();
});

t.test('advances of one origin are decided one after the other', async (t) => {
  const state = await WitnessState.open(fresh());
  await state.advance('o', () => ({ next: record(1), result: null }));
  // Ten requests all from old size 1: only the first sees 1.
  const outcomes = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      state.advance('o', async (current) => {
        await new Promise((r) => setTimeout(r, 1));
        if (current?.size !== 1) throw new Error('stale');
        return { next: record(2 + i), result: i };
      }),
    ),
  );
  t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'exactly one advances');
  t.equal(state.latest('o')?.size, 2);
  await state.close();
});

t.test('writes for different origins never put back an older view of another origin', async (t) => {
  const file = fresh();
  const state = await WitnessState.open(file);
  await Promise.all(['a', 'b', 'c', 'd'].map((o, i) => state.advance(o, () => ({ next: record(i + 1), result: null }))));
  await state.close();
  const reopened = await WitnessState.open(file);
  t.same(
    reopened.entries().sort(([x], [y]) => x.localeCompare(y)),
    ['a', 'b', 'c', 'd'].map((o, i) => [o, record(i + 1)]),
  );
  await reopened.close();
});

t.test('the state persists across a restart', async (t) => {
  const file = fresh();
  const first = await WitnessState.open(file);
  await first.advance('vigie.example/log', () => ({ next: record(7, 'B'), result: null }));
  await first.close();
  const second = await WitnessState.open(file);
  t.same(second.latest('vigie.example/log'), record(7, 'B'));
  await second.close();
});

t.test('a damaged state file stops the witness instead of being read as empty', async (t) => {
  for (const text of ['{', '[]', JSON.stringify({ v: 2, logs: {} }), JSON.stringify({ v: 1, logs: { o: { size: -1 } } })]) {
    const file = fresh();
    writeFileSync(file, text);
    await t.rejects(WitnessState.open(file), { name: 'StateError', code: 'STATE_DAMAGED' });
    t.equal(readFileSync(file, 'utf8'), text, 'the damaged file is left as it was');
    t.notOk(existsSync(`${file}.lock`), 'a failed open releases the lock');
  }
});

t.test('one process at a time holds a state file', async (t) => {
  const file = fresh();
  const state = await WitnessState.open(file);
  await t.rejects(WitnessState.open(file), { name: 'StateError', code: 'STATE_LOCKED' });
  await state.close();
  await state.close(); // idempotent
  await t.rejects(state.advance('o', () => ({ next: record(1), result: null })), { name: 'StateError', code: 'STATE_CLOSED' });

  // A lock left by a process that no longer exists is taken over.
  writeFileSync(`${file}.lock`, '2147483646\n');
  const again = await WitnessState.open(file);
  t.equal(readFileSync(`${file}.lock`, 'utf8').trim(), String(process.pid));
  await again.close();
});

t.test('the state directory is created when missing', async (t) => {
  const file = join(dir, 'nested', 'deeper', 'state.json');
  const state = await WitnessState.open(file);
  await state.advance('o', () => ({ next: record(1), result: null }));
  t.same(JSON.parse(readFileSync(file, 'utf8')).logs.o, record(1));
  await state.close();
});
