/**
 * The common framework for assessing a victim's safety: risk instruments as
 * versioned data (`config/instruments/*.json`), a filled assessment, and its
 * scoring — here, runtime-neutral, so that the sender's client, the
 * recipient's client and the hub compute the same level from the same answers.
 *
 * Rules: `count` (how many items answered yes, with thresholds), `weighted`
 * (the sum of the weights of the items answered yes, with thresholds), `any`
 * (yes to any of these items), `at_least` (yes to at least N of these items).
 * Each rule that fires proposes a level; the computed level is the highest
 * proposed (the instrument's first level when none fires). A professional
 * judgement may set the final level, with a reason.
 *
 * @example
 * const problems = checkInstrument(instrument); // [] for a coherent instrument
 * const result = scoreAssessment(instrument, assessment);
 * if (result.ok) header.assessment = { instrument: instrument.id, version: instrument.version, level: result.level };
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { INSTRUMENT_ID_PATTERN, TimestampSchema, type AssessmentRef } from './schemas.js';

const Text = Type.Object({ fr: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
/** Ids of instruments, items, levels and perception options: lowercase, digits, `_` and `-`. */
const Id = Type.String({ pattern: INSTRUMENT_ID_PATTERN });

export const ANSWERS = ['yes', 'no', 'dont_know', 'not_answered'] as const;
export type Answer = (typeof ANSWERS)[number];
export const ANSWER_SOURCES = ['victim', 'record', 'observation'] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];

export const InstrumentItemSchema = Type.Object(
  {
    id: Id,
    text: Text,
    help: Type.Optional(Text),
    /** A required item must be answered yes, no or don't know. */
    required: Type.Boolean(),
    /** Only for `weighted` rules, and only where a published source gives the weight. */
    weight: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const RuleItems = Type.Array(Id, { minItems: 1, uniqueItems: true });
const Thresholds = Type.Array(Type.Object({ min: Type.Number({ minimum: 0 }), level: Id }, { additionalProperties: false }), { minItems: 1 });

export const InstrumentRuleSchema = Type.Union([
  Type.Object({ kind: Type.Literal('count'), items: RuleItems, thresholds: Thresholds }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('weighted'), items: RuleItems, thresholds: Thresholds }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('any'), items: RuleItems, level: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('at_least'), n: Type.Integer({ minimum: 1 }), items: RuleItems, level: Id }, { additionalProperties: false }),
]);
export type InstrumentRule = Static<typeof InstrumentRuleSchema>;

export const InstrumentSchema = Type.Object(
  {
    type: Type.Literal('instrument'),
    v: Type.Literal(1),
    id: Id,
    version: Type.Integer({ minimum: 1 }),
    titles: Text,
    publisher: Type.String({ minLength: 1, maxLength: 500 }),
    /** Where the items and rules come from, and the terms of use. */
    licence: Text,
    /** `published`: the instrument as its publisher defines it; `partner_default`: a default the partners configure. */
    status: Type.Union([Type.Literal('published'), Type.Literal('partner_default')]),
    items: Type.Array(InstrumentItemSchema, { minItems: 1, maxItems: 200 }),
    /** The victim's own perception of her danger, asked as its own question. */
    perception: Type.Object(
      { text: Text, options: Type.Array(Type.Object({ id: Id, labels: Text }, { additionalProperties: false }), { minItems: 2, maxItems: 10 }) },
      { additionalProperties: false },
    ),
    rules: Type.Array(InstrumentRuleSchema, { minItems: 1, maxItems: 50 }),
    /** Professional judgement: the final level may differ from the computed one, always with a reason. */
    override: Type.Object(
      {
        allowed: Type.Boolean(),
        text: Text,
        /** `raise`: judgement may only raise the level (the LAP screens a victim in, never out). `any` when absent. */
        direction: Type.Optional(Type.Union([Type.Literal('raise'), Type.Literal('any')])),
      },
      { additionalProperties: false },
    ),
    /** From the lowest to the highest. */
    levels: Type.Array(Type.Object({ id: Id, labels: Text, action: Text }, { additionalProperties: false }), { minItems: 2, maxItems: 10 }),
  },
  { additionalProperties: false },
);
export type Instrument = Static<typeof InstrumentSchema>;

