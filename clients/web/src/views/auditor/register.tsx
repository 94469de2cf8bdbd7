/**
 * The communications register: who disclosed what kind of information to
 * whom, when, on which legal basis — filtered by period, agency (an
 * oversight body's auditors), event, legal basis, type and "without
 * consent", in words, and exported as the hub's CSV (the CLI's, through the
 * same SDK functions). What the hub lets this device read: its own agency's
 * register, or every agency's for an oversight body. Each row's record is
 * checked here against the log entry it claims. Every read is itself a leaf.
 */
import { useEffect, useState } from 'preact/hooks';
import { verifyLeafRecord } from '../../../../../protocol/log/commitment.js';
import { REGISTER_EVENTS, type RegisterFilters, type RegisterRow } from '../../../../../protocol/register.js';
import { LEGAL_BASES, MESSAGE_TYPES } from '../../../../../protocol/schemas.js';
import { dayBound, exportRegisterCsv, readRegister } from '../../../../sdk/register.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { dayAndTime } from '../../lib/time.js';
import { useOpen, type MemberSession } from '../../lib/session.js';
import { basisLabel, categoryLabel, eventLabel, purposeLabel, reasonLabel, refusalLabel, typeLabel } from '../../lib/vocabulary.js';
import type { WordKey } from '../../words/index.js';
import { AgencyListSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES } from '../../../../../protocol/api/routes.js';

interface Agency {
  id: string;
  kind: string;
  names: { fr: string; en: string };
}

/** The form as typed: days of the person's calendar, codes chosen from lists. */
interface Form {
  from: string;
  to: string;
  agency: string;
  event: string;
  legalBasis: string;
  messageType: string;
  withoutConsent: boolean;
}

const EMPTY: Form = { from: '', to: '', agency: '', event: '', legalBasis: '', messageType: '', withoutConsent: false };

/** The filters the hub takes, or the word saying why the period is not one. */
function filtersOf(form: Form): RegisterFilters | WordKey {
  const f: RegisterFilters = {};
  const from = form.from ? dayBound(form.from) : undefined;
  const to = form.to ? dayBound(form.to, true) : undefined;
  if (from === null || to === null) return 'auditor.register.badDay';
  if (from && to && from > to) return 'auditor.register.badPeriod';
  if (from) f.from = from;
  if (to) f.to = to;
  if (form.agency) f.agency = form.agency;
  if (form.event) f.event = form.event as RegisterFilters['event'];
  if (form.legalBasis) f.legalBasis = form.legalBasis as RegisterFilters['legalBasis'];
  if (form.messageType) f.messageType = form.messageType as RegisterFilters['messageType'];
  if (form.withoutConsent) f.withoutConsent = true;
  return f;
}

