/**
 * The disclosure log, checked in this browser as `vigie audit verify` checks
 * it (the same SDK functions): the newest checkpoint's signature by the log
 * key this browser pinned, its witness cosignatures against the witnesses
 * the auditor requires, its consistency with the last checkpoint this
 * browser saw (an RFC 6962 proof verified here), every entry re-hashed into
 * the signed root, and with a member key the key directory. A run that
 * passes is kept for the next one; a run that fails keeps nothing and says,
 * unmistakably, what it means and what to do.
 */
import { useState } from 'preact/hooks';
import type { AuditProblem } from '../../../../sdk/audit.js';
import { chooseLogKey, logVkey, verifyTrustedLog, witnessVkey, type TrustedRun, type VerifiedCheckpoint } from '../../../../sdk/log-trust.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { formatTime } from '../../lib/time.js';
import { useOpen } from '../../lib/session.js';
import type { WordKey } from '../../words/index.js';
import { browserLogTrust, lastVerified, TrustDamagedError } from './trust-store.js';

const REWRITTEN: AuditProblem[] = ['LOG_SHRANK', 'LOG_FORKED', 'ROOT_MISMATCH', 'ENTRIES_MISSING'];
const UNSIGNED: AuditProblem[] = ['CHECKPOINT_SIGNATURE_INVALID', 'CHECKPOINT_ORIGIN_MISMATCH'];

/** The headline of a failed run: the gravest of its problems. */
function alarmOf(problems: AuditProblem[]): 'rewritten' | 'unsigned' | 'unwitnessed' | 'keys' {
  if (problems.some((p) => REWRITTEN.includes(p))) return 'rewritten';
  if (problems.some((p) => UNSIGNED.includes(p))) return 'unsigned';
  if (problems.includes('QUORUM_NOT_MET')) return 'unwitnessed';
  return 'keys';
}


type State = { phase: 'idle' } | { phase: 'running'; done: number; total: number } | { phase: 'done'; run: TrustedRun } | { phase: 'error'; message: string };

export function LogCheck() {
  const { t, lang } = useLang();
  const open = useOpen();
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [full, setFull] = useState(true);
  const [trustVersion, setTrustVersion] = useState(0);
  const [runs, setRuns] = useState(0);

  async function verify() {
    setState({ phase: 'running', done: 0, total: 0 });
    try {
      const choice = await chooseLogKey(location.origin, browserLogTrust, undefined, open.crypto, lang);
      const member = open.member;
      const run = await verifyTrustedLog(
        {
          url: location.origin,
          storage: browserLogTrust,
          choice,
          full,
          lang,
          ...(member ? { token: () => member.client.accessToken() } : {}),
          onProgress: (done, total) => setState({ phase: 'running', done, total }),
        },
        open.crypto,
      );
      setState({ phase: 'done', run });
    } catch (err) {
      setState({ phase: 'error', message: err instanceof TrustDamagedError ? t('auditor.log.trustDamaged') : errorText(lang, err) });
    }
    // What this browser trusts may have changed (a key pinned, a checkpoint kept): shown anew.
    setRuns((n) => n + 1);
  }

  return (
    <article class="log-check" data-runs={runs}>
      <h1>{t('auditor.log.title')}</h1>
      <p>{t('auditor.log.intro')}</p>
      <TrustSummary key={`${runs}-${trustVersion}`} />
      <label>
        <input type="checkbox" name="full" checked={full} onChange={(e) => setFull(e.currentTarget.checked)} />
        {t('auditor.log.full')}
      </label>
      <button type="button" name="verify-log" disabled={state.phase === 'running'} aria-busy={state.phase === 'running'} onClick={() => void verify()}>
        {t('auditor.log.verify')}
      </button>
      {state.phase === 'running' ? (
        <p role="status">
          {t('auditor.log.running')}
          {state.total > 0 ? <progress value={state.done} max={state.total} aria-label={t('auditor.log.progress', { done: state.done, total: state.total })} /> : null}
        </p>
      ) : null}
      {state.phase === 'error' ? (
        <section class="verdict verdict-alarm" role="alert" data-testid="log-verdict" data-state="error">
          <h2>
            <span aria-hidden="true">⚠ </span>
            {t('auditor.log.errorTitle')}
          </h2>
          <p>{state.message}</p>
          <p>{t('auditor.log.errorTodo')}</p>
        </section>
      ) : null}
      {state.phase === 'done' ? <Verdict run={state.run} full={full} /> : null}
      <TrustSettings key={runs} onSaved={() => setTrustVersion((v) => v + 1)} />
    </article>
  );
}

