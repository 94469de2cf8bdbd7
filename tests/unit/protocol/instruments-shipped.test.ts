/**
 * Known-answer tables for the instruments Vigie ships (config/instruments/):
 * the Lethality Screen of the Maryland Lethality Assessment Program and the
 * partners' default common grid. Each table reaches every rule of its
 * instrument (checked from `fired`), with each rule's firing and non-firing
 * edges, "don't know", overrides and missing answers.
 */
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import {
  checkInstrument,
  scoreAssessment,
  verifyAssessmentLevel,
  type Answer,
  type AssessmentError,
  type Instrument,
} from '../../../protocol/index.js';

const load = (file: string): Instrument => JSON.parse(readFileSync(new URL(`../../../config/instruments/${file}`, import.meta.url), 'utf8')) as Instrument;
const lap = load('lap-lethality-screen.json');
const grille = load('grille-commune.json');

interface Row {
  name: string;
  /** Answers given; every other item of the instrument is answered `rest` (or left out when `rest` is 'absent'). */
  answers: Record<string, Answer>;
  rest?: Answer | 'absent';
  /** Items left out whatever `rest` says. */
  omit?: string[];
  override?: { level: string; reason: string };
  perception?: string;
  expect: { level: string; computed?: string; fired: number[] } | { error: AssessmentError; detail?: string };
}

function assessmentOf(inst: Instrument, row: Row) {
  const rest = row.rest ?? 'no';
  const answers = inst.items
    .filter((i) => !row.omit?.includes(i.id))
    .map((i) => ({ item: i.id, answer: row.answers[i.id] ?? rest }))
    .filter((a) => a.answer !== 'absent') as { item: string; answer: Answer }[];
  // Answers to items the instrument does not have are sent as they are.
  for (const [item, answer] of Object.entries(row.answers)) if (!inst.items.some((i) => i.id === item)) answers.push({ item, answer });
  return {
    type: 'assessment',
    v: 1,
    instrument: { id: inst.id, version: inst.version },
    answers,
    ...(row.perception ? { perception: row.perception } : {}),
    ...(row.override ? { override: row.override } : {}),
    completedAt: '2025-03-14T02:08:00.000Z',
  };
}

/** Runs a table and returns the indexes of the rules that fired in it. */
function runTable(t: Test, inst: Instrument, rows: Row[]): Set<number> {
  const fired = new Set<number>();
  for (const row of rows) {
    const result = scoreAssessment(inst, assessmentOf(inst, row));
    if ('error' in row.expect) {
      t.same(result.ok ? { ok: true, level: result.level } : { ok: false, error: result.error }, { ok: false, error: row.expect.error }, row.name);
      if (!result.ok && row.expect.detail !== undefined) t.equal(result.detail, row.expect.detail, `${row.name}: detail`);
      continue;
    }
    if (!result.ok) {
      t.fail(`${row.name}: refused ${result.error} ${result.detail}`);
      continue;
    }
    result.fired.forEach((r) => fired.add(r));
    t.same(
      { level: result.level, computed: result.computed, fired: result.fired, overridden: result.overridden },
      { level: row.expect.level, computed: row.expect.computed ?? row.expect.level, fired: row.expect.fired, overridden: row.override !== undefined },
      row.name,
    );
  }
  return fired;
}

const yes = (...ids: string[]): Record<string, Answer> => Object.fromEntries(ids.map((id) => [id, 'yes' as const]));
const all = (ids: string[], answer: Answer): Record<string, Answer> => Object.fromEntries(ids.map((id) => [id, answer]));

t.test('both shipped instruments pass checkInstrument', async (t) => {
  t.same(checkInstrument(lap), [], 'lap-lethality-screen.json');
  t.same(checkInstrument(grille), [], 'grille-commune.json');
});

