/**
 * Before signing a protocol: each party's root-key fingerprint as the
 * document names it, checked against the agency's own key and the partner
 * keys this browser pinned (a key not pinned yet is compared by phone with
 * the partner, then pinned here), each party's signature checked on this
 * browser; then the agency's signature, and the submission.
 */
import { useState } from 'preact/hooks';
import { fromB64u } from '../../../../../protocol/encoding.js';
import { checkProtocolDocument, readableFingerprint, rootKeyFingerprint, type ProtocolView, type SignedProtocol } from '../../../../../protocol/protocol-document.js';
import { documentHash } from '../../../../../protocol/canonical.js';
import { verifyDocument } from '../../../../../protocol/signing.js';
import { browserPinStore } from '../../lib/device-store.js';
import { useAction } from '../../lib/action.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { kindLabel, protocolStatusLabel } from '../../lib/vocabulary.js';
import { ErrorBanner } from '../shared/feedback.js';
import { BigFingerprint, TableRegion } from './widgets.js';
import { useAdmin } from './tools.js';
import { AgencyViewSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../../protocol/api/routes.js';

type KeyCheck = 'own' | 'notOwn' | 'pinned' | 'differs' | 'unpinned';
type SigCheck = 'verified' | 'missing' | 'invalid' | 'unchecked';

const KEY_CLASS: Record<KeyCheck, string> = { own: 'ok', notOwn: 'danger', pinned: 'ok', differs: 'danger', unpinned: 'wait' };
const KEY_ICON: Record<KeyCheck, string> = { own: '✓', notOwn: '✕', pinned: '✓', differs: '✕', unpinned: '?' };
const SIG_CLASS: Record<SigCheck, string> = { verified: 'ok', missing: 'wait', invalid: 'danger', unchecked: 'wait' };
const SIG_ICON: Record<SigCheck, string> = { verified: '✓', missing: '…', invalid: '✕', unchecked: '?' };

export function SignPanel({ signed: given, names, onSubmitted }: { signed: SignedProtocol; names: (agency: string) => string; onSubmitted?(view: ProtocolView): void }) {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const own = useLoad(() => tools.rootKey(), [tools.agency]);
  const [pins, setPins] = useState(browserPinStore.load());
  const [reviewed, setReviewed] = useState(false);
  const signing = useAction();
  const pinning = useAction();
  const [submitted, setSubmitted] = useState<ProtocolView | null>(null);
  // What this browser signed and submitted: its signature shows at once, before the page reloads the stored version.
  const [mine, setMine] = useState<SignedProtocol | null>(null);
  const signed = mine && mine.signatures.length > given.signatures.length ? mine : given;
  const doc = signed.document;
  const sha = (d: Uint8Array) => tools.crypto.sha256(d);
  const hash = documentHash(sha, doc);

  const keyOf = (agency: string) => (agency === tools.agency ? (own.data ?? undefined) : pins[agency]);
  const keyCheck = (agency: string, fingerprint: string): KeyCheck => {
    const key = keyOf(agency);
    if (agency === tools.agency) return key && rootKeyFingerprint(sha, key) === fingerprint ? 'own' : 'notOwn';
    if (!key) return 'unpinned';
    return rootKeyFingerprint(sha, key) === fingerprint ? 'pinned' : 'differs';
  };
  const sigCheck = (agency: string): SigCheck => {
    const sig = signed.signatures.find((s) => s.agency === agency);
    if (!sig) return 'missing';
    const key = keyOf(agency);
    if (!key) return 'unchecked';
    return verifyDocument(tools.crypto, 'protocol', { document: doc, signature: sig.signature }, fromB64u(key)) ? 'verified' : 'invalid';
  };

  function pin(agency: string, fingerprint: string) {
    return pinning.run(async () => {
      const served = await tools.http.get(routePath(ROUTES.agency, { agency }), AgencyViewSchema);
      // The hub's key must be the one the document names, which the partner just read aloud.
      if (rootKeyFingerprint(sha, served.rootKey) !== fingerprint) return pinning.fail(t('admin.sign.servedDiffers', { agency: names(agency) }));
      browserPinStore.save({ ...browserPinStore.load(), [agency]: served.rootKey });
      setPins(browserPinStore.load());
    });
  }

  const checks = doc.parties.map((p) => ({ party: p, key: keyCheck(p.agency, p.rootKeyFingerprint), sig: sigCheck(p.agency) }));
  const problems = checkProtocolDocument(doc);
  const isParty = doc.parties.some((p) => p.agency === tools.agency);
  const signedByUs = signed.signatures.some((s) => s.agency === tools.agency);
  const blocked = checks.some((c) => c.key === 'notOwn' || c.key === 'differs' || c.key === 'unpinned' || c.sig === 'invalid') || problems.length > 0;

  async function signAndSubmit() {
    const root = tools.root;
    if (!root) return;
    await signing.run(async () => {
      const next = signedByUs ? signed : root.admin.signProtocol(signed);
      const view = await root.admin.submitProtocol(next);
      setMine(next);
      setSubmitted(view);
      onSubmitted?.(view);
    });
  }

  return (
    <>
      <section aria-labelledby="fingerprints-title">
        <h3 id="fingerprints-title">{t('admin.sign.fingerprints')}</h3>
        <p>{t('admin.sign.documentHashHow')}</p>
        <BigFingerprint value={readableFingerprint(hash)} testid="document-fingerprint" />
        <p>
          <small>
            {t('admin.sign.fullHash')} <code class="link-box">{hash}</code>
          </small>
        </p>
        <TableRegion label={t('admin.sign.fingerprints')}>
          <table data-testid="parties-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.sign.party')}</th>
                <th scope="col">{t('admin.sign.rootKey')}</th>
                <th scope="col">{t('admin.sign.keyCheck')}</th>
                <th scope="col">{t('admin.sign.signature')}</th>
              </tr>
            </thead>
            <tbody>
              {checks.map(({ party, key, sig }) => (
                <tr key={party.agency} data-party={party.agency}>
                  <th scope="row">
                    {names(party.agency)}
                    <br />
                    <small>{kindLabel(lang, party.kind)}</small>
                  </th>
                  <td>
                    <span class="fingerprint-small">{readableFingerprint(party.rootKeyFingerprint)}</span>
                  </td>
                  <td>
                    <span class={`state ${KEY_CLASS[key]}`} data-testid="key-check" data-check={key}>
                      {KEY_ICON[key]} {t(`admin.sign.key.${key}`)}
                    </span>
                    {key === 'unpinned' ? (
                      <>
                        <p>{t('admin.sign.compareByPhone', { agency: names(party.agency) })}</p>
                        <button type="button" class="secondary" name="pin" onClick={() => void pin(party.agency, party.rootKeyFingerprint)}>
                          {t('admin.sign.pin')}
                          <span class="visually-hidden"> — {names(party.agency)}</span>
                        </button>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <span class={`state ${SIG_CLASS[sig]}`} data-testid="signature-check" data-check={sig}>
                      {SIG_ICON[sig]} {t(`admin.sign.sig.${sig}`)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        <ErrorBanner text={pinning.error} />
        {problems.length > 0 ? (
          <div role="alert" class="alert-banner">
            <p>{t('admin.sign.incoherent')}</p>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  <code>{p.path}</code> — {p.problem}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      {submitted ? <Submitted view={submitted} names={names} /> : null}
      {tools.root && isParty && !submitted ? (
        <section aria-labelledby="sign-title">
          <h3 id="sign-title">{signedByUs ? t('admin.sign.submitTitle') : t('admin.sign.title')}</h3>
          {blocked ? (
            <p class="state danger" role="note" data-testid="sign-blocked">
              ⚠ {t('admin.sign.blocked')}
            </p>
          ) : null}
          <label>
            <input type="checkbox" name="reviewed" checked={reviewed} disabled={blocked} onChange={(e) => setReviewed(e.currentTarget.checked)} />
            {t('admin.sign.reviewed')}
          </label>
          <ErrorBanner text={signing.error} />
          <button type="button" name="sign" disabled={blocked || !reviewed || signing.busy} aria-busy={signing.busy} onClick={() => void signAndSubmit()}>
            {signedByUs ? t('admin.sign.submit') : t('admin.sign.signSubmit')}
          </button>
        </section>
      ) : null}
      {!tools.root ? <p>{t('admin.needsRoot')}</p> : null}
      {tools.root && !isParty ? <p>{t('admin.sign.notParty', { agency: tools.agency })}</p> : null}
    </>
  );
}

/** What the hub says after a submission: the version's status, who signed, who has not. */
export function Submitted({ view, names }: { view: ProtocolView; names: (agency: string) => string }) {
  const { t, lang } = useLang();
  return (
    <p role="status" class={`state ${view.missing.length ? 'wait' : 'ok'}`} data-testid="protocol-submitted" data-status={view.status}>
      {view.missing.length ? '… ' : '✓ '}
      {t('admin.sign.submitted', {
        status: protocolStatusLabel(lang, view.status),
        signed: view.signedBy.map(names).join(', ') || '—',
        missing: view.missing.map(names).join(', ') || '—',
      })}
    </p>
  );
}
