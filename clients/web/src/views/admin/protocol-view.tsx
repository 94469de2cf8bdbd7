/**
 * One stored protocol version: its review, the fingerprints to compare with
 * the partners, each signature checked here; signing (or co-signing what a
 * partner submitted) and retiring, for a party holding its root key.
 */
import { useState } from 'preact/hooks';
import { reviewProtocol } from '../../../../../protocol/protocol-review.js';
import { getProtocol, protocolVersions } from '../../../../sdk/protocols.js';
import { useAction } from '../../lib/action.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { href } from '../../lib/router.js';
import { ConfirmDialog } from '../shared/confirm-dialog.js';
import { SignPanel } from './protocol-sign.js';
import { StatusBadge } from './protocols.js';
import { ReviewBody } from './review.js';
import { formatDate } from '../../lib/time.js';
import { useAdmin, useAgencyNames } from './tools.js';

export function ProtocolView({ id, version }: { id: string; version: number }) {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const { name } = useAgencyNames();
  const loaded = useLoad(async () => {
    const [signed, versions] = await Promise.all([getProtocol(tools.http, id, version), protocolVersions(tools.http, id)]);
    return { signed, view: versions.find((v) => v.version === version) ?? null };
  }, [id, version]);
  const [retiring, setRetiring] = useState(false);
  const action = useAction();

  if (loaded.error) return <p role="alert">{errorText(lang, loaded.error)}</p>;
  if (!loaded.data) return <p aria-busy="true">{t('common.loading')}</p>;
  const { signed, view } = loaded.data;
  const review = reviewProtocol(signed.document, lang, (d) => tools.crypto.sha256(d));
  const isParty = signed.document.parties.some((p) => p.agency === tools.agency);
  const retirable = tools.root && isParty && view && ['active', 'scheduled', 'pending_signatures'].includes(view.status);

  function retire() {
    return action.run(async () => {
      await tools.root!.admin.retireProtocol(id);
      setRetiring(false);
      loaded.reload();
    });
  }

  return (
    <article aria-labelledby="protocol-title" data-testid="protocol-view">
      <hgroup>
        <h2 id="protocol-title">{review.title}</h2>
        <p>{view ? <StatusBadge status={view.status} /> : null}</p>
      </hgroup>
      {view?.retiredAt ? <p>{t('admin.protocol.retiredAt', { time: formatDate(lang, view.retiredAt) })}</p> : null}
      <ReviewBody review={review} names={name} />
      <SignPanel signed={signed} names={name} onSubmitted={() => loaded.reload()} />
      {retirable ? (
        <section aria-labelledby="retire-title">
          <h3 id="retire-title">{t('admin.protocol.retireTitle')}</h3>
          <p>{t('admin.protocol.retireWhat')}</p>
          <button type="button" class="secondary" name="retire" onClick={() => setRetiring(true)}>
            {t('admin.protocol.retire')}
          </button>
        </section>
      ) : null}
      {retiring ? (
        <ConfirmDialog
          testid="retire-dialog"
          title={t('admin.protocol.retireConfirmTitle', { title: review.title })}
          confirm={t('admin.protocol.retire')}
          busy={action.busy}
          error={action.error}
          onConfirm={() => void retire()}
          onCancel={() => setRetiring(false)}
        >
          <p>{t('admin.protocol.retireFinal', { agency: name(tools.agency) })}</p>
        </ConfirmDialog>
      ) : null}
      <p>
        <a href={href('admin/protocols')}>{t('admin.protocol.back')}</a>
      </p>
    </article>
  );
}
