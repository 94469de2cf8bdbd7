/**
 * The risk-instrument format and its scoring (protocol/instrument.ts), on
 * small instruments defined here for the tests only: every rule kind at its
 * boundaries, the highest level winning, overrides, "don't know" and "not
 * answered", every refusal code, the recipient's recomputation, and each
 * coherence problem of an instrument file with its JSON path.
 */
import t, { type Test } from 'tap';
import {
  ASSESSMENT_ERRORS,
  checkInstrument,
  levelRank,
  scoreAssessment,
  verifyAssessmentLevel,
  type Answer,
  type AssessmentError,
  type Instrument,
  type InstrumentRule,
  type ScoreResult,
} from '../../../protocol/index.js';

const text = (s: string) => ({ fr: `${s} (fr)`, en: s });
const LEVELS = ['low', 'medium', 'high', 'critical'];

/** A test-only instrument: items a–e (none required unless said), levels low < medium < high < critical. */
function instrument(rules: InstrumentRule[], over: Partial<Instrument> = {}): Instrument {
  return {
    type: 'instrument',
    v: 1,
    id: 'essai',
    version: 3,
    titles: text('Test instrument'),
    publisher: 'Vigie tests',
    licence: text('For the tests only'),
    status: 'partner_default',
    items: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, text: text(`item ${id}`), required: false })),
    perception: { text: text('How much danger?'), options: [{ id: 'low', labels: text('low') }, { id: 'high', labels: text('high') }] },
    rules,
    override: { allowed: true, text: text('Professional judgement') },
    levels: LEVELS.map((id) => ({ id, labels: text(id), action: text(`do ${id}`) })),
    ...over,
  };
}

const COMPLETED = '2025-03-14T02:08:00.000Z';

/** An assessment of `inst` with these answers (items left out are absent). */
function assessment(inst: Pick<Instrument, 'id' | 'version'>, answers: Record<string, Answer>, extra: Record<string, unknown> = {}) {
  return {
    type: 'assessment',
    v: 1,
    instrument: { id: inst.id, version: inst.version },
    answers: Object.entries(answers).map(([item, answer]) => ({ item, answer })),
    completedAt: COMPLETED,
    ...extra,
  };
}

/** Yes to the listed items, no to every other item of the instrument. */
const yesTo = (inst: Instrument, ...ids: string[]): Record<string, Answer> =>
  Object.fromEntries(inst.items.map((i) => [i.id, ids.includes(i.id) ? 'yes' : 'no']));

/** Every refusal code a test below produced: all of ASSESSMENT_ERRORS must be. */
const seen = new Set<AssessmentError>();

function ok(t: Test, result: ScoreResult, expected: { level: string; computed?: string; fired: number[]; overridden?: boolean }, msg: string) {
  if (!result.ok) {
    t.fail(`${msg}: refused ${result.error} ${result.detail}`);
    return;
  }
  t.same(
    { level: result.level, computed: result.computed, fired: result.fired, overridden: result.overridden },
    { level: expected.level, computed: expected.computed ?? expected.level, fired: expected.fired, overridden: expected.overridden ?? false },
    msg,
  );
}

function refused(t: Test, result: ScoreResult, error: AssessmentError, msg: string, detail?: RegExp | string) {
  if (result.ok) {
    t.fail(`${msg}: accepted at ${result.level}, expected ${error}`);
    return;
  }
  seen.add(result.error);
  t.equal(result.error, error, msg);
  if (detail !== undefined) t.match(result.detail, detail, `${msg}: detail`);
}

t.test('count: thresholds, each at its exact boundary', async (t) => {
  const inst = instrument([{ kind: 'count', items: ['a', 'b', 'c', 'd'], thresholds: [{ min: 2, level: 'medium' }, { min: 4, level: 'high' }] }]);
  t.same(checkInstrument(inst), []);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst))), { level: 'low', fired: [] }, '0 yes: below every threshold, the first level');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a'))), { level: 'low', fired: [] }, '1 yes: one below the first threshold');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b'))), { level: 'medium', fired: [0] }, '2 yes: exactly the first threshold');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'c'))), { level: 'medium', fired: [0] }, '3 yes: one below the second');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'c', 'd'))), { level: 'high', fired: [0] }, '4 yes: exactly the second threshold');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'e'))), { level: 'low', fired: [] }, 'yes to an item outside the rule does not count');
});

