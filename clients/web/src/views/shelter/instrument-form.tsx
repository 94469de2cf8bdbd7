/**
 * A risk instrument of config/instruments rendered from its JSON: each item
 * in the person's language (yes, no, don't know; where the answer comes
 * from), the victim's own perception, and the professional-judgement
 * override with its reason. The level is computed live by the shared scoring
 * code (protocol/instrument.ts) — the one the recipient recomputes with —
 * and only a complete assessment that scores can be attached.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { levelRank, scoreAssessment, type Answer, type AnswerSource, type Assessment, type Instrument } from '../../../../../protocol/instrument.js';
import type { AssessmentRef } from '../../../../../protocol/schemas.js';
import { ANSWER_LABELS, ANSWER_SOURCE_LABELS } from '../../../../../protocol/vocabulary.js';
import { useLang } from '../../lib/lang.js';
import type { Tone } from './state.js';

export interface FilledAssessment {
  assessment: Assessment;
  ref: AssessmentRef;
}

type Given = { answer: Exclude<Answer, 'not_answered'>; source: AnswerSource };
const CHOICES = ['yes', 'no', 'dont_know'] as const;
const SOURCES = ['victim', 'record', 'observation'] as const;

export const levelTone = (instrument: Instrument, level: string): Tone => (levelRank(instrument, level) > 0 ? 'danger' : 'wait');

export function InstrumentForm({ instrument, onChange }: { instrument: Instrument; onChange(filled: FilledAssessment | null): void }) {
  const { t, lang } = useLang();
  const [given, setGiven] = useState<Record<string, Given>>({});
  const [perception, setPerception] = useState('');
  const [override, setOverride] = useState({ on: false, level: '', reason: '' });

  const scored = useMemo(() => {
    const answers: Assessment['answers'] = instrument.items.map((i) => (given[i.id] ? { item: i.id, ...given[i.id]! } : { item: i.id, answer: 'not_answered' as const }));
    const base: Assessment = {
      type: 'assessment',
      v: 1,
      instrument: { id: instrument.id, version: instrument.version },
      answers,
      ...(perception ? { perception } : {}),
      completedAt: new Date().toISOString(),
    };
    const assessment: Assessment = override.on && override.level ? { ...base, override: { level: override.level, reason: override.reason.trim() } } : base;
    const result = scoreAssessment(instrument, assessment);
    // The level the answers given so far reach: "don't know" never counts as yes.
    const soFar = scoreAssessment(instrument, { ...base, answers: answers.map((a) => (a.answer === 'not_answered' ? { item: a.item, answer: 'dont_know' as const } : a)) });
    const missing = instrument.items.filter((i) => i.required && !given[i.id]).length;
    return { assessment, result, computed: soFar.ok ? soFar.computed : instrument.levels[0]!.id, missing };
  }, [instrument, given, perception, override]);

  useEffect(() => {
    const r = scored.result;
    onChange(r.ok ? { assessment: scored.assessment, ref: { instrument: instrument.id, version: instrument.version, level: r.level } } : null);
  }, [scored]);

  const level = scored.result.ok ? scored.result.level : scored.computed;
  const levelDef = instrument.levels.find((l) => l.id === level)!;
  const rank = levelRank(instrument, scored.computed);
  const overrideLevels = instrument.levels.filter((l, i) => l.id !== scored.computed && (instrument.override.direction !== 'raise' || i > rank));
  const reasonMissing = override.on && override.level !== '' && override.reason.trim() === '';

  const answer = (id: string, value: Given['answer']) => setGiven((g) => ({ ...g, [id]: { answer: value, source: g[id]?.source ?? 'victim' } }));
  const source = (id: string, value: AnswerSource) => setGiven((g) => (g[id] ? { ...g, [id]: { ...g[id]!, source: value } } : g));

  return (
    <section class="instrument" aria-labelledby="instrument-title" data-testid="instrument" data-instrument={instrument.id}>
      <h3 id="instrument-title">{instrument.titles[lang]}</h3>
      <p>
        <small>{instrument.publisher}</small>
      </p>
      <output class={`level ${levelTone(instrument, level)}`} aria-live="polite" data-testid="assessment-level" data-level={level} data-complete={scored.result.ok ? 'true' : 'false'}>
        <span aria-hidden="true">{levelTone(instrument, level) === 'danger' ? '⚠ ' : '● '}</span>
        {scored.result.ok ? t('shelter.assessment.level', { level: levelDef.labels[lang] }) : t('shelter.assessment.levelSoFar', { level: levelDef.labels[lang], missing: scored.missing })}
        <small>{levelDef.action[lang]}</small>
      </output>
      {instrument.items.map((item, n) => (
        <fieldset key={item.id} data-item={item.id}>
          <legend>
            {n + 1}. {item.text[lang]} {item.required ? <small>({t('shelter.assessment.required')})</small> : null}
          </legend>
          {item.help ? <small>{item.help[lang]}</small> : null}
          <div class="answers">
            {CHOICES.map((c) => (
              <label key={c}>
                <input type="radio" name={`item-${item.id}`} value={c} checked={given[item.id]?.answer === c} onChange={() => answer(item.id, c)} />
                {ANSWER_LABELS[c][lang]}
              </label>
            ))}
          </div>
          {given[item.id] && given[item.id]!.answer !== 'dont_know' ? (
            <label>
              {t('shelter.assessment.source')}
              <select name={`source-${item.id}`} value={given[item.id]!.source} onChange={(e) => source(item.id, e.currentTarget.value as AnswerSource)}>
                {SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {ANSWER_SOURCE_LABELS[s][lang]}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </fieldset>
      ))}
      <fieldset>
        <legend>{instrument.perception.text[lang]}</legend>
        {instrument.perception.options.map((o) => (
          <label key={o.id}>
            <input type="radio" name="perception" value={o.id} checked={perception === o.id} onChange={() => setPerception(o.id)} />
            {o.labels[lang]}
          </label>
        ))}
      </fieldset>
      {instrument.override.allowed && overrideLevels.length > 0 ? (
        <fieldset>
          <legend>{t('shelter.assessment.override')}</legend>
          <small>{instrument.override.text[lang]}</small>
          <label>
            <input type="checkbox" name="override" role="switch" checked={override.on} onChange={(e) => setOverride({ ...override, on: e.currentTarget.checked })} />
            {t('shelter.assessment.overrideOn')}
          </label>
          {override.on ? (
            <>
              <label>
                {t('shelter.assessment.overrideLevel')}
                <select name="override-level" value={override.level} onChange={(e) => setOverride({ ...override, level: e.currentTarget.value })}>
                  <option value="">—</option>
                  {overrideLevels.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.labels[lang]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('shelter.assessment.overrideReason')}
                <textarea name="override-reason" maxLength={2000} value={override.reason} aria-invalid={reasonMissing ? 'true' : undefined} onInput={(e) => setOverride({ ...override, reason: e.currentTarget.value })} />
                {reasonMissing ? <small>{t('shelter.assessment.reasonRequired')}</small> : null}
              </label>
            </>
          ) : null}
        </fieldset>
      ) : null}
    </section>
  );
}