export const AssessmentSchema = Type.Object(
  {
    type: Type.Literal('assessment'),
    v: Type.Literal(1),
    instrument: Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    answers: Type.Array(
      Type.Object(
        {
          item: Id,
          answer: Type.Union(ANSWERS.map((a) => Type.Literal(a))),
          source: Type.Optional(Type.Union(ANSWER_SOURCES.map((s) => Type.Literal(s)))),
        },
        { additionalProperties: false },
      ),
      { maxItems: 200 },
    ),
    perception: Type.Optional(Id),
    override: Type.Optional(Type.Object({ level: Id, reason: Type.String({ maxLength: 2000 }) }, { additionalProperties: false })),
    completedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type Assessment = Static<typeof AssessmentSchema>;

/** A problem of an instrument file, with the JSON path of the field. */
export interface InstrumentProblem {
  path: string;
  problem: string;
}

/**
 * Schema and coherence checks of an instrument file: unique item and level
 * ids, rules naming known items and levels, weights on every item of a
 * weighted rule, thresholds in increasing order. Returns [] when it is sound.
 *
 * @example
 * checkInstrument(JSON.parse(text)).map((p) => `${file}${p.path}: ${p.problem}`)
 */
export function checkInstrument(value: unknown): InstrumentProblem[] {
  const schemaProblems = [...Value.Errors(InstrumentSchema, value)].map((e) => ({ path: e.path || '/', problem: e.message }));
  if (schemaProblems.length > 0) return schemaProblems.slice(0, 20);
  const inst = value as Instrument;
  const problems: InstrumentProblem[] = [];
  const add = (path: string, problem: string) => problems.push({ path, problem });
  const items = new Map<string, Instrument['items'][number]>();
  inst.items.forEach((item, i) => {
    if (items.has(item.id)) add(`/items/${i}/id`, `item ${item.id} listed twice`);
    items.set(item.id, item);
  });
  const levels = new Set<string>();
  inst.levels.forEach((l, i) => {
    if (levels.has(l.id)) add(`/levels/${i}/id`, `level ${l.id} listed twice`);
    levels.add(l.id);
  });
  inst.rules.forEach((rule, r) => {
    rule.items.forEach((id, j) => {
      if (!items.has(id)) add(`/rules/${r}/items/${j}`, `unknown item ${id}`);
      else if (rule.kind === 'weighted' && items.get(id)!.weight === undefined) add(`/rules/${r}/items/${j}`, `item ${id} has no weight`);
    });
    if (rule.kind === 'count' || rule.kind === 'weighted') {
      let previous = -1;
      rule.thresholds.forEach((th, j) => {
        if (!levels.has(th.level)) add(`/rules/${r}/thresholds/${j}/level`, `unknown level ${th.level}`);
        // A threshold of 0 fires on every assessment, whatever the answers.
        if (th.min <= 0) add(`/rules/${r}/thresholds/${j}/min`, 'a threshold must be above 0');
        if (th.min <= previous) add(`/rules/${r}/thresholds/${j}/min`, 'thresholds must increase');
        previous = th.min;
      });
    } else {
      if (!levels.has(rule.level)) add(`/rules/${r}/level`, `unknown level ${rule.level}`);
      if (rule.kind === 'at_least' && rule.n > rule.items.length) add(`/rules/${r}/n`, `n is more than the ${rule.items.length} items`);
    }
  });
  const perception = new Set<string>();
  inst.perception.options.forEach((o, i) => {
    if (perception.has(o.id)) add(`/perception/options/${i}/id`, `option ${o.id} listed twice`);
    perception.add(o.id);
  });
  return problems;
}

/**
 * Parses and checks instrument files given as text (the caller reads them:
 * the hub at start, the CLI on a device): the valid instruments by id then
 * version, and a line for each problem of the others (`file /path: problem`).
 *
 * @example
 * const { instruments, problems } = parseInstrumentFiles([{ name: 'lap.json', text }]);
 */
export function parseInstrumentFiles(files: readonly { name: string; text: string }[]): { instruments: Instrument[]; problems: string[] } {
  const instruments: Instrument[] = [];
  const problems: string[] = [];
  for (const { name, text } of files) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    const issues = checkInstrument(value);
    if (issues.length > 0) {
      problems.push(...issues.map((p) => `${name} ${p.path}: ${p.problem}`));
      continue;
    }
    const inst = value as Instrument;
    if (instruments.some((i) => i.id === inst.id && i.version === inst.version)) {
      problems.push(`${name}: ${inst.id}@${inst.version} defined twice`);
      continue;
    }
    instruments.push(inst);
  }
  instruments.sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  return { instruments, problems };
}

export const ASSESSMENT_ERRORS = [
  'ASSESSMENT_INVALID',
  'ASSESSMENT_INSTRUMENT_MISMATCH',
  'ASSESSMENT_UNKNOWN_ITEM',
  'ASSESSMENT_DUPLICATE_ITEM',
  'ASSESSMENT_ANSWER_MISSING',
  'ASSESSMENT_OVERRIDE_NOT_ALLOWED',
  'ASSESSMENT_OVERRIDE_REASON_MISSING',
  'ASSESSMENT_UNKNOWN_LEVEL',
  'ASSESSMENT_UNKNOWN_PERCEPTION',
] as const;
export type AssessmentError = (typeof ASSESSMENT_ERRORS)[number];

export type ScoreResult =
  | {
      ok: true;
      /** The level the rules give. */
      computed: string;
      /** The final level: the override's when there is one. */
      level: string;
      /** The index of each rule that fired. */
      fired: number[];
      overridden: boolean;
    }
  | { ok: false; error: AssessmentError; detail: string };

/** The rank of a level in an instrument (0 = lowest), or -1 for an unknown level. */
export const levelRank = (instrument: Pick<Instrument, 'levels'>, level: string): number => instrument.levels.findIndex((l) => l.id === level);

/**
 * Checks a filled assessment against its instrument and scores it. "Don't
 * know" and "not answered" never count as yes; a required item left
 * `not_answered` (or absent) is refused, as is an override without a reason.
 *
 * @example
 * scoreAssessment(lap, { type: 'assessment', v: 1, instrument: { id: 'lap', version: 1 }, answers, completedAt })
 * // { ok: true, computed: 'high_danger', level: 'high_danger', fired: [0], overridden: false }
 */
export function scoreAssessment(instrument: Instrument, value: unknown): ScoreResult {
  const fail = (error: AssessmentError, detail: string): ScoreResult => ({ ok: false, error, detail });
  const first = Value.Errors(AssessmentSchema, value).First();
  if (first) return fail('ASSESSMENT_INVALID', `${first.path || '/'}: ${first.message}`);
  const a = value as Assessment;
  if (a.instrument.id !== instrument.id || a.instrument.version !== instrument.version) {
    return fail('ASSESSMENT_INSTRUMENT_MISMATCH', `${a.instrument.id}@${a.instrument.version} is not ${instrument.id}@${instrument.version}`);
  }
  const known = new Set(instrument.items.map((i) => i.id));
  const answers = new Map<string, Answer>();
  for (const ans of a.answers) {
    if (!known.has(ans.item)) return fail('ASSESSMENT_UNKNOWN_ITEM', ans.item);
    if (answers.has(ans.item)) return fail('ASSESSMENT_DUPLICATE_ITEM', ans.item);
    answers.set(ans.item, ans.answer);
  }
  const missing = instrument.items.filter((i) => i.required && (answers.get(i.id) ?? 'not_answered') === 'not_answered').map((i) => i.id);
  if (missing.length > 0) return fail('ASSESSMENT_ANSWER_MISSING', missing.join(', '));
  if (a.perception !== undefined && !instrument.perception.options.some((o) => o.id === a.perception)) return fail('ASSESSMENT_UNKNOWN_PERCEPTION', a.perception);

  const yes = (id: string) => answers.get(id) === 'yes';
  const weightOf = new Map(instrument.items.map((i) => [i.id, i.weight ?? 0]));
  const proposed: { rule: number; level: string }[] = [];
  instrument.rules.forEach((rule, r) => {
    const hits = rule.items.filter(yes);
    switch (rule.kind) {
      case 'any':
        if (hits.length > 0) proposed.push({ rule: r, level: rule.level });
        break;
      case 'at_least':
        if (hits.length >= rule.n) proposed.push({ rule: r, level: rule.level });
        break;
      case 'count':
      case 'weighted': {
        const score = rule.kind === 'count' ? hits.length : hits.reduce((sum, id) => sum + weightOf.get(id)!, 0);
        const reached = rule.thresholds.filter((th) => score >= th.min).at(-1);
        if (reached) proposed.push({ rule: r, level: reached.level });
        break;
      }
    }
  });
  const computed = proposed.reduce((best, p) => (levelRank(instrument, p.level) > levelRank(instrument, best) ? p.level : best), instrument.levels[0]!.id);
  let level = computed;
  if (a.override) {
    if (!instrument.override.allowed) return fail('ASSESSMENT_OVERRIDE_NOT_ALLOWED', instrument.id);
    if (a.override.reason.trim().length === 0) return fail('ASSESSMENT_OVERRIDE_REASON_MISSING', a.override.level);
    if (levelRank(instrument, a.override.level) < 0) return fail('ASSESSMENT_UNKNOWN_LEVEL', a.override.level);
    if (instrument.override.direction === 'raise' && levelRank(instrument, a.override.level) < levelRank(instrument, computed)) {
      return fail('ASSESSMENT_OVERRIDE_NOT_ALLOWED', `${a.override.level} is below the computed ${computed}`);
    }
    level = a.override.level;
  }
  return { ok: true, computed, level, fired: proposed.map((p) => p.rule), overridden: a.override !== undefined };
}

/**
 * The recipient's check: recomputes the level from the decrypted assessment
 * and compares it with the level the sender signed in the header.
 *
 * @example
 * const check = verifyAssessmentLevel(instrument, content.assessment, header.assessment);
 * if (!check.matches) warn(check.recomputed, check.signed);
 */
export function verifyAssessmentLevel(
  instrument: Instrument,
  assessment: unknown,
  signed: AssessmentRef,
): { matches: boolean; recomputed: string | null; signed: string; error?: AssessmentError } {
  if (signed.instrument !== instrument.id || signed.version !== instrument.version) {
    return { matches: false, recomputed: null, signed: signed.level, error: 'ASSESSMENT_INSTRUMENT_MISMATCH' };
  }
  const result = scoreAssessment(instrument, assessment);
  if (!result.ok) return { matches: false, recomputed: null, signed: signed.level, error: result.error };
  return { matches: result.level === signed.level, recomputed: result.level, signed: signed.level };
}