t.test('weighted: the sum of the weights of the yes items, at the exact boundary', async (t) => {
  const weights: Record<string, number> = { a: 1.5, b: 2, c: 4 };
  const base = instrument([{ kind: 'weighted', items: ['a', 'b', 'c'], thresholds: [{ min: 3.5, level: 'medium' }, { min: 6, level: 'high' }] }]);
  const inst = { ...base, items: base.items.map((i) => (weights[i.id] !== undefined ? { ...i, weight: weights[i.id] } : i)) };
  t.same(checkInstrument(inst), []);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst))), { level: 'low', fired: [] }, 'nothing: 0');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'b'))), { level: 'low', fired: [] }, 'b: 2 < 3.5');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b'))), { level: 'medium', fired: [0] }, 'a + b: exactly 3.5');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'c'))), { level: 'medium', fired: [0] }, 'a + c: 5.5, just below 6');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'b', 'c'))), { level: 'high', fired: [0] }, 'b + c: exactly 6');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'c', 'd', 'e'))), { level: 'high', fired: [0] }, 'every item: 7.5; d and e are outside the rule');
});

t.test('weighted: an item of the rule without a weight is a problem of the instrument', async (t) => {
  const base = instrument([{ kind: 'weighted', items: ['a', 'b', 'c'], thresholds: [{ min: 1, level: 'medium' }] }]);
  const inst = { ...base, items: base.items.map((i) => (i.id === 'a' ? { ...i, weight: 1 } : i)) };
  t.same(checkInstrument(inst), [
    { path: '/rules/0/items/1', problem: 'item b has no weight' },
    { path: '/rules/0/items/2', problem: 'item c has no weight' },
  ]);
  const weightedButCount = instrument([{ kind: 'count', items: ['a', 'b'], thresholds: [{ min: 1, level: 'medium' }] }]);
  t.same(checkInstrument(weightedButCount), [], 'a count rule needs no weights');
});

t.test('any: one yes fires', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a', 'b', 'c'], level: 'high' }]);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst))), { level: 'low', fired: [] }, 'no yes');
  for (const id of ['a', 'b', 'c']) ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, id))), { level: 'high', fired: [0] }, `${id} alone`);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'c'))), { level: 'high', fired: [0] }, 'all three: the rule fires once');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'd', 'e'))), { level: 'low', fired: [] }, 'yes outside the rule');
});

t.test('at_least: n yes among the items, at the boundary', async (t) => {
  const inst = instrument([{ kind: 'at_least', n: 3, items: ['a', 'b', 'c', 'd'], level: 'high' }]);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b'))), { level: 'low', fired: [] }, 'n - 1');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'e'))), { level: 'low', fired: [] }, 'n - 1 inside, one outside');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'b', 'c', 'd'))), { level: 'high', fired: [0] }, 'exactly n');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'c', 'd'))), { level: 'high', fired: [0] }, 'more than n');
  const all = instrument([{ kind: 'at_least', n: 4, items: ['a', 'b', 'c', 'd'], level: 'high' }]);
  t.same(checkInstrument(all), [], 'n equal to the number of items is coherent');
  ok(t, scoreAssessment(all, assessment(all, yesTo(all, 'a', 'b', 'c', 'd'))), { level: 'high', fired: [0] }, 'n = every item');
  const tooMany = instrument([{ kind: 'at_least', n: 5, items: ['a', 'b', 'c', 'd'], level: 'high' }]);
  t.same(checkInstrument(tooMany), [{ path: '/rules/0/n', problem: 'n is more than the 4 items' }], 'n above the items can never fire');
});

t.test('the highest level any rule proposes wins, whatever the order of the rules', async (t) => {
  const rules: InstrumentRule[] = [
    { kind: 'any', items: ['a'], level: 'medium' },
    { kind: 'any', items: ['b'], level: 'critical' },
    { kind: 'at_least', n: 1, items: ['c'], level: 'high' },
    { kind: 'count', items: ['a', 'b', 'c'], thresholds: [{ min: 3, level: 'medium' }] },
  ];
  const inst = instrument(rules);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'b', 'c'))), { level: 'critical', fired: [0, 1, 2, 3] }, 'every rule fires: critical');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a', 'c'))), { level: 'high', fired: [0, 2] }, 'medium and high: high');
  const reversed = instrument([...rules].reverse());
  ok(t, scoreAssessment(reversed, assessment(reversed, yesTo(reversed, 'a', 'b', 'c'))), { level: 'critical', fired: [0, 1, 2, 3] }, 'reversed rules: still critical');
  ok(t, scoreAssessment(reversed, assessment(reversed, yesTo(reversed, 'a', 'c'))), { level: 'high', fired: [1, 3] }, 'reversed: a later, lower level does not replace a higher one');
});

