/**
 * A decrypted message as a person reads it: its text first, then each other
 * field under its name; the risk assessment apart, with the level the sender
 * signed beside the level this device recomputed from the answers. What the
 * sender wrote is shown as text, never as markup.
 */
import { Value } from '@sinclair/typebox/value';
import { AssessmentSchema, type Assessment, type Instrument } from '../../../../../protocol/instrument.js';
import { ANSWER_LABELS, ANSWER_SOURCE_LABELS, DATA_CATEGORIES, labelOf } from '../../../../../protocol/vocabulary.js';
import type { AssessmentCheck } from '../../../../sdk/client.js';
import { INSTRUMENTS } from '../../lib/instruments.js';
import { useLang, type Lang } from '../../lib/lang.js';
import { formatTime } from '../../lib/time.js';

/** A field's name: the partners' word when it is one of their categories, else the sender's own name, made readable. */
function fieldName(lang: Lang, key: string): string {
  if (Object.hasOwn(DATA_CATEGORIES, key)) return labelOf(DATA_CATEGORIES, key, lang);
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLocaleLowerCase(lang);
  return words.charAt(0).toLocaleUpperCase(lang) + words.slice(1);
}

function FieldValue({ value }: { value: unknown }) {
  const { lang } = useLang();
  if (value === null || value === undefined || value === '') return <span>—</span>;
  if (typeof value === 'string') return <span class="prewrap">{value}</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  if (Array.isArray(value)) {
    return (
      <ul>
        {value.map((v, i) => (
          <li key={i}>
            <FieldValue value={v} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <dl>
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k}>
          <dt>{fieldName(lang, k)}</dt>
          <dd>
            <FieldValue value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The content's fields, `text` first; `assessment` is shown apart. */
export function ContentFields({ content }: { content: unknown }) {
  const { t, lang } = useLang();
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    return (
      <div class="content" data-testid="content">
        <FieldValue value={content} />
      </div>
    );
  }
  const fields = content as Record<string, unknown>;
  const others = Object.entries(fields).filter(([k, v]) => !(k === 'text' && typeof v === 'string') && k !== 'assessment');
  return (
    <div class="content" data-testid="content">
      {typeof fields.text === 'string' ? <p class="prewrap message-text">{fields.text}</p> : null}
      {others.length ? (
        <dl>
          {others.map(([k, v]) => (
            <div key={k}>
              <dt>{fieldName(lang, k)}</dt>
              <dd>
                <FieldValue value={v} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {typeof fields.text !== 'string' && others.length === 0 ? <p>{t('desk.content.empty')}</p> : null}
    </div>
  );
}

const instrumentOf = (id: string, version: number): Instrument | null => INSTRUMENTS.find((i) => i.id === id && i.version === version) ?? null;
const levelName = (lang: Lang, instrument: Instrument | null, level: string | null) => (level === null ? '—' : (instrument?.levels.find((l) => l.id === level)?.labels[lang] ?? level));

/**
 * The signed level, the level recomputed here, and a warning a person cannot
 * miss when they differ or the level could not be recomputed; then the answers.
 */
export function AssessmentSection({ check, content }: { check: AssessmentCheck; content: unknown }) {
  const { t, lang } = useLang();
  const instrument = instrumentOf(check.instrument, check.version);
  const signed = levelName(lang, instrument, check.signedLevel);
  const recomputed = levelName(lang, instrument, check.recomputedLevel);
  const raw = content && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>).assessment : undefined;
  const answers = raw !== undefined && Value.Check(AssessmentSchema, raw) ? (raw as Assessment) : null;
  return (
    <section aria-labelledby="assessment-title" data-testid="assessment" data-matches={check.matches ? 'yes' : 'no'}>
      <h2 id="assessment-title">{t('desk.assessment.title')}</h2>
      <p>
        {instrument ? instrument.titles[lang] : check.instrument} — {t('desk.assessment.version', { version: check.version })}
      </p>
      <dl class="levels">
        <div>
          <dt>{t('desk.assessment.signed')}</dt>
          <dd data-testid="signed-level">{signed}</dd>
        </div>
        <div>
          <dt>{t('desk.assessment.recomputed')}</dt>
          <dd data-testid="recomputed-level">{recomputed}</dd>
        </div>
      </dl>
      {check.matches ? (
        <p class="state ok">
          <span aria-hidden="true">✔</span> {t('desk.assessment.match')}
        </p>
      ) : check.recomputedLevel !== null ? (
        <p class="warning-box" role="alert" data-testid="assessment-mismatch">
          <strong>
            <span aria-hidden="true">⚠ </span>
            {t('desk.assessment.mismatch', { signed, recomputed })}
          </strong>
        </p>
      ) : (
        <p class="warning-box" role="alert" data-testid="assessment-unchecked">
          <strong>
            <span aria-hidden="true">⚠ </span>
            {t(check.error === 'INSTRUMENT_UNKNOWN' ? 'desk.assessment.unknownInstrument' : 'desk.assessment.unchecked', { signed })}
          </strong>
        </p>
      )}
      {answers ? <Answers assessment={answers} instrument={instrument ?? instrumentOf(answers.instrument.id, answers.instrument.version)} /> : null}
    </section>
  );
}

function Answers({ assessment, instrument }: { assessment: Assessment; instrument: Instrument | null }) {
  const { t, lang } = useLang();
  const count = (a: string) => assessment.answers.filter((x) => x.answer === a).length;
  // What weighs: each yes, then each "don't know" (a fact nobody could confirm).
  const shown = assessment.answers.filter((a) => a.answer === 'yes' || a.answer === 'dont_know').sort((a, b) => (a.answer === b.answer ? 0 : a.answer === 'yes' ? -1 : 1));
  const perception = assessment.perception ? instrument?.perception.options.find((o) => o.id === assessment.perception) : undefined;
  return (
    <details open>
      <summary>
        {t('desk.assessment.answers', {
          time: formatTime(lang, assessment.completedAt),
          yes: count('yes'),
          dontKnow: count('dont_know'),
          no: count('no'),
          skipped: count('not_answered'),
        })}
      </summary>
      {shown.length ? (
        <ul class="answers">
          {shown.map((a) => {
            const item = instrument?.items.find((i) => i.id === a.item);
            return (
              <li key={a.item} class={a.answer === 'yes' ? 'answer-yes' : 'answer-unknown'}>
                <strong>
                  <span aria-hidden="true">{a.answer === 'yes' ? '■ ' : '? '}</span>
                  {labelOf(ANSWER_LABELS, a.answer, lang)}
                </strong>
                {a.source ? ` (${labelOf(ANSWER_SOURCE_LABELS, a.source, lang)})` : ''} — {item ? item.text[lang] : a.item}
              </li>
            );
          })}
        </ul>
      ) : null}
      {assessment.perception ? (
        <p>
          {t('desk.assessment.perception')} {perception ? perception.labels[lang] : assessment.perception}
        </p>
      ) : null}
      {assessment.override ? (
        <p>
          {t('desk.assessment.override', { level: levelName(lang, instrument, assessment.override.level) })} <span class="prewrap">{assessment.override.reason}</span>
        </p>
      ) : null}
    </details>
  );
}
