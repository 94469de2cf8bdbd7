/**
 * The cases: open one by its pseudonymous reference (checked before it is
 * used: never a name, an email, a phone or insurance number), or pick one the
 * agency recorded a consent for or this device worked on.
 */
import { useState } from 'preact/hooks';
import { CASE_REFERENCE_PROBLEMS, CASE_REFERENCE_RULE, caseReferenceProblem } from '../../../../../protocol/case-reference.js';
import type { ConsentView } from '../../../../sdk/protocols.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { go, href } from '../../lib/router.js';
import type { MemberSession } from '../../lib/session.js';
import { formatTime } from '../../lib/time.js';

import { rememberCase, rememberedCases } from './store.js';

export const caseHref = (ref: string, ...rest: string[]) => href(['shelter', 'case', encodeURIComponent(ref), ...rest].join('/'));

function OpenCase({ member }: { member: MemberSession }) {
  const { t, lang } = useLang();
  const [ref, setRef] = useState('');
  const [tried, setTried] = useState(false);
  const problem = ref ? caseReferenceProblem(ref) : null;
  const shown = problem && (tried || ref.length >= 3) ? problem : null;

  function submit(e: Event) {
    e.preventDefault();
    setTried(true);
    if (!ref || problem) return;
    rememberCase(member.keys.member, ref);
    go(`shelter/case/${encodeURIComponent(ref)}`);
  }

  return (
    <form onSubmit={submit} aria-labelledby="open-case-title">
      <h2 id="open-case-title">{t('shelter.cases.open')}</h2>
      <label>
        {t('shelter.cases.reference')}
        <input
          name="case"
          autocomplete="off"
          spellcheck={false}
          required
          value={ref}
          aria-invalid={shown ? 'true' : undefined}
          aria-describedby="case-rule case-problem"
          onInput={(e) => setRef(e.currentTarget.value)}
        />
        <small id="case-rule">{CASE_REFERENCE_RULE[lang]}</small>
      </label>
      <p id="case-problem" class="field-problem" aria-live="polite" data-testid="case-problem">
        {shown ? <strong>{CASE_REFERENCE_PROBLEMS[shown][lang]}</strong> : null}
      </p>
      <button type="submit" name="open-case">
        {t('shelter.cases.openButton')}
      </button>
    </form>
  );
}

interface Row {
  ref: string;
  consents: ConsentView[];
  sent: number;
  usedAt: string | null;
}

export function Cases({ member }: { member: MemberSession }) {
  const { t, lang } = useLang();
  const consents = useLoad(() => member.client.consents(), [member.client]);
  const rows = new Map<string, Row>();
  for (const c of rememberedCases(member.keys.member)) rows.set(c.ref, { ref: c.ref, consents: [], sent: c.messages.length, usedAt: c.usedAt });
  for (const c of consents.data ?? []) {
    const row = rows.get(c.case) ?? { ref: c.case, consents: [], sent: 0, usedAt: null };
    row.consents.push(c);
    rows.set(c.case, row);
  }
  const list = [...rows.values()].sort((a, b) => (b.usedAt ?? '').localeCompare(a.usedAt ?? '') || a.ref.localeCompare(b.ref));
  return (
    <article>
      <h1>{t('shelter.cases.title')}</h1>
      <p>{t('shelter.cases.intro')}</p>
      <OpenCase member={member} />
      <section aria-labelledby="case-list-title">
        <h2 id="case-list-title">{t('shelter.cases.list')}</h2>
        {consents.error ? <p role="alert">{errorText(lang, consents.error)}</p> : null}
        {consents.data === undefined && !consents.error ? <p aria-busy="true">{t('common.loading')}</p> : null}
        {list.length === 0 && consents.data ? <p>{t('shelter.cases.none')}</p> : null}
        {list.length > 0 ? (
          <div class="overflow-auto">
            <table class="striped">
              <thead>
                <tr>
                  <th scope="col">{t('shelter.cases.reference')}</th>
                  <th scope="col">{t('shelter.cases.consentsInForce')}</th>
                  <th scope="col">{t('shelter.cases.sentHere')}</th>
                  <th scope="col">{t('shelter.cases.usedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.ref}>
                    <th scope="row">
                      <a href={caseHref(r.ref)} data-testid="case-link">
                        {r.ref}
                      </a>
                    </th>
                    <td>{r.consents.filter((c) => c.state === 'active').length}</td>
                    <td>{r.sent}</td>
                    <td>{r.usedAt ? formatTime(lang, r.usedAt) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </article>
  );
}