t.test('no rule fires: the first level of the instrument', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  ok(t, scoreAssessment(inst, assessment(inst, {})), { level: 'low', fired: [] }, 'no answers at all (nothing required)');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'b', 'c'))), { level: 'low', fired: [] }, 'yes only outside the rules');
  const other = instrument([{ kind: 'any', items: ['a'], level: 'high' }], {
    levels: ['base', 'high'].map((id) => ({ id, labels: text(id), action: text(`do ${id}`) })),
  });
  ok(t, scoreAssessment(other, assessment(other, {})), { level: 'base', fired: [] }, 'the first level, whatever its id');
});

t.test('"don\'t know" and "not answered" never count as yes', async (t) => {
  const weighted = (() => {
    const base = instrument([{ kind: 'weighted', items: ['a', 'b'], thresholds: [{ min: 1, level: 'medium' }] }]);
    return { ...base, items: base.items.map((i) => ({ ...i, weight: 1 })) };
  })();
  const kinds: [string, Instrument][] = [
    ['count', instrument([{ kind: 'count', items: ['a', 'b'], thresholds: [{ min: 1, level: 'medium' }] }])],
    ['weighted', weighted],
    ['any', instrument([{ kind: 'any', items: ['a', 'b'], level: 'medium' }])],
    ['at_least', instrument([{ kind: 'at_least', n: 1, items: ['a', 'b'], level: 'medium' }])],
  ];
  for (const [kind, inst] of kinds) {
    for (const answer of ['dont_know', 'not_answered', 'no'] as const) {
      ok(t, scoreAssessment(inst, assessment(inst, { a: answer, b: answer })), { level: 'low', fired: [] }, `${kind}: ${answer} on every item does not fire`);
    }
    ok(t, scoreAssessment(inst, assessment(inst, {})), { level: 'low', fired: [] }, `${kind}: absent does not fire`);
    ok(t, scoreAssessment(inst, assessment(inst, { a: 'dont_know', b: 'yes' })), { level: 'medium', fired: [0] }, `${kind}: only the yes counts`);
  }
  const atLeast = instrument([{ kind: 'at_least', n: 2, items: ['a', 'b', 'c'], level: 'high' }]);
  ok(t, scoreAssessment(atLeast, assessment(atLeast, { a: 'yes', b: 'dont_know', c: 'not_answered' })), { level: 'low', fired: [] }, 'at_least 2: one yes and two unknowns is one');
});

t.test('a required item must be answered yes, no or don\'t know', async (t) => {
  const base = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  const inst = { ...base, items: base.items.map((i) => ({ ...i, required: i.id === 'a' || i.id === 'c' })) };
  for (const answer of ['yes', 'no', 'dont_know'] as const) {
    t.ok(scoreAssessment(inst, assessment(inst, { a: answer, c: 'no' })).ok, `${answer} answers a required item`);
  }
  refused(t, scoreAssessment(inst, assessment(inst, { a: 'not_answered', c: 'no' })), 'ASSESSMENT_ANSWER_MISSING', 'not_answered on a required item', /^a$/);
  refused(t, scoreAssessment(inst, assessment(inst, { c: 'no' })), 'ASSESSMENT_ANSWER_MISSING', 'a required item left out', /^a$/);
  refused(t, scoreAssessment(inst, assessment(inst, {})), 'ASSESSMENT_ANSWER_MISSING', 'every missing required item is named', 'a, c');
  refused(t, scoreAssessment(inst, assessment(inst, { a: 'yes', c: 'no', b: 'yes' }, { override: { level: 'nope', reason: '' } })), 'ASSESSMENT_OVERRIDE_REASON_MISSING', 'optional items may be left out; the override is checked next');
  ok(t, scoreAssessment(inst, assessment(inst, { a: 'yes', c: 'dont_know' })), { level: 'high', fired: [0] }, 'optional items b, d, e left out');
});