function Verdict({ run, full }: { run: TrustedRun; full: boolean }) {
  const { t, lang } = useLang();
  const { report, previous } = run;
  const cp = report.checkpoint;
  const has = (list: AuditProblem[]) => report.problems.some((p) => list.includes(p));
  const checks: { id: string; state: 'ok' | 'fail' | 'skip'; text: string }[] = [
    {
      id: 'signature',
      state: has(UNSIGNED) ? 'fail' : 'ok',
      text: has(UNSIGNED) ? t('auditor.log.check.signatureFail') : run.pinned ? t('auditor.log.check.signaturePinnedNow') : t('auditor.log.check.signature'),
    },
    {
      id: 'witnesses',
      state: report.problems.includes('QUORUM_NOT_MET') ? 'fail' : run.quorum === 0 ? 'skip' : 'ok',
      text: run.quorum === 0 && run.witnesses.length === 0 ? t('auditor.log.check.noWitnesses') : t('auditor.log.check.witnesses', { count: report.cosignatures, quorum: run.quorum, of: run.witnesses.length }),
    },
    {
      id: 'consistency',
      state: report.problems.includes('LOG_SHRANK') || report.problems.includes('LOG_FORKED') ? 'fail' : previous ? 'ok' : 'skip',
      text: !previous
        ? t('auditor.log.check.firstCheck')
        : report.problems.includes('LOG_SHRANK')
          ? t('auditor.log.check.shrank', { size: cp?.size ?? 0, before: previous.size, time: formatTime(lang, previous.verifiedAt) })
          : report.problems.includes('LOG_FORKED')
            ? t('auditor.log.check.forked', { size: previous.size, time: formatTime(lang, previous.verifiedAt) })
            : t('auditor.log.check.consistent', { size: previous.size, time: formatTime(lang, previous.verifiedAt) }),
    },
    {
      id: 'entries',
      state: !full ? 'skip' : report.problems.includes('ROOT_MISMATCH') || report.problems.includes('ENTRIES_MISSING') ? 'fail' : 'ok',
      text: !full
        ? t('auditor.log.check.entriesSkipped')
        : report.problems.includes('ENTRIES_MISSING')
          ? t('auditor.log.check.entriesMissing')
          : report.problems.includes('ROOT_MISMATCH')
            ? t('auditor.log.check.rootMismatch')
            : t('auditor.log.check.entries', { count: report.entriesChecked, size: cp?.size ?? 0 }),
    },
    {
      id: 'keys',
      state: report.keyEvents === null ? 'skip' : report.alarms.length > 0 ? 'fail' : 'ok',
      text: report.keyEvents === null ? t('auditor.log.check.keysSkipped') : report.alarms.length > 0 ? t('auditor.log.check.keysAlarm', { count: report.alarms.length }) : t('auditor.log.check.keys', { count: report.keyEvents }),
    },
  ];
  const alarm = report.ok ? null : alarmOf(report.problems);
  return (
    <section
      class={`verdict ${report.ok ? 'verdict-ok' : 'verdict-alarm'}`}
      role={report.ok ? 'status' : 'alert'}
      data-testid="log-verdict"
      data-state={report.ok ? 'ok' : 'alarm'}
      data-alarm={alarm ?? undefined}
    >
      <h2>
        <span aria-hidden="true">{report.ok ? '✔ ' : '⚠ '}</span>
        {report.ok ? t('auditor.log.okTitle') : t(`auditor.log.alarm.${alarm!}` as WordKey)}
      </h2>
      <p class="verdict-meaning">{report.ok ? t('auditor.log.okMeaning', { size: cp?.size ?? 0 }) : t(`auditor.log.alarmMeaning.${alarm!}` as WordKey)}</p>
      <ul class="checks">
        {checks.map((c) => (
          <li key={c.id} data-check={c.id} data-state={c.state} class={`check check-${c.state}`}>
            <span aria-hidden="true" class="check-icon">
              {c.state === 'ok' ? '✔' : c.state === 'fail' ? '✖' : '–'}
            </span>{' '}
            <span class="visually-hidden">{t(`auditor.log.checkState.${c.state}` as WordKey)} </span>
            {c.text}
          </li>
        ))}
      </ul>
      {report.ok ? null : (
        <>
          <h3>{t('auditor.log.problems')}</h3>
          <ul>
            {report.problems
              .filter((p) => !report.alarms.some((a) => a.code === p))
              .map((p) => (
                <li key={p} data-problem={p}>
                  {t(`auditor.log.problem.${p}` as WordKey)}
                </li>
              ))}
            {report.alarms.map((a, i) => (
              <li key={`${a.code}-${i}`} data-problem={a.code}>
                {t(`auditor.log.problem.${a.code}` as WordKey)} — {t('auditor.log.alarmSubject', { subject: a.subject, where: a.index === null ? '' : t('auditor.log.alarmWhere', { index: a.index }) })}
              </li>
            ))}
          </ul>
          {run.hubKeyNow ? <p data-testid="hub-key-now">{t('auditor.log.hubKeyNow', { key: run.hubKeyNow })}</p> : null}
          <h3>{t('auditor.log.todoTitle')}</h3>
          <p class="verdict-todo">{t('auditor.log.todo')}</p>
        </>
      )}
      {cp ? (
        <p>
          <small>{t('auditor.log.checkpoint', { origin: cp.origin, size: cp.size })}</small>
        </p>
      ) : null}
    </section>
  );
}