t.test('LAP Lethality Screen: the published questions, criteria and terms', async (t) => {
  t.equal(lap.id, 'lap-lethality-screen');
  t.equal(lap.version, 1);
  t.equal(lap.status, 'published');
  t.same(
    lap.items.map((i) => i.id),
    Array.from({ length: 11 }, (_, i) => `q${i + 1}`),
    'eleven questions, q1 to q11, in the order of the screen',
  );
  t.ok(
    lap.items.every((i) => i.required),
    'every question is asked (don’t know is an answer)',
  );
  t.ok(
    lap.items.every((i) => i.weight === undefined),
    'no weights',
  );
  t.same(
    lap.rules,
    [
      { kind: 'any', items: ['q1', 'q2', 'q3'], level: 'high_danger' },
      { kind: 'at_least', n: 4, items: ['q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10', 'q11'], level: 'high_danger' },
    ],
    'yes to any of 1–3, or to at least 4 of 4–11',
  );
  t.same(
    lap.levels.map((l) => l.id),
    ['not_screened_in', 'high_danger'],
  );
  t.equal(lap.override.allowed, true, 'the responder’s belief screens a victim in');
  t.match(lap.override.text.en, /believes the victim is in danger/);
  t.match(lap.levels[1]!.action.fr, /Danger élevé : protocole d’intervention/);
  t.match(lap.levels[1]!.action.fr, /appeler la ligne d’aide en présence de la victime/);
  t.match(lap.levels[0]!.action.fr, /ressources.*protocole régulier/);
  t.match(lap.licence.en, /Maryland Network Against Domestic Violence/);
  t.match(lap.licence.en, /Lethality Assessment Program/);
  t.match(lap.licence.en, /trained by or affiliated with the LAP/);
  t.match(lap.licence.en, /translation to be validated/);
  t.match(lap.licence.fr, /traduction à faire valider/);
  t.same(
    lap.perception.options.map((o) => o.id),
    ['none', 'low', 'moderate', 'high', 'extreme'],
  );
});

t.test('LAP Lethality Screen: known answers', async (t) => {
  const q4to11 = ['q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10', 'q11'];
  const rows: Row[] = [
    { name: 'no to everything: not screened in', answers: {}, expect: { level: 'not_screened_in', fired: [] } },
    { name: 'yes to q1 alone', answers: yes('q1'), expect: { level: 'high_danger', fired: [0] } },
    { name: 'yes to q2 alone', answers: yes('q2'), expect: { level: 'high_danger', fired: [0] } },
    { name: 'yes to q3 alone', answers: yes('q3'), expect: { level: 'high_danger', fired: [0] } },
    { name: 'yes to q1–q3', answers: yes('q1', 'q2', 'q3'), expect: { level: 'high_danger', fired: [0] } },
    { name: 'yes to exactly 4 of q4–q11 (q4–q7)', answers: yes('q4', 'q5', 'q6', 'q7'), expect: { level: 'high_danger', fired: [1] } },
    { name: 'yes to exactly 4 of q4–q11 (q8–q11)', answers: yes('q8', 'q9', 'q10', 'q11'), expect: { level: 'high_danger', fired: [1] } },
    { name: 'yes to all 8 of q4–q11', answers: yes(...q4to11), expect: { level: 'high_danger', fired: [1] } },
    { name: 'yes to 3 of q4–q11: not screened in', answers: yes('q4', 'q5', 'q6'), expect: { level: 'not_screened_in', fired: [] } },
    { name: 'yes to 3 of q4–q11 (q9–q11): not screened in', answers: yes('q9', 'q10', 'q11'), expect: { level: 'not_screened_in', fired: [] } },
    { name: 'yes to q1 and to 4 of q4–q11: both criteria', answers: yes('q1', 'q5', 'q7', 'q9', 'q11'), expect: { level: 'high_danger', fired: [0, 1] } },
    {
      name: 'don’t know to q1–q3 with 3 yes in q4–q11: not screened in',
      answers: { ...all(['q1', 'q2', 'q3'], 'dont_know'), ...yes('q4', 'q5', 'q6') },
      expect: { level: 'not_screened_in', fired: [] },
    },
    {
      name: 'don’t know does not make the fourth yes',
      answers: { ...yes('q4', 'q5', 'q6'), q7: 'dont_know' },
      rest: 'dont_know',
      expect: { level: 'not_screened_in', fired: [] },
    },
    { name: 'don’t know to everything', answers: {}, rest: 'dont_know', expect: { level: 'not_screened_in', fired: [] } },
    {
      name: 'responder’s belief: screened in, computed not screened in',
      answers: yes('q7', 'q11'),
      override: { level: 'high_danger', reason: 'Elle dit qu’il l’attendra à la sortie du palais de justice; je la crois en danger.' },
      expect: { level: 'high_danger', computed: 'not_screened_in', fired: [] },
    },
    {
      name: 'judgement never screens a victim out: an override down is refused',
      answers: yes('q2'),
      override: { level: 'not_screened_in', reason: 'Elle semble calme.' },
      expect: { error: 'ASSESSMENT_OVERRIDE_NOT_ALLOWED' },
    },
    {
      name: 'responder’s belief without a reason: refused',
      answers: {},
      override: { level: 'high_danger', reason: '  ' },
      expect: { error: 'ASSESSMENT_OVERRIDE_REASON_MISSING' },
    },
    { name: 'q5 left out: refused', answers: yes('q1'), omit: ['q5'], expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: 'q5' } },
    { name: 'q5 not answered: refused', answers: { q5: 'not_answered' }, expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: 'q5' } },
    { name: 'q1 not answered: refused', answers: { q1: 'not_answered', q2: 'yes' }, expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: 'q1' } },
    { name: 'no answers at all: every question is named', answers: {}, rest: 'absent', expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: lap.items.map((i) => i.id).join(', ') } },
    { name: 'her perception “extreme” is recorded, not scored', answers: {}, perception: 'extreme', expect: { level: 'not_screened_in', fired: [] } },
    { name: 'an unknown perception: refused', answers: {}, perception: 'terrified', expect: { error: 'ASSESSMENT_UNKNOWN_PERCEPTION' } },
  ];
  const fired = runTable(t, lap, rows);
  t.same([...fired].sort(), lap.rules.map((_, i) => i), 'the table covers every rule of the LAP');
});