t.test('overrides: allowed, not allowed, reason, level', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'medium' }]);
  ok(
    t,
    scoreAssessment(inst, assessment(inst, yesTo(inst, 'a'), { override: { level: 'critical', reason: 'Il a acheté une arme hier.' } })),
    { level: 'critical', computed: 'medium', fired: [0], overridden: true },
    'raised: the final level is the override, the computed one stays',
  );
  ok(
    t,
    scoreAssessment(inst, assessment(inst, yesTo(inst, 'a'), { override: { level: 'low', reason: 'Réponse saisie par erreur, corrigée avec la victime.' } })),
    { level: 'low', computed: 'medium', fired: [0], overridden: true },
    'lowered: the format allows it, with a reason',
  );
  ok(
    t,
    scoreAssessment(inst, assessment(inst, yesTo(inst), { override: { level: 'low', reason: 'Confirmé.' } })),
    { level: 'low', computed: 'low', fired: [], overridden: true },
    'an override equal to the computed level is still an override',
  );
  refused(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { override: { level: 'high', reason: '' } })), 'ASSESSMENT_OVERRIDE_REASON_MISSING', 'empty reason', 'high');
  refused(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { override: { level: 'high', reason: ' \n\t ' } })), 'ASSESSMENT_OVERRIDE_REASON_MISSING', 'blank reason');
  refused(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { override: { level: 'high' } })), 'ASSESSMENT_INVALID', 'no reason at all: invalid shape', /\/override\/reason/);
  refused(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { override: { level: 'extreme', reason: 'Jugement.' } })), 'ASSESSMENT_UNKNOWN_LEVEL', 'unknown level', 'extreme');
  refused(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { override: { level: 'Haut', reason: 'Jugement.' } })), 'ASSESSMENT_INVALID', 'a level that is not an id', /\/override\/level/);
  const closed = instrument([{ kind: 'any', items: ['a'], level: 'medium' }], { override: { allowed: false, text: text('No override') } });
  refused(t, scoreAssessment(closed, assessment(closed, yesTo(closed), { override: { level: 'high', reason: 'Jugement.' } })), 'ASSESSMENT_OVERRIDE_NOT_ALLOWED', 'not allowed by the instrument', 'essai');
  ok(t, scoreAssessment(closed, assessment(closed, yesTo(closed, 'a'))), { level: 'medium', fired: [0] }, 'without override: scored as usual');
});

t.test('items: unknown, duplicate', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  refused(t, scoreAssessment(inst, assessment(inst, { a: 'no', zz: 'yes' })), 'ASSESSMENT_UNKNOWN_ITEM', 'an item the instrument does not have', 'zz');
  const dup = assessment(inst, { a: 'no' });
  dup.answers.push({ item: 'a', answer: 'yes' });
  refused(t, scoreAssessment(inst, dup), 'ASSESSMENT_DUPLICATE_ITEM', 'the same item answered twice (no last-one-wins)', 'a');
});

t.test('instrument mismatch: another id or another version', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  refused(t, scoreAssessment(inst, assessment({ id: 'autre', version: 3 }, {})), 'ASSESSMENT_INSTRUMENT_MISMATCH', 'another instrument', 'autre@3 is not essai@3');
  refused(t, scoreAssessment(inst, assessment({ id: 'essai', version: 2 }, {})), 'ASSESSMENT_INSTRUMENT_MISMATCH', 'another version of it', 'essai@2 is not essai@3');
});

t.test('invalid shapes are refused with the path of the first error', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  const good = assessment(inst, { a: 'yes' });
  const cases: [string, unknown, RegExp][] = [
    ['null', null, /^\/: /],
    ['a string', 'yes', /^\/: /],
    ['wrong type', { ...good, type: 'instrument' }, /^\/type: /],
    ['wrong v', { ...good, v: 2 }, /^\/v: /],
    ['no completedAt', (({ completedAt: _, ...rest }) => rest)(good), /^\/completedAt: /],
    ['completedAt not UTC with milliseconds', { ...good, completedAt: '2025-03-14 02:08' }, /^\/completedAt: /],
    ['an unknown answer', { ...good, answers: [{ item: 'a', answer: 'maybe' }] }, /^\/answers\/0\/answer: /],
    ['an unknown source', { ...good, answers: [{ item: 'a', answer: 'yes', source: 'rumour' }] }, /^\/answers\/0\/source: /],
    ['an extra property', { ...good, score: 12 }, /^\/score: /],
    ['answers not an array', { ...good, answers: { a: 'yes' } }, /^\/answers: /],
    ['version 0', { ...good, instrument: { id: 'essai', version: 0 } }, /^\/instrument\/version: /],
  ];
  for (const [name, value, detail] of cases) refused(t, scoreAssessment(inst, value), 'ASSESSMENT_INVALID', name, detail);
  for (const source of ['victim', 'record', 'observation'] as const) {
    t.ok(scoreAssessment(inst, { ...good, answers: [{ item: 'a', answer: 'yes', source }] }).ok, `source ${source} is accepted`);
  }
});