/** The log key this browser trusts and the last checkpoint it saw. */
function TrustSummary() {
  const { t, lang } = useLang();
  const open = useOpen();
  let pinned: { logKey: string; pinnedAt: string } | undefined;
  let last: VerifiedCheckpoint | null = null;
  try {
    pinned = browserLogTrust.pinned();
    last = lastVerified();
  } catch {
    return (
      <p role="alert" class="alert-banner">
        {t('auditor.log.trustDamaged')}
      </p>
    );
  }
  return (
    <dl class="trust-summary">
      <dt>{t('auditor.log.pinnedKey')}</dt>
      <dd data-testid="pinned-key">
        {pinned ? (
          <>
            {t('auditor.log.pinnedKeyValue', { name: logVkey(open.crypto, pinned.logKey)?.name ?? '—', time: formatTime(lang, pinned.pinnedAt) })} <code class="vkey">{pinned.logKey}</code>
          </>
        ) : (
          t('auditor.log.notPinned')
        )}
      </dd>
      <dt>{t('auditor.log.lastSeen')}</dt>
      <dd data-testid="last-seen">{last ? t('auditor.log.lastSeenValue', { size: last.size, time: formatTime(lang, last.verifiedAt) }) : t('auditor.log.neverSeen')}</dd>
    </dl>
  );
}

/** The witnesses this browser requires (as `vigie audit trust`), and a log key confirmed out of band. */
function TrustSettings({ onSaved }: { onSaved: () => void }) {
  const { t } = useLang();
  const open = useOpen();
  let current: { witnesses: string[]; quorum: number } = { witnesses: [], quorum: 0 };
  let pinnedKey = '';
  try {
    current = browserLogTrust.witnessTrust() ?? current;
    pinnedKey = browserLogTrust.pinned()?.logKey ?? '';
  } catch {
    // TrustSummary says so
  }
  const [witnesses, setWitnesses] = useState(current.witnesses.join('\n'));
  const [quorum, setQuorum] = useState(String(current.quorum));
  const [logKey, setLogKey] = useState(pinnedKey);
  const [confirmed, setConfirmed] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function save(e: Event) {
    e.preventDefault();
    const keys = [...new Set(witnesses.split('\n').map((w) => w.trim()).filter(Boolean))];
    const bad = keys.find((k) => !witnessVkey(open.crypto, k));
    if (bad !== undefined) return setMessage({ ok: false, text: t('auditor.trust.badWitness', { key: bad }) });
    const q = /^\d{1,2}$/.test(quorum.trim()) ? Number(quorum.trim()) : NaN;
    if (!(q >= 0 && q <= keys.length)) return setMessage({ ok: false, text: t('auditor.trust.badQuorum', { count: keys.length }) });
    const key = logKey.trim();
    if (key && key !== pinnedKey) {
      if (!logVkey(open.crypto, key)) return setMessage({ ok: false, text: t('auditor.trust.badLogKey') });
      if (!confirmed) return setMessage({ ok: false, text: t('auditor.trust.confirmFirst') });
    }
    browserLogTrust.setWitnessTrust({ witnesses: keys, quorum: q });
    if (key && key !== pinnedKey) browserLogTrust.pin(key, new Date());
    setMessage({ ok: true, text: t('auditor.trust.saved') });
    onSaved();
  }

  return (
    <details class="trust-settings">
      <summary>{t('auditor.trust.title')}</summary>
      <form onSubmit={save}>
        <p>{t('auditor.trust.intro')}</p>
        <label>
          {t('auditor.trust.witnesses')}
          <textarea name="witnesses" rows={3} value={witnesses} onInput={(e) => setWitnesses(e.currentTarget.value)} />
          <small>{t('auditor.trust.witnessesHelp')}</small>
        </label>
        <label>
          {t('auditor.trust.quorum')}
          <input type="number" name="quorum" min={0} max={99} value={quorum} onInput={(e) => setQuorum(e.currentTarget.value)} />
        </label>
        <label>
          {t('auditor.trust.logKey')}
          <input name="log-key" value={logKey} onInput={(e) => setLogKey(e.currentTarget.value)} />
          <small>{t('auditor.trust.logKeyHelp')}</small>
        </label>
        {logKey.trim() && logKey.trim() !== pinnedKey ? (
          <label>
            <input type="checkbox" name="confirmed" checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} />
            {t('auditor.trust.confirmed')}
          </label>
        ) : null}
        {message ? (
          <p role={message.ok ? 'status' : 'alert'} class={message.ok ? '' : 'alert-banner'}>
            {message.text}
          </p>
        ) : null}
        <button type="submit" name="save-trust" class="secondary">
          {t('auditor.trust.save')}
        </button>
      </form>
    </details>
  );
}
