/**
 * An acceptance proof file — `<message>.tlog-proof.json`, as `vigie audit
 * receipt` saves it — checked in this browser as `vigie audit prove` checks
 * it (the SDK's verifyAcceptanceProof): the record is the one its log entry commits
 * to, it records the acceptance of that message, the entry is included in
 * the checkpoint the file carries, signed by the log key this browser pinned
 * and cosigned by the witnesses it requires. Nothing is sent anywhere. A
 * valid proof shows what it proves; a refused one shows nothing it claims.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { parseAcceptanceProof, verifyAcceptanceProof, acceptanceProofOrigin, type AcceptanceProofProblem, type AcceptanceProofVerdict } from '../../../../sdk/audit.js';
import { logVkey } from '../../../../sdk/log-trust.js';
import { useLang } from '../../lib/lang.js';
import { formatTime } from '../../lib/time.js';
import { href } from '../../lib/router.js';
import { useOpen } from '../../lib/session.js';
import { basisLabel, categoryLabel, purposeLabel, reasonLabel, typeLabel, urgencyLabel } from '../../lib/vocabulary.js';
import type { WordKey } from '../../words/index.js';
import { browserLogTrust, TrustDamagedError } from './trust-store.js';

/** Why a file proves nothing: the receipt's own problems, or that it is no receipt, or that this browser trusts no key for its log. */
type Refusal = AcceptanceProofProblem | 'NOT_A_RECEIPT' | 'NO_PINNED_KEY' | 'TRUST_DAMAGED';

type Outcome = { ok: true; verdict: AcceptanceProofVerdict; file: string; message: string } | { ok: false; refusal: Refusal; file: string; count?: number; quorum?: number };