t.test('the victim\'s perception: one of the instrument\'s options, never scored', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { perception: 'high' })), { level: 'low', fired: [] }, 'a known option does not change the level');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst, 'a'), { perception: 'low' })), { level: 'high', fired: [0] }, 'nor lowers it');
  ok(t, scoreAssessment(inst, assessment(inst, yesTo(inst))), { level: 'low', fired: [] }, 'the perception may be left out');
  refused(t, scoreAssessment(inst, assessment(inst, yesTo(inst), { perception: 'terrified' })), 'ASSESSMENT_UNKNOWN_PERCEPTION', 'an option the instrument does not have', 'terrified');
});

t.test('verifyAssessmentLevel: the recipient recomputes and compares with the signed level', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  const a = assessment(inst, yesTo(inst, 'a'));
  t.same(verifyAssessmentLevel(inst, a, { instrument: 'essai', version: 3, level: 'high' }), { matches: true, recomputed: 'high', signed: 'high' }, 'match');
  t.same(
    verifyAssessmentLevel(inst, a, { instrument: 'essai', version: 3, level: 'critical' }),
    { matches: false, recomputed: 'high', signed: 'critical' },
    'a signed level the answers do not give: tampered or mis-scored',
  );
  t.same(
    verifyAssessmentLevel(inst, assessment(inst, yesTo(inst)), { instrument: 'essai', version: 3, level: 'high' }),
    { matches: false, recomputed: 'low', signed: 'high' },
    'answers changed after signing (or a raised level without an override)',
  );
  const overridden = assessment(inst, yesTo(inst), { override: { level: 'critical', reason: 'Jugement : menace crédible rapportée par la sœur.' } });
  t.same(verifyAssessmentLevel(inst, overridden, { instrument: 'essai', version: 3, level: 'critical' }), { matches: true, recomputed: 'critical', signed: 'critical' }, 'the override is the final level');
  t.same(verifyAssessmentLevel(inst, overridden, { instrument: 'essai', version: 3, level: 'low' }), { matches: false, recomputed: 'critical', signed: 'low' }, 'signing the computed level instead of the override is a mismatch');
  t.same(
    verifyAssessmentLevel(inst, a, { instrument: 'autre', version: 3, level: 'high' }),
    { matches: false, recomputed: null, signed: 'high', error: 'ASSESSMENT_INSTRUMENT_MISMATCH' },
    'the header names another instrument',
  );
  t.same(
    verifyAssessmentLevel(inst, a, { instrument: 'essai', version: 2, level: 'high' }),
    { matches: false, recomputed: null, signed: 'high', error: 'ASSESSMENT_INSTRUMENT_MISMATCH' },
    'the header names another version',
  );
  t.same(
    verifyAssessmentLevel(inst, assessment({ id: 'essai', version: 2 }, yesTo(inst, 'a')), { instrument: 'essai', version: 3, level: 'high' }),
    { matches: false, recomputed: null, signed: 'high', error: 'ASSESSMENT_INSTRUMENT_MISMATCH' },
    'the encrypted assessment is of another version than the header',
  );
  t.same(
    verifyAssessmentLevel(inst, { ...a, answers: 'yes' }, { instrument: 'essai', version: 3, level: 'high' }),
    { matches: false, recomputed: null, signed: 'high', error: 'ASSESSMENT_INVALID' },
    'an assessment that does not validate never matches',
  );
});

