/**
 * Recording the victim's consent for a case: the partner agencies it names,
 * the purposes and the categories of information it covers, its period, and
 * the signed form — which stays here: only its SHA-256 fingerprint, computed
 * in this browser, goes to the hub.
 */
import { useState } from 'preact/hooks';
import { toB64u } from '../../../../../protocol/encoding.js';
import { randomUuid } from '../../../../../protocol/uuid.js';
import { DATA_CATEGORIES, PURPOSES } from '../../../../../protocol/vocabulary.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { go } from '../../lib/router.js';
import { useOpen, type MemberSession } from '../../lib/session.js';
import { caseHref } from './cases.js';
import { agencies, agencyLabel, protocolsInForce } from './data.js';
import { rememberCase } from './store.js';
import { RefusalAdvice } from './refusal.js';

/** A date typed in a date field, as the first (or, for an end, the last) instant of that local day. */
function dayInstant(day: string, end: boolean): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  return new Date(end ? new Date(y, mo, d + 1).getTime() - 1 : new Date(y, mo, d).getTime()).toISOString();
}
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function Checkboxes({ name, legend, options, chosen, onChange }: { name: string; legend: string; options: [string, string][]; chosen: string[]; onChange(v: string[]): void }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map(([value, label]) => (
        <label key={value}>
          <input type="checkbox" name={name} value={value} checked={chosen.includes(value)} onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, value] : chosen.filter((c) => c !== value))} />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

export function ConsentForm({ member, caseRef }: { member: MemberSession; caseRef: string }) {
  const { t, lang } = useLang();
  const { crypto } = useOpen();
  const client = member.client;
  const all = useLoad(() => agencies(client), [client]);
  const inForce = useLoad(() => protocolsInForce(client), [client]);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [purposes, setPurposes] = useState<string[]>([]);
  const [categories, setCategories] = useState<string[]>([]);
  const [from, setFrom] = useState(today());
  const [until, setUntil] = useState('');
  const [evidence, setEvidence] = useState<{ name: string; hash: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // Partners first: the agencies this agency shares a protocol in force with.
  const partners = new Set((inForce.data ?? []).flatMap((p) => p.doc.parties.map((x) => x.agency)).filter((a) => a !== client.agency));
  const others = (all.data ?? []).map((a) => a.id).filter((a) => a !== client.agency && !partners.has(a));
  const agencyOptions: [string, string][] = [...partners, ...others].map((a) => [a, agencyLabel(all.data, lang, a)]);

  async function pick(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return setEvidence(null);
    const bytes = new Uint8Array(await file.arrayBuffer());
    setEvidence({ name: file.name, hash: toB64u(crypto.sha256(bytes)) });
  }

  const validFrom = from === today() ? undefined : dayInstant(from, false);
  const validUntil = until ? dayInstant(until, true) : undefined;
  const periodWrong = validUntil !== undefined && validUntil <= (validFrom ?? new Date().toISOString());
  const ready = recipients.length > 0 && purposes.length > 0 && categories.length > 0 && evidence !== null && !periodWrong;

  async function submit(e: Event) {
    e.preventDefault();
    if (!ready || !evidence) return;
    setBusy(true);
    setError(null);
    try {
      await client.recordConsent({
        id: randomUuid(crypto),
        case: caseRef,
        recipients,
        purposes,
        dataCategories: categories,
        ...(validFrom ? { validFrom } : {}),
        ...(validUntil ? { validUntil } : {}),
        evidenceHash: evidence.hash,
      });
      rememberCase(member.keys.member, caseRef);
      go(`shelter/case/${encodeURIComponent(caseRef)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <article>
      <p>
        <a href={caseHref(caseRef)}>{t('shelter.backToCase', { case: caseRef })}</a>
      </p>
      <h1>{t('shelter.consentForm.title', { case: caseRef })}</h1>
      <p>{t('shelter.consentForm.intro')}</p>
      <form onSubmit={submit}>
        {all.data === undefined && !all.error ? <p aria-busy="true">{t('common.loading')}</p> : null}
        <Checkboxes name="recipient" legend={t('shelter.consentForm.recipients')} options={agencyOptions} chosen={recipients} onChange={setRecipients} />
        <Checkboxes name="purpose" legend={t('shelter.consentForm.purposes')} options={Object.entries(PURPOSES).map(([k, v]) => [k, v[lang]])} chosen={purposes} onChange={setPurposes} />
        <Checkboxes name="category" legend={t('shelter.consentForm.categories')} options={Object.entries(DATA_CATEGORIES).map(([k, v]) => [k, v[lang]])} chosen={categories} onChange={setCategories} />
        <fieldset>
          <legend>{t('shelter.consentForm.period')}</legend>
          <div class="grid">
            <label>
              {t('shelter.consentForm.from')}
              <input type="date" name="valid-from" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
            </label>
            <label>
              {t('shelter.consentForm.until')}
              <input type="date" name="valid-until" value={until} aria-invalid={periodWrong ? 'true' : undefined} aria-describedby="until-help" onInput={(e) => setUntil(e.currentTarget.value)} />
              <small id="until-help">{periodWrong ? t('shelter.consentForm.periodWrong') : t('shelter.consentForm.untilHelp')}</small>
            </label>
          </div>
        </fieldset>
        <label>
          {t('shelter.consentForm.evidence')}
          <input type="file" name="evidence" required aria-describedby="evidence-help" onChange={(e) => void pick(e)} />
          <small id="evidence-help">{t('shelter.consentForm.evidenceHelp')}</small>
        </label>
        {evidence ? (
          <p data-testid="evidence-hash">
            {t('shelter.consentForm.evidenceHash', { name: evidence.name })} <code>{evidence.hash}</code>
          </p>
        ) : null}
        {error ? <RefusalAdvice error={error} /> : null}
        <button type="submit" name="record-consent" disabled={!ready || busy} aria-busy={busy}>
          {t('shelter.consentForm.submit')}
        </button>
      </form>
    </article>
  );
}