interface AcceptedRecord {
  at?: unknown;
  message?: unknown;
  messageType?: unknown;
  urgency?: unknown;
  sender?: { agency?: unknown; inbox?: unknown };
  recipients?: unknown;
  legalBasis?: { code?: unknown; reason?: unknown; purpose?: unknown; reference?: unknown } | null;
  protocol?: { id?: unknown; version?: unknown } | null;
  dataCategories?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function check(file: File, crypto: ReturnType<typeof useOpen>['crypto']): Promise<Outcome> {
  let value: unknown;
  try {
    value = JSON.parse(await file.text());
  } catch {
    return { ok: false, refusal: 'NOT_A_RECEIPT', file: file.name };
  }
  const receipt = parseAcceptanceProof(value);
  if (!receipt) return { ok: false, refusal: 'NOT_A_RECEIPT', file: file.name };
  let pinned: string | undefined;
  let trust: { witnesses: string[]; quorum: number } | undefined;
  try {
    pinned = browserLogTrust.pinned()?.logKey;
    trust = browserLogTrust.witnessTrust();
  } catch (err) {
    if (err instanceof TrustDamagedError) return { ok: false, refusal: 'TRUST_DAMAGED', file: file.name };
    throw err;
  }
  const origin = acceptanceProofOrigin(receipt);
  // Offline, the file names its log: only the key this browser pinned for that log is trusted.
  if (origin !== null && (!pinned || logVkey(crypto, pinned)?.name !== origin)) return { ok: false, refusal: 'NO_PINNED_KEY', file: file.name };
  const verdict = pinned && origin !== null ? await verifyAcceptanceProof(receipt, { logKey: pinned, ...(trust ?? {}) }, crypto) : ({ ok: false, problem: 'MALFORMED' } as AcceptanceProofVerdict);
  if (!verdict.ok) return { ok: false, refusal: verdict.problem ?? 'MALFORMED', file: file.name, count: verdict.cosignatures ?? 0, quorum: trust?.quorum ?? 0 };
  return { ok: true, verdict, file: file.name, message: receipt.message };
}

export function ProofCheck() {
  const { t } = useLang();
  const open = useOpen();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    setOutcome(null);
    if (!file) return;
    setBusy(true);
    try {
      setOutcome(await check(file, open.crypto));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class="proof-check">
      <h1>{t('auditor.proof.title')}</h1>
      <p>{t('auditor.proof.intro')}</p>
      <label>
        {t('auditor.proof.file')}
        <input type="file" name="proof-file" accept=".json,application/json" onChange={(e) => void pick(e)} aria-busy={busy} />
        <small>{t('auditor.proof.offline')}</small>
      </label>
      {outcome ? outcome.ok ? <Proven outcome={outcome} /> : <Refused outcome={outcome} /> : null}
    </article>
  );
}

function Proven({ outcome }: { outcome: Extract<Outcome, { ok: true }> }) {
  const { t, lang } = useLang();
  const leaf = (outcome.verdict.leaf ?? {}) as AcceptedRecord;
  const cp = outcome.verdict.checkpoint;
  const basis = leaf.legalBasis ?? null;
  const recipients = Array.isArray(leaf.recipients) ? leaf.recipients.map((r: unknown) => (typeof r === 'string' ? r : str((r as { inbox?: unknown } | null)?.inbox))).filter(Boolean) : [];
  const categories = Array.isArray(leaf.dataCategories) ? leaf.dataCategories.map((c: unknown) => categoryLabel(lang, str(c))) : [];
  const rows: [WordKey, string][] = [
    ['auditor.proof.message', outcome.message],
    ['auditor.proof.type', str(leaf.messageType) ? typeLabel(lang, str(leaf.messageType)) : '—'],
    ['auditor.proof.urgency', str(leaf.urgency) ? urgencyLabel(lang, str(leaf.urgency)) : '—'],
    ['auditor.proof.sender', `${str(leaf.sender?.agency) || '—'} (${str(leaf.sender?.inbox) || '—'})`],
    ['auditor.proof.recipients', recipients.join(', ') || '—'],
    ['auditor.proof.basis', basis && str(basis.code) ? basisLabel(lang, str(basis.code)) : '—'],
    ...(basis && str(basis.reason) ? [['auditor.proof.reason', reasonLabel(lang, str(basis.reason))] as [WordKey, string]] : []),
    ...(basis && str(basis.purpose) ? [['auditor.proof.purpose', purposeLabel(lang, str(basis.purpose))] as [WordKey, string]] : []),
    ['auditor.proof.categories', categories.join(', ') || '—'],
    ['auditor.proof.protocol', leaf.protocol ? `${str(leaf.protocol.id)} v${String(leaf.protocol.version ?? '')}` : '—'],
    ['auditor.proof.acceptedAt', str(leaf.at) ? formatTime(lang, str(leaf.at)) : '—'],
    ['auditor.proof.position', t('auditor.proof.positionValue', { index: outcome.verdict.index ?? 0, size: cp?.size ?? 0, origin: cp?.origin ?? '—' })],
    ['auditor.proof.witnesses', t('auditor.proof.witnessesValue', { count: outcome.verdict.cosignatures ?? 0 })],
  ];
  return (
    <section class="verdict verdict-ok" role="status" data-testid="proof-verdict" data-state="ok" data-file={outcome.file}>
      <h2>
        <span aria-hidden="true">✔ </span>
        {t('auditor.proof.okTitle')}
      </h2>
      <p class="verdict-meaning">{t('auditor.proof.okMeaning', { file: outcome.file })}</p>
      {basis && str(basis.code) && str(basis.code) !== 'consent' ? (
        <p>
          <span class="state danger" data-flag="without-consent">
            <span aria-hidden="true">⚠</span> {t('auditor.register.flag.withoutConsent')}
          </span>
        </p>
      ) : null}
      <dl class="proof-facts">
        {rows.map(([k, v]) => (
          <Fragment key={k}>
            <dt>{t(k)}</dt>
            <dd data-fact={k}>{v}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

function Refused({ outcome }: { outcome: Extract<Outcome, { ok: false }> }) {
  const { t } = useLang();
  return (
    <section class="verdict verdict-alarm" role="alert" data-testid="proof-verdict" data-state="refused" data-problem={outcome.refusal} data-file={outcome.file}>
      <h2>
        <span aria-hidden="true">✖ </span>
        {outcome.refusal === 'NO_PINNED_KEY' || outcome.refusal === 'TRUST_DAMAGED' ? t('auditor.proof.cannotTitle') : t('auditor.proof.refusedTitle')}
      </h2>
      <p class="verdict-meaning">{t(`auditor.proof.refusal.${outcome.refusal}` as WordKey, { count: outcome.count ?? 0, quorum: outcome.quorum ?? 0 })}</p>
      {outcome.refusal === 'NO_PINNED_KEY' ? (
        <p>
          <a href={href('auditor/log')}>{t('auditor.proof.verifyFirst')}</a>
        </p>
      ) : (
        <p class="verdict-todo">{outcome.refusal === 'TRUST_DAMAGED' ? t('auditor.log.trustDamaged') : t('auditor.proof.refusedTodo', { file: outcome.file })}</p>
      )}
    </section>
  );
}
