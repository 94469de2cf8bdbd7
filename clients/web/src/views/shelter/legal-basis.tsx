/**
 * The three legal bases, each as a person chooses it: a consent of this case
 * and its purpose; apprehended danger — each of the four conditions an
 * explicit checkbox with its plain meaning, the reason, the agency's internal
 * directive; or the legal obligation the protocol names.
 */
import { DANGER_CONDITION_MEANINGS } from '../../../../../protocol/apprehended-danger.js';
import { DIRECTIVE_CODE_PATTERN } from '../../../../../protocol/schemas.js';
import { DANGER_CONDITIONS, DANGER_REASONS, PURPOSES, labelOf, type DangerCondition } from '../../../../../protocol/vocabulary.js';
import type { ConsentView } from '../../../../sdk/protocols.js';
import { useLang } from '../../lib/lang.js';
import { caseHref } from './cases.js';
import { formatTime } from '../../lib/time.js';

export const NO_ATTESTATION: Record<DangerCondition, boolean> = { reasonableCause: false, seriousRisk: false, identifiablePerson: false, urgency: false };
const CONDITIONS = Object.keys(DANGER_CONDITIONS) as DangerCondition[];
const DIRECTIVE = new RegExp(DIRECTIVE_CODE_PATTERN);

export function ConsentBasis(props: {
  caseRef: string;
  consents: ConsentView[];
  consent: string;
  onConsent(id: string): void;
  purposes: string[];
  purpose: string;
  onPurpose(p: string): void;
}) {
  const { t, lang } = useLang();
  if (props.consents.length === 0) {
    return (
      <p data-testid="no-consent-in-force">
        {t('shelter.basis.noConsent')} <a href={caseHref(props.caseRef, 'consent')}>{t('shelter.case.recordConsent')}</a>
      </p>
    );
  }
  return (
    <div class="grid">
      <label>
        {t('shelter.basis.consent')}
        <select name="consent" value={props.consent} onChange={(e) => props.onConsent(e.currentTarget.value)}>
          {props.consents.map((c) => (
            <option key={c.id} value={c.id}>
              {t('shelter.basis.consentOption', { recorded: formatTime(lang, c.recordedAt), until: c.validUntil ? formatTime(lang, c.validUntil) : '—' })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('shelter.basis.purpose')}
        <select name="purpose" value={props.purpose} onChange={(e) => props.onPurpose(e.currentTarget.value)}>
          {props.purposes.map((p) => (
            <option key={p} value={p}>
              {labelOf(PURPOSES, p, lang)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function ApprehendedDanger(props: {
  attestation: Record<DangerCondition, boolean>;
  onAttestation(a: Record<DangerCondition, boolean>): void;
  reason: string;
  onReason(r: string): void;
  directive: string;
  onDirective(d: string): void;
}) {
  const { t, lang } = useLang();
  const directiveWrong = props.directive.trim() !== '' && !DIRECTIVE.test(props.directive.trim());
  return (
    <>
      <fieldset class="attestation">
        <legend>{t('shelter.basis.attest')}</legend>
        {CONDITIONS.map((c) => (
          <div key={c}>
            <label>
              <input
                type="checkbox"
                name="attest"
                value={c}
                checked={props.attestation[c]}
                aria-describedby={`attest-${c}`}
                onChange={(e) => props.onAttestation({ ...props.attestation, [c]: e.currentTarget.checked })}
              />
              {labelOf(DANGER_CONDITIONS, c, lang)}
            </label>
            <p class="attest-meaning" id={`attest-${c}`}>
              {DANGER_CONDITION_MEANINGS[c][lang]}
            </p>
          </div>
        ))}
      </fieldset>
      <div class="grid">
        <label>
          {t('shelter.basis.reason')}
          <select name="reason" value={props.reason} onChange={(e) => props.onReason(e.currentTarget.value)}>
            <option value="">—</option>
            {Object.keys(DANGER_REASONS).map((r) => (
              <option key={r} value={r}>
                {labelOf(DANGER_REASONS, r, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('shelter.basis.directive')}
          <input
            name="directive"
            autocomplete="off"
            value={props.directive}
            aria-invalid={directiveWrong ? 'true' : undefined}
            aria-describedby="directive-help"
            onInput={(e) => props.onDirective(e.currentTarget.value)}
          />
          <small id="directive-help">{directiveWrong ? t('shelter.basis.directiveWrong') : t('shelter.basis.directiveHelp')}</small>
        </label>
      </div>
    </>
  );
}

export function LegalObligation({ references, reference, onReference }: { references: string[]; reference: string; onReference(r: string): void }) {
  const { t } = useLang();
  return (
    <label>
      {t('shelter.basis.reference')}
      <select name="reference" value={reference} onChange={(e) => onReference(e.currentTarget.value)}>
        {references.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </label>
  );
}
