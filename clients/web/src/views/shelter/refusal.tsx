/**
 * A refusal in words, with what to do: the one this device knows before
 * sending (the hub's own decision, run here), or the hub's answer. The
 * refusal is said in the shared words (REFUSAL_LABELS); what to do comes from
 * protocol/refusal-advice.ts — the same for every client.
 */
import { refusalAdvice } from '../../../../../protocol/refusal-advice.js';
import { REFUSAL_LABELS, labelOf } from '../../../../../protocol/vocabulary.js';
import { AssessmentRefusedError } from '../../../../sdk/client.js';
import { VigieApiError } from '../../../../sdk/http.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';

/** A refusal known before sending: nothing was signed or sent. */
export function PreSendRefusal({ code }: { code: string }) {
  const { t, lang } = useLang();
  const advice = refusalAdvice(code);
  return (
    <article class="refusal" data-testid="presend-refusal" data-code={code}>
      <h3>
        <span aria-hidden="true">⛔</span> {t('shelter.refusal.before')}
      </h3>
      <p>
        <strong>{labelOf(REFUSAL_LABELS, code, lang)}</strong>
      </p>
      {advice ? (
        <p>
          {t('shelter.refusal.todo')} {advice[lang]}
        </p>
      ) : null}
      <p>
        <small>{t('shelter.refusal.nothingSent')}</small>
      </p>
    </article>
  );
}

/** Any failure of a request: the hub's refusal in its words (in the person's language) and what to do, or what else happened. */
export function RefusalAdvice({ error }: { error: unknown }) {
  const { t, lang } = useLang();
  if (error instanceof VigieApiError) {
    const advice = refusalAdvice(error.code);
    return (
      <article class="refusal" role="alert" data-testid="hub-refusal" data-code={error.code}>
        <h3>
          <span aria-hidden="true">⛔</span> {t('shelter.refusal.hub')}
        </h3>
        <p>
          <strong>{error.message}</strong>
        </p>
        {advice ? (
          <p>
            {t('shelter.refusal.todo')} {advice[lang]}
          </p>
        ) : null}
      </article>
    );
  }
  if (error instanceof AssessmentRefusedError) {
    return (
      <p role="alert" class="refusal">
        {t('shelter.assessment.notScored')}
      </p>
    );
  }
  return (
    <p role="alert" class="refusal">
      {errorText(lang, error)}
    </p>
  );
}