function download(text: string, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function Register() {
  const { t } = useLang();
  const { member } = useOpen();
  if (!member || !(member.roles.includes('auditor') || member.roles.includes('admin'))) {
    return (
      <article>
        <h1>{t('auditor.register.title')}</h1>
        <p>{t('auditor.register.needsMember')}</p>
      </article>
    );
  }
  return <RegisterOf member={member} />;
}

function RegisterOf({ member }: { member: MemberSession }) {
  const { t, lang } = useLang();
  const sha = (d: Uint8Array) => member.client.crypto.sha256(d);
  const [form, setForm] = useState<Form>(EMPTY);
  const [agencies, setAgencies] = useState<Agency[]>([]);
  const [rows, setRows] = useState<RegisterRow[] | null>(null);
  const [busy, setBusy] = useState<'read' | 'csv' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<number | null>(null);
  // Reads completed, for whoever waits for the table to change (a person sees it; a test reads it).
  const [reads, setReads] = useState(0);

  const own = agencies.find((a) => a.id === member.keys.agency);
  // The hub shows an oversight body's auditors every agency's register, the others their own.
  const oversight = own?.kind === 'oversight' && member.roles.includes('auditor');
  const agencyName = (id: string) => agencies.find((a) => a.id === id)?.names[lang] ?? id;

  async function read(next: Form) {
    const filters = filtersOf(next);
    if (typeof filters === 'string') return setError(t(filters));
    setBusy('read');
    setError(null);
    setExported(null);
    try {
      setRows(await readRegister(member.client, filters));
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(null);
      setReads((n) => n + 1);
    }
  }

  async function exportCsv() {
    const filters = filtersOf(form);
    if (typeof filters === 'string') return setError(t(filters));
    setBusy('csv');
    setError(null);
    try {
      const { text, rows: count } = await exportRegisterCsv(member.client, filters, lang);
      download(text, `${t('auditor.register.csvFile')}-${new Date().toISOString().slice(0, 10)}.csv`);
      setExported(count);
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(null);
    }
  }

  useEffect(() => {
    void member.client.http.get(ROUTES.agencies, AgencyListSchema).then(setAgencies, () => setAgencies([]));
    void read(EMPTY);
  }, []);

  const set = (key: keyof Form) => (e: Event) => {
    const target = e.currentTarget as HTMLInputElement | HTMLSelectElement;
    setForm({ ...form, [key]: target instanceof HTMLInputElement && target.type === 'checkbox' ? target.checked : target.value });
  };
  const altered = rows?.filter((r) => r.leaf !== undefined && r.record !== undefined && !verifyLeafRecord(sha, r.leaf, r.record, r.salt ?? null)) ?? [];

  return (
    <article class="register" data-reads={reads}>
      <h1>{t('auditor.register.title')}</h1>
      <p>{oversight ? t('auditor.register.scopeAll') : t('auditor.register.scopeOwn', { agency: agencyName(member.keys.agency) })}</p>
      <p>
        <small>{t('auditor.register.readIsLogged')}</small>
      </p>
      <form
        class="register-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void read(form);
        }}
      >
        <fieldset>
          <legend>{t('auditor.register.period')}</legend>
          <div class="grid">
            <label>
              {t('auditor.register.from')}
              <input type="date" name="from" value={form.from} onInput={set('from')} />
            </label>
            <label>
              {t('auditor.register.to')}
              <input type="date" name="to" value={form.to} onInput={set('to')} />
            </label>
          </div>
        </fieldset>
        <div class="grid">
          {oversight ? (
            <CodeChoice label={t('auditor.register.agency')} name="agency" value={form.agency} onChange={set('agency')} any={t('auditor.register.allAgencies')} codes={agencies.map((a) => a.id)} word={agencyName} />
          ) : null}
          <CodeChoice label={t('auditor.register.event')} name="event" value={form.event} onChange={set('event')} any={t('auditor.register.allEvents')} codes={REGISTER_EVENTS} word={(c) => eventLabel(lang, c)} />
          <CodeChoice
            label={t('auditor.register.legalBasis')}
            name="legal-basis"
            value={form.legalBasis}
            onChange={set('legalBasis')}
            any={t('auditor.register.allBases')}
            codes={LEGAL_BASES}
            word={(c) => basisLabel(lang, c)}
          />
          <CodeChoice
            label={t('auditor.register.type')}
            name="message-type"
            value={form.messageType}
            onChange={set('messageType')}
            any={t('auditor.register.allTypes')}
            codes={MESSAGE_TYPES}
            word={(c) => typeLabel(lang, c)}
          />
        </div>
        <label>
          <input type="checkbox" name="without-consent" checked={form.withoutConsent} onChange={set('withoutConsent')} />
          {t('auditor.register.withoutConsentOnly')}
        </label>
        <div class="register-actions">
          <button type="submit" name="show-register" disabled={busy !== null} aria-busy={busy === 'read'}>
            {t('auditor.register.show')}
          </button>
          <button type="button" name="export-csv" class="secondary" disabled={busy !== null} aria-busy={busy === 'csv'} onClick={() => void exportCsv()}>
            {t('auditor.register.exportCsv')}
          </button>
        </div>
      </form>
      {error ? (
        <p role="alert" class="alert-banner">
          {error}
        </p>
      ) : null}
      {exported !== null ? <p role="status">{t('auditor.register.exported', { count: exported })}</p> : null}
      {altered.length > 0 ? (
        <p role="alert" class="alert-banner" data-testid="register-altered">
          <strong>{t('auditor.register.alteredTitle')}</strong> {t('auditor.register.altered', { count: altered.length, entries: altered.map((r) => `#${r.index}`).join(', ') })}
        </p>
      ) : null}
      {rows === null ? (
        busy === 'read' ? (
          <p aria-busy="true">{t('common.loading')}</p>
        ) : null
      ) : (
        <RegisterTable rows={rows} agencyName={agencyName} altered={new Set(altered.map((r) => r.index))} />
      )}
    </article>
  );
}

