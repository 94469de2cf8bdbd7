/**
 * Writing a message for a case under a protocol in force: the recipient desks
 * the protocol allows, the message type and its urgency, the legal basis (a
 * consent of this case; apprehended danger, each condition attested; or the
 * legal obligation the protocol names), the categories of information, an
 * optional risk assessment, and the text. The hub's own decision runs here
 * before anything is signed: a refusal the device can know is shown, with
 * what to do, and nothing is sent.
 */
import { useState } from 'preact/hooks';
import type { Endpoint } from '../../../../../protocol/protocol-document.js';
import { LEGAL_BASES, type LegalBasis, type LegalBasisCode, type MessageType } from '../../../../../protocol/schemas.js';
import { DATA_CATEGORIES, LEGAL_BASIS_LABELS, MESSAGE_TYPE_URGENCY, labelOf, type DangerCondition } from '../../../../../protocol/vocabulary.js';
import { allowedChoices, allowedTypes, prepareSendCheck } from '../../../../sdk/precheck.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { INSTRUMENTS } from '../../lib/instruments.js';
import { go } from '../../lib/router.js';
import type { MemberSession } from '../../lib/session.js';
import { TypeAndUrgency, urgenciesFor } from '../shared/message-fields.js';
import { caseHref } from './cases.js';
import { agencies, desksOf, protocolsInForce, useInboxNames, type InForce } from './data.js';
import { InstrumentForm, type FilledAssessment } from './instrument-form.js';
import { PreSendRefusal, RefusalAdvice } from './refusal.js';
import { ApprehendedDanger, ConsentBasis, LegalObligation, NO_ATTESTATION } from './legal-basis.js';
import { directiveCode, rememberMessage } from './store.js';

const keyOf = (p: InForce) => `${p.ref.id}@${p.ref.version}`;

interface Desk {
  inbox: string;
  label: string;
}

/** The desks an endpoint designates: one inbox, or every desk of the partner agencies of a kind. */
async function desksFor(member: MemberSession, p: InForce, endpoints: Endpoint[], lang: 'fr' | 'en'): Promise<Desk[]> {
  const names = await agencies(member.client).catch(() => []);
  const out: Desk[] = [];
  for (const e of endpoints) {
    if ('inbox' in e) {
      out.push({ inbox: e.inbox, label: e.inbox });
      continue;
    }
    for (const party of p.doc.parties.filter((x) => x.kind === e.kind)) {
      const agencyName = names.find((a) => a.id === party.agency)?.names[lang] ?? party.agency;
      for (const d of await desksOf(member.client, party.agency)) {
        if (!out.some((o) => o.inbox === d.inbox)) out.push({ inbox: d.inbox, label: `${agencyName} — ${d.names[lang]}` });
      }
    }
  }
  return out.filter((d) => !member.inboxes.includes(d.inbox));
}