t.test('checkInstrument: each coherence problem with its JSON path', async (t) => {
  const inst = instrument(
    [
      { kind: 'any', items: ['a', 'zz'], level: 'high' },
      { kind: 'at_least', n: 3, items: ['a', 'b'], level: 'extreme' },
      { kind: 'count', items: ['a', 'b', 'c'], thresholds: [{ min: 2, level: 'high' }, { min: 2, level: 'critical' }, { min: 1, level: 'huge' }] },
      { kind: 'weighted', items: ['a', 'b'], thresholds: [{ min: 1, level: 'medium' }] },
    ],
    {
      items: [
        { id: 'a', text: text('a'), required: true, weight: 2 },
        { id: 'b', text: text('b'), required: false },
        { id: 'c', text: text('c'), required: false },
        { id: 'a', text: text('a again'), required: false, weight: 2 },
      ],
      levels: ['low', 'medium', 'high', 'critical', 'low'].map((id) => ({ id, labels: text(id), action: text(`do ${id}`) })),
      perception: { text: text('?'), options: [{ id: 'low', labels: text('low') }, { id: 'low', labels: text('low again') }] },
    },
  );
  t.same(checkInstrument(inst), [
    { path: '/items/3/id', problem: 'item a listed twice' },
    { path: '/levels/4/id', problem: 'level low listed twice' },
    { path: '/rules/0/items/1', problem: 'unknown item zz' },
    { path: '/rules/1/level', problem: 'unknown level extreme' },
    { path: '/rules/1/n', problem: 'n is more than the 2 items' },
    { path: '/rules/2/thresholds/1/min', problem: 'thresholds must increase' },
    { path: '/rules/2/thresholds/2/level', problem: 'unknown level huge' },
    { path: '/rules/2/thresholds/2/min', problem: 'thresholds must increase' },
    { path: '/rules/3/items/1', problem: 'item b has no weight' },
    { path: '/perception/options/1/id', problem: 'option low listed twice' },
  ]);
});

t.test('checkInstrument: schema problems with their JSON path', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  t.same(checkInstrument(inst), [], 'the base test instrument is coherent');
  const cases: [string, unknown, string][] = [
    ['not an object', 'instrument', '/'],
    ['an unknown field', { ...inst, scoring: 'sum' }, '/scoring'],
    ['a missing English text', { ...inst, items: [{ id: 'a', text: { fr: 'a' }, required: true }] }, '/items/0/text/en'],
    ['an item id with capitals', { ...inst, items: [{ id: 'Q1', text: text('q'), required: true }] }, '/items/0/id'],
    ['required not a boolean', { ...inst, items: [{ id: 'a', text: text('a'), required: 'yes' }] }, '/items/0/required'],
    ['a negative weight', { ...inst, items: [{ id: 'a', text: text('a'), required: true, weight: -1 }] }, '/items/0/weight'],
    ['an unknown status', { ...inst, status: 'validated' }, '/status'],
    ['version 0', { ...inst, version: 0 }, '/version'],
    ['one level only', { ...inst, levels: [{ id: 'low', labels: text('low'), action: text('do') }] }, '/levels'],
    ['no rules', { ...inst, rules: [] }, '/rules'],
    ['an unknown rule kind', { ...inst, rules: [{ kind: 'sum', items: ['a'], level: 'high' }] }, '/rules/0'],
    ['at_least without n', { ...inst, rules: [{ kind: 'at_least', items: ['a'], level: 'high' }] }, '/rules/0'],
    ['an override without text', { ...inst, override: { allowed: true } }, '/override/text'],
    ['one perception option', { ...inst, perception: { text: text('?'), options: [{ id: 'low', labels: text('low') }] } }, '/perception/options'],
  ];
  for (const [name, value, path] of cases) {
    const problems = checkInstrument(value);
    t.ok(problems.length > 0, `${name}: refused`);
    t.ok(
      problems.some((p) => p.path === path),
      `${name}: names ${path} (got ${problems.map((p) => p.path).join(', ')})`,
    );
  }
  const many = { ...inst, items: Array.from({ length: 30 }, (_, i) => ({ id: `Item${i}`, text: text('x'), required: true })) };
  t.equal(checkInstrument(many).length, 20, 'at most 20 schema problems are listed');
});

t.test('levelRank: position from the lowest, -1 when unknown', async (t) => {
  const inst = instrument([{ kind: 'any', items: ['a'], level: 'high' }]);
  t.same(LEVELS.map((l) => levelRank(inst, l)), [0, 1, 2, 3]);
  t.equal(levelRank(inst, 'extreme'), -1);
});

t.test('every refusal code is exercised', async (t) => {
  t.same([...seen].sort(), [...ASSESSMENT_ERRORS].sort());
});