/** A list of codes shown in words, with a first choice for "any". */
function CodeChoice(p: { label: string; name: string; value: string; onChange: (e: Event) => void; any: string; codes: readonly string[]; word: (code: string) => string }) {
  return (
    <label>
      {p.label}
      <select name={p.name} value={p.value} onChange={p.onChange}>
        <option value="">{p.any}</option>
        {p.codes.map((c) => (
          <option key={c} value={c}>
            {p.word(c)}
          </option>
        ))}
      </select>
    </label>
  );
}

function RegisterTable({ rows, agencyName, altered }: { rows: RegisterRow[]; agencyName: (id: string) => string; altered: Set<number> }) {
  const { t, lang } = useLang();
  if (rows.length === 0) return <p data-testid="register-empty">{t('auditor.register.none')}</p>;
  const h = {
    date: t('auditor.register.col.date'),
    event: t('auditor.register.col.event'),
    route: t('auditor.register.col.route'),
    basis: t('auditor.register.col.basis'),
    categories: t('auditor.register.col.categories'),
  };
  return (
    // Scrollable sideways on a narrow screen: the region takes the keyboard's focus.
    <div class="overflow-auto" tabIndex={0} role="region" aria-label={t('auditor.register.count', { count: rows.length })}>
      <table class="register-table striped" data-testid="register-table">
        <caption>{t('auditor.register.count', { count: rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{h.date}</th>
            <th scope="col">{h.event}</th>
            <th scope="col">{h.route}</th>
            <th scope="col">{h.basis}</th>
            <th scope="col">{h.categories}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const refused = r.event === 'refused';
            const recipients = (refused ? r.declaredRecipients || r.recipients : r.recipients).split(' ').filter(Boolean);
            return (
              <tr key={r.index} data-index={r.index} data-event={r.event}>
                <td data-label={h.date}>
                  {dayAndTime(lang, r.at)[0]}
                  <br />
                  {dayAndTime(lang, r.at)[1]}
                  <div>
                    <small>{t('auditor.register.entry', { index: r.index })}</small>{' '}
                    {altered.has(r.index) ? (
                      <span class="state danger">
                        <span aria-hidden="true">✖</span> {t('auditor.register.entryAltered')}
                      </span>
                    ) : (
                      <small>{t('auditor.register.entryMatches')}</small>
                    )}
                  </div>
                </td>
                <td data-label={h.event}>
                  <strong>{eventLabel(lang, r.event)}</strong>
                  {r.messageType ? <div>{typeLabel(lang, r.messageType)}</div> : null}
                  {refused && r.reason ? <div class="register-reason">{refusalLabel(lang, r.reason)}</div> : null}
                </td>
                <td data-label={h.route}>
                  <div>
                    {agencyName(r.senderAgency)}
                    {r.senderInbox ? <small> ({r.senderInbox})</small> : null}
                  </div>
                  <div>→ {recipients.join(', ') || '—'}</div>
                  {refused ? <small>{t('auditor.register.declared')}</small> : null}
                </td>
                <td data-label={h.basis}>
                  {r.legalBasis ? basisLabel(lang, r.legalBasis) : '—'}
                  {r.withoutConsent || r.followUp ? (
                    <div class="register-flags">
                      {r.withoutConsent ? (
                        <span class="state danger" data-flag="without-consent">
                          <span aria-hidden="true">⚠</span> {t('auditor.register.flag.withoutConsent')}
                        </span>
                      ) : null}
                      {r.followUp ? (
                        <span class="state wait" data-flag="follow-up">
                          <span aria-hidden="true">✎</span> {t('auditor.register.flag.followUp')}
                        </span>
                      ) : null}
                    </div>
                  ) : null}
                  {r.dangerReason ? <div>{t('auditor.register.reason', { reason: reasonLabel(lang, r.dangerReason) })}</div> : null}
                  {r.purpose ? <div>{t('auditor.register.purpose', { purpose: purposeLabel(lang, r.purpose) })}</div> : null}
                  {r.legalReference ? <div>{t('auditor.register.reference', { reference: r.legalReference })}</div> : null}
                </td>
                <td data-label={h.categories}>
                  {r.dataCategories
                    .split(' ')
                    .filter(Boolean)
                    .map((c) => categoryLabel(lang, c))
                    .join(', ') || '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
