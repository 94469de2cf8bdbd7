/**
 * A reply to the sender's inbox, under the protocol the alert came under, as
 * far as that protocol allows the reverse direction: its message types, its
 * legal bases (a consent this agency recorded that names the sender's
 * agency, apprehended danger with its four attestations, or the legal
 * obligation it names), and the data categories each allows. The shared
 * disclosure decision runs here before anything is sent, so a refusal the
 * client can foresee is shown in words first.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { decideDisclosure, type ConsentFacts } from '../../../../../protocol/disclosure.js';
import { endpointMatches, type Flow, type ProtocolDocument } from '../../../../../protocol/protocol-document.js';
import type { LegalBasis, MessageType } from '../../../../../protocol/schemas.js';
import { DANGER_CONDITIONS, DANGER_REASONS, MESSAGE_TYPE_URGENCY, REFUSAL_LABELS, labelOf, type Urgency } from '../../../../../protocol/vocabulary.js';
import type { ConsentView } from '../../../../sdk/protocols.js';
import type { OpenedMessage } from '../../../../sdk/client.js';
import { errorText } from '../../lib/errors.js';
import { INSTRUMENTS } from '../../lib/instruments.js';
import { useLang } from '../../lib/lang.js';
import type { MemberSession } from '../../lib/session.js';
import { basisLabel, categoryLabel, purposeLabel, reasonLabel } from '../../lib/vocabulary.js';
import { formatTime } from '../../lib/time.js';
import { TypeAndUrgency } from '../shared/message-fields.js';

type BasisCode = LegalBasis['code'];
const CONDITIONS = Object.keys(DANGER_CONDITIONS) as (keyof typeof DANGER_CONDITIONS)[];

/** The protocol's flows from this desk back to the sender's inbox. */
export function replyFlows(doc: ProtocolDocument, from: { inbox: string; agency: string }, to: { inbox: string; agency: string }): Flow[] {
  const kindOf = (agency: string) => doc.parties.find((p) => p.agency === agency)?.kind;
  const me = { ...from, kind: kindOf(from.agency) ?? '' };
  const them = { ...to, kind: kindOf(to.agency) ?? '' };
  return doc.flows.filter((f) => endpointMatches(f.from, me, doc.parties) && endpointMatches(f.to, them, doc.parties));
}

const union = <T,>(lists: readonly (readonly T[])[]) => [...new Set(lists.flat())];

