/**
 * The agency's protocols, by where they stand: in force (or signed and due),
 * awaiting signatures — this agency's first, a partner's to co-sign — and
 * ended (superseded or retired). Each opens its review.
 */
import type { ProtocolStatus, ProtocolView } from '../../../../../protocol/protocol-document.js';
import { listProtocols } from '../../../../sdk/protocols.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { href } from '../../lib/router.js';
import { protocolStatusLabel } from '../../lib/vocabulary.js';
import type { WordKey } from '../../words/index.js';
import { useAdmin, useAgencyNames } from './tools.js';
import { TableRegion } from './widgets.js';

const GROUPS: [WordKey, ProtocolStatus[]][] = [
  ['admin.protocols.inForce', ['active', 'scheduled']],
  ['admin.protocols.awaiting', ['pending_signatures']],
  ['admin.protocols.ended', ['superseded', 'retired']],
];
const STATE_CLASS: Record<ProtocolStatus, string> = { active: 'ok', scheduled: 'ok', pending_signatures: 'wait', superseded: 'wait', retired: 'danger' };
const STATE_ICON: Record<ProtocolStatus, string> = { active: '✓', scheduled: '✓', pending_signatures: '…', superseded: '↷', retired: '✕' };

export function StatusBadge({ status }: { status: ProtocolStatus }) {
  const { lang } = useLang();
  return (
    <span class={`state ${STATE_CLASS[status]}`} data-testid="protocol-status" data-status={status}>
      {STATE_ICON[status]} {protocolStatusLabel(lang, status)}
    </span>
  );
}

export function ProtocolsView() {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const { name } = useAgencyNames();
  const protocols = useLoad(() => listProtocols(tools.http), [tools.agency]);
  const ours = (protocols.data ?? []).filter((p) => p.parties.some((x) => x.agency === tools.agency) || p.requiredSigners.includes(tools.agency));

  const row = (p: ProtocolView) => {
    const waitingForUs = p.missing.includes(tools.agency);
    return (
      <tr key={`${p.id}@${p.version}`} data-protocol={`${p.id}@${p.version}`}>
        <th scope="row">
          <a href={href(`admin/protocol/${encodeURIComponent(p.id)}/${p.version}`)}>{p.titles[lang]}</a>
          <br />
          <small>
            <code>{p.id}</code> — {t('admin.review.version', { version: p.version })}
          </small>
        </th>
        <td>
          <StatusBadge status={p.status} />
          {waitingForUs ? (
            <p>
              <strong class="state wait" data-testid="awaits-us">
                ✎ {t('admin.protocols.awaitsUs')}
              </strong>
            </p>
          ) : null}
        </td>
        <td>{p.signedBy.map(name).join(', ') || '—'}</td>
        <td>{p.missing.map(name).join(', ') || '—'}</td>
      </tr>
    );
  };

  return (
    <section aria-labelledby="protocols-title">
      <h2 id="protocols-title">{t('admin.protocols.title')}</h2>
      <p>{t('admin.protocols.intro')}</p>
      {tools.root ? (
        <p>
          <a href={href('admin/load')} role="button" data-testid="load-protocol-link">
            {t('admin.protocols.load')}
          </a>
        </p>
      ) : (
        <p>{t('admin.needsRoot')}</p>
      )}
      {protocols.loading && !protocols.data ? <p aria-busy="true">{t('common.loading')}</p> : null}
      {protocols.error ? <p role="alert">{errorText(lang, protocols.error)}</p> : null}
      {GROUPS.map(([word, statuses]) => {
        const list = ours.filter((p) => statuses.includes(p.status));
        return (
          <section key={word} aria-label={t(word)}>
            <h3>{t(word)}</h3>
            {list.length === 0 ? (
              <p>{t('common.none')}</p>
            ) : (
              <TableRegion label={t(word)}>
                <table data-testid={`protocols-${statuses[0]}`}>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.protocols.protocol')}</th>
                      <th scope="col">{t('admin.members.state')}</th>
                      <th scope="col">{t('admin.protocols.signedBy')}</th>
                      <th scope="col">{t('admin.protocols.missing')}</th>
                    </tr>
                  </thead>
                  <tbody>{list.map(row)}</tbody>
                </table>
              </TableRegion>
            )}
          </section>
        );
      })}
    </section>
  );
}
