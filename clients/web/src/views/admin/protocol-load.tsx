/**
 * Loading a protocol document from a file: a shipped template
 * (config/protocols/*.json, its parties to name), a draft or a partly signed
 * file as `vigie protocol draft|sign` write them. Then the same review,
 * fingerprints, signature and submission as for a stored version.
 */
import { useState } from 'preact/hooks';
import { Value } from '@sinclair/typebox/value';
import {
  checkProtocolDocument,
  draftProtocol,
  ProtocolDocumentSchema,
  rootKeyFingerprint,
  SignedProtocolSchema,
  templateRoles,
  type ProtocolDocument,
  type ProtocolView,
  type SignedProtocol,
} from '../../../../../protocol/protocol-document.js';
import { reviewProtocol } from '../../../../../protocol/protocol-review.js';
import { browserPinStore } from '../../lib/device-store.js';
import { useAction } from '../../lib/action.js';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import { kindLabel } from '../../lib/vocabulary.js';
import { ErrorBanner } from '../shared/feedback.js';
import { SignPanel } from './protocol-sign.js';
import { ReviewBody } from './review.js';
import { useAdmin, useAgencyNames } from './tools.js';
import { AgencyViewSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../../protocol/api/routes.js';

type Loaded = { kind: 'signed'; signed: SignedProtocol } | { kind: 'template'; template: Record<string, unknown>; roles: { role: string; kind: string }[] };

function read(value: unknown): Loaded | null {
  if (Value.Check(SignedProtocolSchema, value)) return { kind: 'signed', signed: value };
  if (Value.Check(ProtocolDocumentSchema, value)) return { kind: 'signed', signed: { document: value, signatures: [] } };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const roles = templateRoles(value as { parties?: unknown });
    if (roles.length > 0) return { kind: 'template', template: value as Record<string, unknown>, roles };
  }
  return null;
}

export function LoadProtocolView() {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const { name, agencies } = useAgencyNames();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [bindings, setBindings] = useState<Record<string, string>>({});
  const [effective, setEffective] = useState('');
  const [signed, setSigned] = useState<SignedProtocol | null>(null);
  const [submitted, setSubmitted] = useState<ProtocolView | null>(null);
  const action = useAction();

  if (!tools.root) return <p>{t('admin.needsRoot')}</p>;

  async function choose(e: Event) {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    action.fail(null);
    setSigned(null);
    setSubmitted(null);
    setLoaded(null);
    if (!file) return;
    let value: unknown;
    try {
      value = JSON.parse(await file.text());
    } catch {
      return action.fail(t('admin.load.notJson'));
    }
    const found = read(value);
    if (!found) return action.fail(t('admin.load.notProtocol'));
    setLoaded(found);
    if (found.kind === 'signed') return setSigned(found.signed);
    // Each role bound to this agency when it is of that kind; the partners are chosen.
    const own = agencies.data?.find((a) => a.id === tools.agency);
    setBindings(Object.fromEntries(found.roles.filter((r) => own?.kind === r.kind).map((r) => [r.role, tools.agency])));
  }

  async function prepare(e: Event) {
    e.preventDefault();
    if (loaded?.kind !== 'template') return;
    const template = loaded.template;
    await action.run(async () => {
      const sha = (d: Uint8Array) => tools.crypto.sha256(d);
      const pins = browserPinStore.load();
      const fingerprints: Record<string, string> = {};
      for (const agency of new Set(Object.values(bindings))) {
        // The document names each party's key: ours, a pinned partner's, or the hub's (to compare by phone before signing).
        const key = agency === tools.agency ? tools.root!.keys.root.publicKey : (pins[agency] ?? (await tools.http.get(routePath(ROUTES.agency, { agency }), AgencyViewSchema)).rootKey);
        fingerprints[agency] = rootKeyFingerprint(sha, key);
      }
      const effectiveFrom = effective ? new Date(effective).toISOString() : new Date().toISOString();
      const doc = draftProtocol(template, bindings, { effectiveFrom, rootKeyFingerprints: fingerprints });
      const schema = [...Value.Errors(ProtocolDocumentSchema, doc)].map((x) => `${x.path || '/'}: ${x.message}`);
      const problems = schema.length ? schema : checkProtocolDocument(doc as ProtocolDocument).map((p) => `${p.path}: ${p.problem}`);
      if (problems.length) return action.fail(`${t('admin.sign.incoherent')} ${problems.slice(0, 5).join('; ')}`);
      setSigned({ document: doc as ProtocolDocument, signatures: [] });
    });
  }

  return (
    <article aria-labelledby="load-title" data-testid="load-protocol">
      <h2 id="load-title">{t('admin.load.title')}</h2>
      <p>{t('admin.load.intro')}</p>
      <label>
        {t('admin.load.file')}
        <input type="file" name="protocol-file" accept=".json,application/json" onChange={(e) => void choose(e)} />
      </label>
      <ErrorBanner text={action.error} />
      {loaded?.kind === 'template' && !signed ? (
        <form onSubmit={(e) => void prepare(e)} data-testid="bind-form">
          <h3>{t('admin.load.bindTitle')}</h3>
          <p>{t('admin.load.bindIntro')}</p>
          {loaded.roles.map((r) => (
            <label key={r.role}>
              {t('admin.load.party', { kind: kindLabel(lang, r.kind) })}
              <select name={`party-${r.role}`} required value={bindings[r.role] ?? ''} onChange={(e) => setBindings({ ...bindings, [r.role]: e.currentTarget.value })}>
                <option value="">{t('admin.load.choose')}</option>
                {(agencies.data ?? [])
                  .filter((a) => a.kind === r.kind)
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {name(a.id)}
                    </option>
                  ))}
              </select>
            </label>
          ))}
          <label>
            {t('admin.load.effective')}
            <input type="datetime-local" name="effective" value={effective} aria-describedby="effective-help" onInput={(e) => setEffective(e.currentTarget.value)} />
            <small id="effective-help">{t('admin.load.effectiveHelp')}</small>
          </label>
          <button type="submit" name="prepare" aria-busy={action.busy} disabled={action.busy || loaded.roles.some((r) => !bindings[r.role])}>
            {t('admin.load.prepare')}
          </button>
        </form>
      ) : null}
      {signed ? (
        <>
          <h3>{reviewProtocol(signed.document, lang, (d) => tools.crypto.sha256(d)).title}</h3>
          <ReviewBody review={reviewProtocol(signed.document, lang, (d) => tools.crypto.sha256(d))} names={name} />
          <SignPanel signed={signed} names={name} onSubmitted={setSubmitted} />
          {submitted ? (
            <p>
              <a href={href(`admin/protocol/${encodeURIComponent(submitted.id)}/${submitted.version}`)} data-testid="open-submitted">
                {t('admin.load.openSubmitted')}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
    </article>
  );
}