export function Reply({ member, message, protocol, toName }: { member: MemberSession; message: OpenedMessage; protocol: ProtocolDocument | null; toName: string }) {
  const { t, lang } = useLang();
  const h = message.header;
  const from = { inbox: message.inbox, agency: member.keys.agency };
  const to = { inbox: h.sender.inbox, agency: h.sender.agency };
  const flows = useMemo(() => (protocol ? replyFlows(protocol, from, to) : []), [protocol]);
  const types = union(flows.map((f) => f.messageTypes)) as MessageType[];
  const [type, setType] = useState<MessageType | ''>(types.includes('note') ? 'note' : (types[0] ?? ''));
  const typeFlows = flows.filter((f) => type && f.messageTypes.includes(type));
  const bases = union(typeFlows.map((f) => Object.keys(f.legalBases))) as BasisCode[];
  const [basis, setBasis] = useState<BasisCode | ''>('');
  const [urgency, setUrgency] = useState<Urgency>('routine');
  const [consents, setConsents] = useState<ConsentView[] | null>(null);
  const [consentId, setConsentId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [attested, setAttested] = useState<Record<string, boolean>>({});
  const [reason, setReason] = useState('');
  const [directive, setDirective] = useState('');
  const [reference, setReference] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ id: string; acceptedAt: string } | null>(null);

  useEffect(() => {
    if (type) setUrgency(MESSAGE_TYPE_URGENCY[type].default);
    setBasis((b) => (b && bases.includes(b) ? b : (bases[0] ?? '')));
  }, [type, bases.join(',')]);
  useEffect(() => {
    if (basis !== 'consent' || consents) return;
    void member.client.consents({ state: 'active' }).then(
      (all) => setConsents(all.filter((c) => c.recipients.includes(to.agency))),
      (err) => setError(errorText(lang, err)),
    );
  }, [basis]);

  const consent = consents?.find((c) => c.id === consentId) ?? null;
  const purposes = union(typeFlows.map((f) => f.legalBases.consent?.purposes ?? [])).filter((p) => !consent || consent.purposes.includes(p));
  const references = union(typeFlows.map((f) => f.legalBases.legal_obligation?.references ?? []));
  const allowedCategories = union(
    typeFlows.map((f) => (basis === 'apprehended_danger' ? (f.legalBases.apprehended_danger?.dataCategories ?? []) : f.dataCategories)),
  ).filter((c) => basis !== 'consent' || !consent || consent.dataCategories.includes(c));

  const legalBasis: LegalBasis | null =
    basis === 'consent' && consent
      ? { code: 'consent', case: consent.case, consent: consent.id, ...(purpose ? { purpose } : {}) }
      : basis === 'apprehended_danger'
        ? {
            code: 'apprehended_danger',
            attestation: Object.fromEntries(CONDITIONS.map((c) => [c, attested[c] === true])) as NonNullable<LegalBasis['attestation']>,
            ...(reason ? { reason } : {}),
            ...(directive.trim() ? { reference: directive.trim() } : {}),
          }
        : basis === 'legal_obligation' && reference
          ? { code: 'legal_obligation', reference }
          : null;

  // The same decision the hub makes, on what this device knows.
  const decision =
    protocol && type && legalBasis
      ? decideDisclosure({
          header: { type, urgency, dataCategories: categories, protocol: { id: protocol.id, version: protocol.version }, legalBasis },
          protocol,
          status: 'active',
          sender: { ...from, kind: protocol.parties.find((p) => p.agency === from.agency)?.kind ?? '' },
          recipients: [{ ...to, kind: protocol.parties.find((p) => p.agency === to.agency)?.kind ?? '' }],
          consents: (consents ?? []).map(
            (c): ConsentFacts => ({
              id: c.id,
              caseRef: c.case,
              recipients: c.recipients,
              purposes: c.purposes,
              dataCategories: c.dataCategories,
              validFrom: new Date(c.validFrom),
              validUntil: c.validUntil ? new Date(c.validUntil) : null,
              revokedAt: c.revokedAt ? new Date(c.revokedAt) : null,
            }),
          ),
          instrumentLevels: (id, version) => INSTRUMENTS.find((i) => i.id === id && i.version === version)?.levels.map((l) => l.id) ?? null,
          now: new Date(),
        })
      : null;
  const refusal = decision && !decision.allowed ? decision : null;
  const ready = !!decision?.allowed && text.trim().length > 0;

  async function submit(e: Event) {
    e.preventDefault();
    if (!ready || !type || !legalBasis || !protocol) return;
    setBusy(true);
    setError(null);
    try {
      const res = await member.client.send({
        type,
        urgency,
        recipients: [to.inbox],
        fromInbox: from.inbox,
        content: { text: text.trim() },
        dataCategories: categories,
        protocol: { id: protocol.id, version: protocol.version },
        legalBasis,
        replyTo: h.id,
      });
      setSent({ id: res.id, acceptedAt: res.acceptedAt });
      setText('');
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(false);
    }
  }

  const toggle = (list: string[], item: string, on: boolean) => (on ? [...new Set([...list, item])] : list.filter((x) => x !== item));

  return (
    <section aria-labelledby="reply-title" data-testid="reply">
      <h2 id="reply-title">{t('desk.reply.title')}</h2>
      {!member.roles.includes('sender') ? (
        <p>{t('desk.reply.noRole')}</p>
      ) : !protocol || types.length === 0 ? (
        <p>{t('desk.reply.notAllowed')}</p>
      ) : (
        <details>
          <summary>{t('desk.reply.open', { inbox: toName })}</summary>
          <form onSubmit={submit}>
            <TypeAndUrgency
              types={types}
              type={type || undefined}
              urgency={urgency}
              onType={setType}
              onUrgency={setUrgency}
              labels={{ type: t('desk.reply.type'), urgency: t('desk.reply.urgency') }}
              names={{ type: 'reply-type', urgency: 'reply-urgency' }}
            />
            <fieldset>
              <legend>{t('desk.reply.basis')}</legend>
              {bases.map((b) => (
                <label key={b}>
                  <input type="radio" name="reply-basis" value={b} checked={basis === b} onChange={() => setBasis(b)} />
                  {basisLabel(lang, b)}
                </label>
              ))}
            </fieldset>
            {basis === 'consent' ? (
              consents === null ? (
                <p aria-busy="true">{t('desk.reply.consentsLoading')}</p>
              ) : consents.length === 0 ? (
                <p class="warning-box">{t('desk.reply.noConsent', { agency: toName })}</p>
              ) : (
                <>
                  <label>
                    {t('desk.reply.consent')}
                    <select name="reply-consent" value={consentId} onChange={(e) => setConsentId(e.currentTarget.value)}>
                      <option value="">{t('desk.reply.choose')}</option>
                      {consents.map((c) => (
                        <option key={c.id} value={c.id}>
                          {t('desk.reply.consentOption', { case: c.case, until: c.validUntil ? formatTime(lang, c.validUntil) : t('desk.reply.noEnd') })}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('desk.reply.purpose')}
                    <select name="reply-purpose" value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)}>
                      <option value="">{t('desk.reply.choose')}</option>
                      {purposes.map((p) => (
                        <option key={p} value={p}>
                          {purposeLabel(lang, p)}
                        </option>
                      ))}
                    </select>
                  </label>
                </>
              )
            ) : null}
            {basis === 'apprehended_danger' ? (
              <fieldset>
                <legend>{t('desk.reply.attest')}</legend>
                {CONDITIONS.map((c) => (
                  <label key={c}>
                    <input type="checkbox" name={`reply-attest-${c}`} checked={attested[c] === true} onChange={(e) => setAttested({ ...attested, [c]: e.currentTarget.checked })} />
                    {DANGER_CONDITIONS[c][lang]}
                  </label>
                ))}
                <label>
                  {t('desk.reply.reason')}
                  <select name="reply-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
                    <option value="">{t('desk.reply.choose')}</option>
                    {Object.keys(DANGER_REASONS).map((r) => (
                      <option key={r} value={r}>
                        {reasonLabel(lang, r)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('desk.reply.directive')}
                  <input name="reply-directive" value={directive} onInput={(e) => setDirective(e.currentTarget.value)} />
                </label>
              </fieldset>
            ) : null}
            {basis === 'legal_obligation' ? (
              <label>
                {t('desk.reply.reference')}
                <select name="reply-reference" value={reference} onChange={(e) => setReference(e.currentTarget.value)}>
                  <option value="">{t('desk.reply.choose')}</option>
                  {references.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <fieldset>
              <legend>{t('desk.reply.categories')}</legend>
              {allowedCategories.map((c) => (
                <label key={c}>
                  <input type="checkbox" name={`reply-category-${c}`} checked={categories.includes(c)} onChange={(e) => setCategories(toggle(categories, c, e.currentTarget.checked))} />
                  {categoryLabel(lang, c)}
                </label>
              ))}
            </fieldset>
            <label>
              {t('desk.reply.text')}
              <textarea name="reply-text" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} />
            </label>
            {refusal ? (
              <p class="warning-box" role="status" data-testid="reply-refusal">
                <span aria-hidden="true">⚠ </span>
                {labelOf(REFUSAL_LABELS, refusal.code, lang)}
              </p>
            ) : null}
            {error ? (
              <p role="alert" class="alert-banner">
                {error}
              </p>
            ) : null}
            <button type="submit" data-testid="send-reply" disabled={!ready || busy} aria-busy={busy}>
              {t('desk.reply.send', { inbox: toName })}
            </button>
          </form>
        </details>
      )}
      {sent ? (
        <p class="state ok" role="status" data-testid="reply-sent">
          <span aria-hidden="true">✔</span> {t('desk.reply.sent', { time: formatTime(lang, sent.acceptedAt) })}
        </p>
      ) : null}
    </section>
  );
}