export function Compose({ member, caseRef }: { member: MemberSession; caseRef: string }) {
  const { t, lang } = useLang();
  const client = member.client;
  const inForce = useLoad(() => protocolsInForce(client), [client]);
  const consents = useLoad(() => client.consents({ case: caseRef }), [client, caseRef]);
  const [fromInbox, setFromInbox] = useState(member.inboxes[0] ?? '');
  const [protocolKey, setProtocolKey] = useState('');
  const [typeAsked, setType] = useState('');
  const [recipients, setRecipients] = useState<string[]>([]);
  const [urgencyAsked, setUrgency] = useState('');
  const [basisAsked, setBasis] = useState('');
  const [consentAsked, setConsent] = useState('');
  const [purposeAsked, setPurpose] = useState('');
  const [attestation, setAttestation] = useState<Record<DangerCondition, boolean>>(NO_ATTESTATION);
  const [reason, setReason] = useState('');
  const [directive, setDirective] = useState(directiveCode.load(member.keys.member));
  const [referenceAsked, setReference] = useState('');
  const [categoriesAsked, setCategories] = useState<string[]>([]);
  const [instrumentKey, setInstrumentKey] = useState('');
  const [filled, setFilled] = useState<FilledAssessment | null>(null);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);

  // Each choice falls back to what the protocol allows: a stale choice is never sent.
  const usable = (inForce.data ?? []).filter((p) => allowedTypes(p.doc, fromInbox).length > 0);
  const chosen = usable.find((p) => keyOf(p) === protocolKey) ?? usable[0];
  const types = chosen ? allowedTypes(chosen.doc, fromInbox) : [];
  const type = (types.includes(typeAsked as MessageType) ? typeAsked : types.includes('danger_alert') ? 'danger_alert' : types[0]) as MessageType | undefined;
  const choice = chosen && type ? allowedChoices(chosen.doc, fromInbox, type) : null;
  const desks = useLoad(async () => (chosen && choice ? desksFor(member, chosen, choice.recipients, lang) : []), [chosen ? keyOf(chosen) : '', type, fromInbox, lang]);
  const to = recipients.filter((r) => desks.data?.some((d) => d.inbox === r));
  const urgencies = urgenciesFor(type);
  const urgency = urgencies.find((u) => u === urgencyAsked) ?? (type ? MESSAGE_TYPE_URGENCY[type].default : undefined);
  const bases = LEGAL_BASES.filter((b) => choice?.legalBases[b]);
  const active = (consents.data ?? []).filter((c) => c.state === 'active');
  const basis = (bases.find((b) => b === basisAsked) ??
    (bases.includes('consent') && active.length > 0 ? 'consent' : bases.includes('apprehended_danger') ? 'apprehended_danger' : bases[0])) as LegalBasisCode | undefined;
  const rule = basis ? choice?.legalBases[basis] : undefined;
  const consent = active.find((c) => c.id === consentAsked) ?? active[0];
  const purposes = (rule?.purposes ?? []).filter((p) => !consent || consent.purposes.includes(p));
  const purpose = purposes.find((p) => p === purposeAsked) ?? purposes[0] ?? rule?.purposes[0];
  const reference = rule?.references.find((r) => r === referenceAsked) ?? rule?.references[0];
  const offeredCategories = rule?.dataCategories ?? [];
  const categories = categoriesAsked.filter((c) => offeredCategories.includes(c));
  const instrument = INSTRUMENTS.find((i) => `${i.id}@${i.version}` === instrumentKey) ?? null;
  const check = useLoad(() => (chosen ? prepareSendCheck(client, chosen.ref, caseRef) : Promise.resolve(null)), [chosen ? keyOf(chosen) : '', caseRef]);
  const escalationNames = useInboxNames(client, lang, choice?.acknowledgement?.escalation.flatMap((s) => s.inboxes) ?? []);

  const legalBasis: LegalBasis | undefined =
    basis === 'consent'
      ? { code: 'consent', case: caseRef, ...(purpose ? { purpose } : {}), ...(consent ? { consent: consent.id } : {}) }
      : basis === 'apprehended_danger'
        ? { code: 'apprehended_danger', attestation, ...(reason ? { reason } : {}), ...(directive.trim() ? { reference: directive.trim() } : {}) }
        : basis === 'legal_obligation'
          ? { code: 'legal_obligation', ...(reference ? { reference } : {}) }
          : undefined;

  const problems: string[] = [];
  if (to.length === 0) problems.push(t('shelter.compose.needRecipient'));
  if (instrument && !filled) problems.push(t('shelter.compose.assessmentIncomplete'));
  if (!text.trim()) problems.push(t('shelter.compose.needText'));
  const decision =
    check.data && type && to.length > 0
      ? check.data.decide({ type, ...(urgency ? { urgency } : {}), fromInbox, recipients: to, dataCategories: categories, ...(legalBasis ? { legalBasis } : {}), assessment: instrument ? (filled?.ref ?? null) : null })
      : null;
  const refused = decision && !decision.allowed ? decision.code : null;
  const ready = !!chosen && !!type && !!legalBasis && problems.length === 0 && decision?.allowed === true;

  async function send(e: Event) {
    e.preventDefault();
    if (!ready || !chosen || !type || !legalBasis) return;
    setSending(true);
    setSendError(null);
    try {
      const sent = await client.send({
        type,
        ...(urgency ? { urgency } : {}),
        fromInbox,
        recipients: to,
        content: { text: text.trim() },
        dataCategories: categories,
        protocol: chosen.ref,
        legalBasis,
        ...(instrument && filled ? { assessment: filled.assessment } : {}),
      });
      rememberMessage(member.keys.member, caseRef, sent.id, sent.acceptedAt);
      if (basis === 'apprehended_danger') directiveCode.save(member.keys.member, directive.trim());
      go(`shelter/case/${encodeURIComponent(caseRef)}/message/${sent.id}`);
    } catch (err) {
      setSendError(err);
      setSending(false);
    }
  }

  if (inForce.error) return <RefusalAdvice error={inForce.error} />;
  if (!inForce.data) return <p aria-busy="true">{t('common.loading')}</p>;

  return (
    <article>
      <p>
        <a href={caseHref(caseRef)}>{t('shelter.backToCase', { case: caseRef })}</a>
      </p>
      <h1>{t('shelter.compose.title', { case: caseRef })}</h1>
      {!chosen ? (
        <p role="alert" class="refusal">
          {t('shelter.compose.noProtocol')}
        </p>
      ) : (
        <form onSubmit={send}>
          <section aria-labelledby="compose-route">
            <h2 id="compose-route">{t('shelter.compose.route')}</h2>
            {member.inboxes.length > 1 ? (
              <label>
                {t('shelter.compose.from')}
                <select name="from" value={fromInbox} onChange={(e) => setFromInbox(e.currentTarget.value)}>
                  {member.inboxes.map((i) => (
                    <option key={i} value={i}>
                      {i}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              {t('shelter.compose.protocol')}
              <select name="protocol" value={keyOf(chosen)} onChange={(e) => setProtocolKey(e.currentTarget.value)}>
                {usable.map((p) => (
                  <option key={keyOf(p)} value={keyOf(p)}>
                    {t('shelter.compose.protocolOption', { title: p.doc.titles[lang], version: p.ref.version })}
                  </option>
                ))}
              </select>
            </label>
            <div class="grid">
              <TypeAndUrgency
                types={types}
                type={type}
                urgency={urgency}
                onType={setType}
                onUrgency={setUrgency}
                labels={{ type: t('shelter.compose.type'), urgency: t('shelter.compose.urgency') }}
              />
            </div>
            <fieldset>
              <legend>{t('shelter.compose.recipients')}</legend>
              {desks.data === undefined ? <p aria-busy="true">{t('common.loading')}</p> : null}
              {(desks.data ?? []).map((d) => (
                <label key={d.inbox}>
                  <input
                    type="checkbox"
                    name="recipient"
                    value={d.inbox}
                    checked={to.includes(d.inbox)}
                    onChange={(e) => setRecipients(e.currentTarget.checked ? [...to, d.inbox] : to.filter((r) => r !== d.inbox))}
                  />
                  {d.label} <span class="muted">({d.inbox})</span>
                </label>
              ))}
            </fieldset>
            {choice?.acknowledgement ? (
              <p data-testid="ack-rule">
                {t('shelter.compose.ackRule', {
                  minutes: Math.max(1, Math.round(choice.acknowledgement.deadlineSeconds / 60)),
                  then: choice.acknowledgement.escalation.flatMap((s) => s.inboxes.map((i) => escalationNames[i] ?? i)).join(', ') || '—',
                })}
              </p>
            ) : null}
          </section>

          <section aria-labelledby="compose-basis">
            <h2 id="compose-basis">{t('shelter.compose.basis')}</h2>
            <fieldset>
              <legend>{t('shelter.compose.basisChoice')}</legend>
              {bases.map((b) => (
                <label key={b}>
                  <input type="radio" name="legal-basis" value={b} checked={basis === b} onChange={() => setBasis(b)} />
                  {labelOf(LEGAL_BASIS_LABELS, b, lang)}
                </label>
              ))}
            </fieldset>
            {basis === 'consent' ? (
              <ConsentBasis caseRef={caseRef} consents={active} consent={consent?.id ?? ''} onConsent={setConsent} purposes={purposes} purpose={purpose ?? ''} onPurpose={setPurpose} />
            ) : null}
            {basis === 'apprehended_danger' ? (
              <ApprehendedDanger attestation={attestation} onAttestation={setAttestation} reason={reason} onReason={setReason} directive={directive} onDirective={setDirective} />
            ) : null}
            {basis === 'legal_obligation' ? <LegalObligation references={rule?.references ?? []} reference={reference ?? ''} onReference={setReference} /> : null}
          </section>

          <section aria-labelledby="compose-categories">
            <h2 id="compose-categories">{t('shelter.compose.categories')}</h2>
            <fieldset>
              <legend>{basis === 'apprehended_danger' ? t('shelter.compose.categoriesMinimum') : t('shelter.compose.categoriesLegend')}</legend>
              {offeredCategories.map((c) => (
                <label key={c}>
                  <input type="checkbox" name="category" value={c} checked={categories.includes(c)} onChange={(e) => setCategories(e.currentTarget.checked ? [...categories, c] : categories.filter((x) => x !== c))} />
                  {labelOf(DATA_CATEGORIES, c, lang)}
                </label>
              ))}
            </fieldset>
          </section>

          <section aria-labelledby="compose-assessment">
            <h2 id="compose-assessment">{t('shelter.compose.assessment')}</h2>
            {choice?.requiredAssessment ? <p>{t('shelter.compose.assessmentRequired', { instrument: INSTRUMENTS.find((i) => i.id === choice.requiredAssessment!.instrument)?.titles[lang] ?? choice.requiredAssessment.instrument })}</p> : null}
            <label>
              {t('shelter.compose.instrument')}
              <select
                name="instrument"
                value={instrumentKey}
                onChange={(e) => {
                  const next = e.currentTarget.value;
                  if (next === instrumentKey) return;
                  setInstrumentKey(next);
                  setFilled(null);
                }}
              >
                <option value="">{t('shelter.compose.noAssessment')}</option>
                {INSTRUMENTS.map((i) => (
                  <option key={`${i.id}@${i.version}`} value={`${i.id}@${i.version}`}>
                    {i.titles[lang]}
                  </option>
                ))}
              </select>
            </label>
            {instrument ? <InstrumentForm key={instrumentKey} instrument={instrument} onChange={setFilled} /> : null}
          </section>

          <section aria-labelledby="compose-text">
            <h2 id="compose-text">{t('shelter.compose.text')}</h2>
            <label>
              {t('shelter.compose.textLabel')}
              <textarea name="text" rows={5} required value={text} aria-describedby="text-help" onInput={(e) => setText(e.currentTarget.value)} />
              <small id="text-help">{t('shelter.compose.textHelp')}</small>
            </label>
          </section>

          <section aria-labelledby="compose-check" aria-live="polite" id="compose-problems">
            <h2 id="compose-check">{t('shelter.compose.check')}</h2>
            {problems.length > 0 ? (
              <ul data-testid="compose-problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
            {refused ? <PreSendRefusal code={refused} /> : null}
            {instrument && filled ? (
              <p data-testid="compose-assessment">
                {t('shelter.compose.assessmentAttached', { instrument: instrument.titles[lang], level: instrument.levels.find((l) => l.id === filled.ref.level)?.labels[lang] ?? filled.ref.level })}
              </p>
            ) : null}
            {ready ? <p data-testid="compose-ready">{t('shelter.compose.ready')}</p> : null}
          </section>
          {sendError ? <RefusalAdvice error={sendError} /> : null}
          <button type="submit" name="send" disabled={!ready || sending} aria-busy={sending} aria-describedby="compose-problems">
            {type === 'danger_alert' ? t('shelter.compose.sendAlert') : t('shelter.compose.send')}
          </button>
        </form>
      )}
    </article>
  );
}
