/**
 * `vigie assess`: fills a risk instrument of `config/instruments/` with the
 * person at the terminal — each item (yes, no, don't know, skip) and the
 * source of each answer (the victim, the record, the worker's observation),
 * then the victim's own perception of her danger — shows the level the rules
 * give and the action it calls for, offers the professional-judgement
 * override (a level and a mandatory reason), and writes the assessment to a
 * file of mode 0600 for `vigie send --assessment`. Nothing is sent.
 *
 * When standard input is not a terminal, the answers are read from it, one
 * per line, in the order of the questions, and echoed after each question so
 * that the session reads as it was held.
 */
import { existsSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { levelRank, scoreAssessment, type Answer, type AnswerSource, type Assessment, type Instrument } from '../../../protocol/instrument.js';
import { stringOption, type Command } from '../command.js';
import type { Context } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { assessmentErrorText, levelLabel } from '../format.js';
import { writeAtomically } from '../key-store.js';
import * as valid from '../validate.js';

type Typed = Exclude<Answer, 'not_answered'> | 'skip';

/** What a person may type, in either language: the words and their one-letter short forms. */
const ANSWER_WORDS: Record<string, Typed> = {
  o: 'yes', oui: 'yes', y: 'yes', yes: 'yes',
  n: 'no', non: 'no', no: 'no',
  '?': 'dont_know', nsp: 'dont_know', 'je ne sais pas': 'dont_know', dk: 'dont_know', "don't know": 'dont_know', 'don’t know': 'dont_know', 'dont know': 'dont_know',
  p: 'skip', passer: 'skip', s: 'skip', skip: 'skip',
};
const SOURCE_WORDS: Record<string, AnswerSource> = {
  v: 'victim', victime: 'victim', victim: 'victim',
  d: 'record', dossier: 'record', r: 'record', record: 'record',
  o: 'observation', observation: 'observation', 'observation de l’intervenante': 'observation', "observation de l'intervenante": 'observation', "worker's observation": 'observation', 'worker’s observation': 'observation',
};
const normalize = (line: string) => line.trim().toLocaleLowerCase('fr').replace(/\s+/g, ' ');

/**
 * One line per question: from a terminal (with line editing; Ctrl-C stops
 * everything) or from a pipe, where each line read is echoed after its question.
 */
class Questions {
  private readonly rl: Interface;
  private readonly lines: AsyncIterator<string>;
  private readonly interrupted: Promise<never>;

  constructor(
    private readonly ctx: Context,
    private readonly tty: boolean,
  ) {
    this.rl = createInterface({ input: process.stdin, ...(tty ? { output: process.stderr, terminal: true } : { terminal: false }) });
    this.lines = this.rl[Symbol.asyncIterator]();
    this.interrupted = new Promise<never>((_, reject) => this.rl.once('SIGINT', () => reject(new CliError('error.interrupted'))));
    this.interrupted.catch(() => {});
  }

  /** The next line typed after this prompt, or null at the end of input. */
  async ask(prompt: string): Promise<string | null> {
    if (this.tty) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    } else {
      this.ctx.io.stderr(prompt);
    }
    const next = await Promise.race([this.lines.next(), this.interrupted]);
    if (next.done) {
      if (!this.tty) this.ctx.io.stderr('\n');
      return null;
    }
    if (!this.tty) this.ctx.io.stderr(`${next.value}\n`);
    return next.value;
  }

  say(text: string): void {
    this.ctx.io.stderr(`${text}\n`);
  }

  close(): void {
    this.rl.close();
  }
}

/** Asks until the line is one of `words` (or empty, when `empty` gives its meaning); null at the end of input. */
async function askWord<T>(q: Questions, prompt: string, words: Record<string, T>, retry: string, empty?: T): Promise<T | null> {
  for (;;) {
    const line = await q.ask(prompt);
    if (line === null) return null;
    const word = normalize(line);
    if (word === '' && empty !== undefined) return empty;
    if (Object.hasOwn(words, word)) return words[word]!;
    q.say(retry);
  }
}

