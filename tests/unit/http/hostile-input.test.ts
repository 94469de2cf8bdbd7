// What the hub's input guard refuses, and what the timestamp format accepts:
// values no field of the wire can hold (see tests/integration/http/fuzz.test.ts
// for every route driven with them).
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { findHostile } from '../../../server/http/hostile-input.js';
import { isTimestamp, TimestampSchema } from '../../../protocol/schemas.js';

t.test('findHostile: U+0000 and lone surrogates in strings and member names; numbers beyond any integer', async (t) => {
  const cases: [unknown, boolean, string | null, string][] = [
    [{ a: 'x\u0000y' }, true, 'TEXT_INVALID', 'NUL in a value'],
    [{ 'a\u0000': 1 }, true, 'TEXT_INVALID', 'NUL in a member name'],
    [['\ud800'], true, 'TEXT_INVALID', 'a lone high surrogate'],
    ['a\udc00', true, 'TEXT_INVALID', 'a lone low surrogate'],
    ['\udc00\ud800', true, 'TEXT_INVALID', 'a pair in the wrong order'],
    ['🚨 \ud83d\udea8 é', true, null, 'paired surrogates and other text are fine'],
    [{ a: 'x\u0000y' }, false, null, 'text is not checked when only numbers are asked for'],
    [JSON.parse('{"n":1e400}'), false, 'NUMBER_OUT_OF_RANGE', '1e400 parses to Infinity'],
    [{ n: -Infinity }, false, 'NUMBER_OUT_OF_RANGE', '-Infinity'],
    [{ n: NaN }, false, 'NUMBER_OUT_OF_RANGE', 'NaN'],
    [{ n: 2 ** 53 + 2 }, false, 'NUMBER_OUT_OF_RANGE', '2^53 + 2'],
    [{ n: [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0.5, 1e-400] }, false, null, 'safe integers and fractions are fine'],
  ];
  for (const [value, text, expected, what] of cases) t.equal(findHostile(value, text), expected, what);
  let deep: unknown = 'x\u0000';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  t.equal(findHostile(deep, true), 'TEXT_INVALID', 'a deeply nested body does not exhaust the stack');
});

t.test('a timestamp is the pattern and a real instant', async (t) => {
  for (const good of ['2026-02-28T23:59:59.999Z', '2024-02-29T00:00:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2025-03-14T02:07:00.000Z']) {
    t.ok(isTimestamp(good), good);
    t.ok(Value.Check(TimestampSchema, good), `${good} passes the schema (TypeBox, as clients check)`);
  }
  for (const bad of ['2026-99-99T99:99:99.999Z', '2026-02-30T12:00:00.000Z', '2025-02-29T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-12-31T23:59:60.000Z', '0000-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000+00:00', '2026-01-01 00:00:00.000Z']) {
    t.notOk(isTimestamp(bad), bad);
    t.notOk(Value.Check(TimestampSchema, bad), `${bad} fails the schema`);
  }
});