const groups = (inst: Instrument) => ({
  chronic: inst.items.filter((i) => i.id.startsWith('chronic_')).map((i) => i.id),
  circumstantial: inst.items.filter((i) => i.id.startsWith('circumstantial_')).map((i) => i.id),
  imminent: inst.items.filter((i) => i.id.startsWith('imminent_')).map((i) => i.id),
});

t.test('grille commune: a default of the partners, three levels, no weights', async (t) => {
  const g = groups(grille);
  t.equal(grille.id, 'grille-commune');
  t.equal(grille.version, 1);
  t.equal(grille.status, 'partner_default');
  t.same(
    grille.levels.map((l) => l.id),
    ['moderate', 'aggravated', 'imminent'],
  );
  t.equal(g.chronic.length + g.circumstantial.length + g.imminent.length, grille.items.length, 'every item is chronic_, circumstantial_ or imminent_');
  t.ok(g.chronic.length >= 6 && g.circumstantial.length >= 6 && g.imminent.length >= 4, 'each group has items');
  t.ok(
    grille.items.every((i) => i.weight === undefined),
    'no weights: none that could not be cited',
  );
  t.same(
    grille.rules,
    [
      { kind: 'any', items: g.circumstantial, level: 'aggravated' },
      { kind: 'any', items: g.imminent, level: 'imminent' },
    ],
    'any circumstantial factor → aggravated; any imminence indicator → imminent; no count rule',
  );
  t.ok(
    grille.items.every((i) => i.required === !i.id.startsWith('chronic_')),
    'every item a rule reads is required; chronic factors are recorded but optional',
  );
  t.equal(grille.override.allowed, true);
  t.match(grille.licence.en, /DEFAULT grid that the partners configure/);
  t.match(grille.licence.en, /not a validated actuarial tool/);
  t.match(grille.licence.fr, /PAR DÉFAUT/);
  t.match(grille.licence.fr, /pas un outil actuariel validé/);
  t.match(grille.levels[2]!.action.fr, /cellule d’intervention rapide.*911 si danger immédiat/);
});