/** `1`…`n` or an id of the list; empty when `optional`. */
async function askChoice(q: Questions, prompt: string, ids: string[], retry: string, optional: boolean): Promise<string | null | undefined> {
  for (;;) {
    const line = await q.ask(prompt);
    if (line === null) return null;
    const word = normalize(line);
    if (word === '' && optional) return undefined;
    const n = /^\d+$/.test(word) ? Number(word) : NaN;
    if (n >= 1 && n <= ids.length) return ids[n - 1]!;
    if (ids.includes(word)) return word;
    q.say(retry);
  }
}

/** The whole dialogue; resolves to the filled assessment (not yet scored with its override). */
async function interview(ctx: Context, q: Questions, instrument: Instrument): Promise<Assessment> {
  const lang = ctx.lang;
  q.say(ctx.t('assess.title', { title: instrument.titles[lang], id: instrument.id, version: instrument.version }));
  q.say(ctx.t('assess.publisher', { publisher: instrument.publisher }));
  q.say(ctx.t('assess.howTo'));
  q.say('');

  const answers: Assessment['answers'] = [];
  const total = instrument.items.length;
  for (const [i, item] of instrument.items.entries()) {
    q.say(`${i + 1}/${total}. ${item.text[lang]}${item.required ? ` ${ctx.t('assess.required')}` : ''}`);
    if (item.help) q.say(`   ${ctx.t('assess.help', { help: item.help[lang] })}`);
    let answer: Typed | null;
    for (;;) {
      answer = await askWord(q, `   ${ctx.t('assess.answerPrompt')}`, ANSWER_WORDS, `   ${ctx.t('assess.answerRetry')}`);
      if (answer === null) throw new CliError('error.assessIncomplete', { n: i + 1, total });
      if (answer === 'skip' && item.required) {
        q.say(`   ${ctx.t('assess.requiredRetry')}`);
        continue;
      }
      break;
    }
    if (answer === 'skip') {
      answers.push({ item: item.id, answer: 'not_answered' });
      continue;
    }
    const source = await askWord(q, `   ${ctx.t('assess.sourcePrompt')}`, SOURCE_WORDS, `   ${ctx.t('assess.sourceRetry')}`, 'victim');
    if (source === null) throw new CliError('error.assessIncomplete', { n: i + 1, total });
    answers.push({ item: item.id, answer, source });
  }

  q.say('');
  q.say(instrument.perception.text[lang]);
  instrument.perception.options.forEach((o, i) => q.say(`   ${i + 1}. ${o.labels[lang]}`));
  const ids = instrument.perception.options.map((o) => o.id);
  // The end of input here leaves the perception unasked, as an empty line does.
  const perception = await askChoice(q, `   ${ctx.t('assess.choicePrompt', { max: ids.length })}`, ids, `   ${ctx.t('assess.choiceRetry', { max: ids.length })}`, true);
  return {
    type: 'assessment',
    v: 1,
    instrument: { id: instrument.id, version: instrument.version },
    answers,
    ...(perception ? { perception } : {}),
    completedAt: new Date().toISOString(),
  };
}

/** The professional-judgement override: a level of the instrument and a reason, or nothing. */
async function override(ctx: Context, q: Questions, instrument: Instrument, computed: string): Promise<Assessment['override'] | undefined> {
  if (!instrument.override.allowed) return undefined;
  // A raise-only instrument (the LAP screens a victim in, never out) offers only the levels above the computed one.
  const rank = levelRank(instrument, computed);
  const ids = instrument.levels.map((l) => l.id).filter((id, i) => id !== computed && (instrument.override.direction !== 'raise' || i > rank));
  if (ids.length === 0) return undefined;
  q.say('');
  q.say(instrument.override.text[ctx.lang]);
  const yes = await askWord(q, ctx.t('assess.overridePrompt'), { o: true, oui: true, y: true, yes: true, n: false, non: false, no: false }, ctx.t('assess.yesNoRetry'), false);
  if (!yes) return undefined;
  q.say(`   ${ctx.t('assess.computedLevel', { level: levelLabel(ctx, instrument, computed) })}`);
  ids.forEach((id, i) => q.say(`   ${i + 1}. ${levelLabel(ctx, instrument, id)}`));
  const level = await askChoice(q, `   ${ctx.t('assess.levelPrompt', { max: ids.length })}`, ids, `   ${ctx.t('assess.choiceRetry', { max: ids.length })}`, false);
  if (!level) throw new CliError('error.overrideIncomplete');
  for (;;) {
    const reason = await q.ask(`   ${ctx.t('assess.reasonPrompt')}`);
    if (reason === null) throw new CliError('error.overrideIncomplete');
    if (reason.trim().length > 2000) q.say(`   ${ctx.t('assess.reasonTooLong')}`);
    else if (reason.trim()) return { level, reason: reason.trim() };
    else q.say(`   ${ctx.t('assess.reasonRequired')}`);
  }
}

/** `assessment-2026-11-29T02-14-07.json`: sorts by time, and is a valid file name everywhere. */
const defaultFile = (at: Date) => `assessment-${at.toISOString().slice(0, 19).replace(/:/g, '-')}.json`;

const assess: Command = {
  words: ['assess'],
  synopsis: 'synopsis.assess',
  summary: 'help.assess.summary',
  details: 'help.assess.details',
  options: {
    instrument: { type: 'string', value: 'arg.instrument', help: 'opt.instrument' },
    version: { type: 'string', value: 'arg.version', help: 'opt.instrumentVersion' },
    out: { type: 'string', value: 'arg.fileOrStdout', help: 'opt.assessOut' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const instrument = valid.instrument(ctx, stringOption(values, 'instrument'), stringOption(values, 'version'));
    const outFlag = stringOption(values, 'out');
    const out = outFlag ?? defaultFile(new Date());
    if (out !== '-' && existsSync(out)) throw new CliError('error.assessFileExists', { file: out });

    const q = new Questions(ctx, process.stdin.isTTY === true);
    let assessment: Assessment;
    let result: Extract<ReturnType<typeof scoreAssessment>, { ok: true }>;
    try {
      assessment = await interview(ctx, q, instrument);
      const scored = scoreAssessment(instrument, assessment);
      if (!scored.ok) throw new CliError('error.assessmentNotScored', { reason: assessmentErrorText(ctx, scored.error, scored.detail) });
      q.say('');
      q.say(ctx.t('assess.computed', { level: levelLabel(ctx, instrument, scored.computed) }));
      q.say(`   ${ctx.t('assess.action', { action: instrument.levels.find((l) => l.id === scored.computed)!.action[ctx.lang] })}`);
      const judgement = await override(ctx, q, instrument, scored.computed);
      if (judgement) assessment = { ...assessment, override: judgement };
      const final = scoreAssessment(instrument, assessment);
      if (!final.ok) throw new CliError('error.assessmentNotScored', { reason: assessmentErrorText(ctx, final.error, final.detail) });
      result = final;
    } finally {
      q.close();
    }

    const text = `${JSON.stringify(assessment, null, 2)}\n`;
    if (out === '-') ctx.io.stdout(text);
    else {
      try {
        writeAtomically(out, text, true);
      } catch (err) {
        if (err instanceof CliError) throw new CliError('error.assessFileExists', { file: out });
        throw new CliError('error.fileUnwritable', { file: out });
      }
    }
    const level = instrument.levels.find((l) => l.id === result.level)!;
    const summary = { event: 'assessment', file: out, instrument: instrument.id, version: instrument.version, level: result.level, computed: result.computed, overridden: result.overridden };
    // With `--out -` stdout is the assessment itself: the summary goes to stderr.
    const say = (key: Parameters<Context['t']>[0], params: Record<string, string | number>) =>
      out === '-' ? ctx.note(key, params) : ctx.say(key, params);
    if (ctx.json) {
      if (out === '-') ctx.io.stderr(`${JSON.stringify(summary)}\n`);
      else ctx.emit(summary);
      return EXIT.ok;
    }
    if (out !== '-') say('assess.written', { file: out });
    say('assess.level', { label: levelLabel(ctx, instrument, result.level), action: level.action[ctx.lang] });
    if (result.overridden) say('assess.overridden', { computed: levelLabel(ctx, instrument, result.computed), reason: assessment.override!.reason });
    if (out !== '-') say('assess.next', { file: out });
    return EXIT.ok;
  },
};

export const assessCommands = [assess];