t.test('grille commune: known answers', async (t) => {
  const g = groups(grille);
  const rows: Row[] = [
    { name: 'no to everything: moderate, the base level', answers: {}, expect: { level: 'moderate', fired: [] } },
    { name: 'every chronic factor, nothing else: still moderate', answers: yes(...g.chronic), expect: { level: 'moderate', fired: [] } },
    { name: 'chronic factors left out (optional)', answers: {}, omit: g.chronic, expect: { level: 'moderate', fired: [] } },
    ...g.circumstantial.map((id): Row => ({ name: `${id} alone: aggravated`, answers: yes(id), expect: { level: 'aggravated', fired: [0] } })),
    { name: 'don’t know to every circumstantial factor: moderate', answers: all(g.circumstantial, 'dont_know'), expect: { level: 'moderate', fired: [] } },
    {
      name: 'every circumstantial factor at once: aggravated, not imminent (no count rule)',
      answers: yes(...g.chronic, ...g.circumstantial),
      expect: { level: 'aggravated', fired: [0] },
    },
    ...g.imminent.map((id): Row => ({ name: `${id} alone: imminent`, answers: yes(id), expect: { level: 'imminent', fired: [1] } })),
    { name: 'don’t know to every imminence indicator: moderate', answers: all(g.imminent, 'dont_know'), expect: { level: 'moderate', fired: [] } },
    {
      name: 'don’t know to the imminence indicators, one circumstantial factor: aggravated',
      answers: { ...all(g.imminent, 'dont_know'), ...yes('circumstantial_recent_separation') },
      expect: { level: 'aggravated', fired: [0] },
    },
    {
      name: 'imminent beats aggravated',
      answers: yes('circumstantial_refuses_separation', 'circumstantial_breach', 'imminent_weapon_acquired'),
      expect: { level: 'imminent', fired: [0, 1] },
    },
    {
      name: 'override raises aggravated to imminent (accumulation of circumstantial factors)',
      answers: yes('circumstantial_recent_separation', 'circumstantial_harassment_stalking', 'circumstantial_breach', 'circumstantial_escalation'),
      override: { level: 'imminent', reason: 'Quatre facteurs circonstanciels en une semaine; elle a trouvé un traceur sur sa voiture.' },
      expect: { level: 'imminent', computed: 'aggravated', fired: [0] },
    },
    {
      name: 'override raises moderate to aggravated',
      answers: yes('chronic_firearm_access', 'chronic_prior_strangulation'),
      override: { level: 'aggravated', reason: 'Arme à feu et strangulation antérieure : facteurs chroniques graves.' },
      expect: { level: 'aggravated', computed: 'moderate', fired: [] },
    },
    {
      name: 'override lowers imminent, with a reason',
      answers: yes('imminent_release'),
      override: { level: 'aggravated', reason: 'La remise en liberté a été annulée ce matin (confirmé par le DPCP).' },
      expect: { level: 'aggravated', computed: 'imminent', fired: [1] },
    },
    { name: 'override without a reason: refused', answers: {}, override: { level: 'imminent', reason: '' }, expect: { error: 'ASSESSMENT_OVERRIDE_REASON_MISSING' } },
    { name: 'override to an unknown level: refused', answers: {}, override: { level: 'extreme', reason: 'Jugement.' }, expect: { error: 'ASSESSMENT_UNKNOWN_LEVEL' } },
    { name: 'a circumstantial factor left out: refused', answers: {}, omit: ['circumstantial_breach'], expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: 'circumstantial_breach' } },
    { name: 'an imminence indicator not answered: refused', answers: { imminent_release: 'not_answered' }, expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: 'imminent_release' } },
    {
      name: 'only the chronic factors answered: every factor a rule reads is named',
      answers: {},
      omit: [...g.circumstantial, ...g.imminent],
      expect: { error: 'ASSESSMENT_ANSWER_MISSING', detail: [...g.circumstantial, ...g.imminent].join(', ') },
    },
    { name: 'a LAP question is not a grille item', answers: { q1: 'yes' }, expect: { error: 'ASSESSMENT_UNKNOWN_ITEM' } },
    { name: 'her perception “high” is recorded, not scored', answers: {}, perception: 'high', expect: { level: 'moderate', fired: [] } },
  ];
  const fired = runTable(t, grille, rows);
  t.same([...fired].sort(), grille.rules.map((_, i) => i), 'the table covers every rule of the grille');
});

t.test('the recipient recomputes a shipped instrument’s level from the decrypted answers', async (t) => {
  const row: Row = { name: '', answers: yes('q2'), expect: { level: 'high_danger', fired: [0] } };
  const a = assessmentOf(lap, row);
  t.same(verifyAssessmentLevel(lap, a, { instrument: 'lap-lethality-screen', version: 1, level: 'high_danger' }), { matches: true, recomputed: 'high_danger', signed: 'high_danger' });
  t.same(
    verifyAssessmentLevel(lap, a, { instrument: 'lap-lethality-screen', version: 1, level: 'not_screened_in' }),
    { matches: false, recomputed: 'high_danger', signed: 'not_screened_in' },
    'a signed level lower than the answers give is caught',
  );
  t.same(
    verifyAssessmentLevel(grille, a, { instrument: 'grille-commune', version: 1, level: 'moderate' }),
    { matches: false, recomputed: null, signed: 'moderate', error: 'ASSESSMENT_INSTRUMENT_MISMATCH' },
    'a LAP assessment is not a grille assessment',
  );
});

t.test('French and English texts are both written', async (t) => {
  for (const inst of [lap, grille]) {
    const texts = [
      inst.titles,
      inst.licence,
      inst.perception.text,
      inst.override.text,
      ...inst.items.flatMap((i) => [i.text, ...(i.help ? [i.help] : [])]),
      ...inst.perception.options.map((o) => o.labels),
      ...inst.levels.flatMap((l) => [l.labels, l.action]),
    ];
    t.ok(
      texts.every((x) => x.fr !== x.en),
      `${inst.id}: no French text is a copy of the English`,
    );
    t.ok(
      texts.every((x) => !/\s[?!;]/.test(x.fr)),
      `${inst.id}: no space before ? ! ; in French (Quebec typography)`,
    );
  }
});
