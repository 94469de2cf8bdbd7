/**
 * The agency's inboxes: each desk's names and the version of its key; a new
 * inbox (its key pair made here, kept in the agency's sealed keys before the
 * hub hears of it); a new key for an inbox, sealed to the devices that read it.
 */
import { useState } from 'preact/hooks';
import { agencyInboxes } from '../../../../sdk/agencies.js';
import { useAction } from '../../lib/action.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { useAdmin } from './tools.js';
import { DoneNote, ErrorBanner, LoadedList } from '../shared/feedback.js';
import { TableRegion } from './widgets.js';

const DESK_PATTERN = '[a-z0-9](?:[a-z0-9\\-]{0,38}[a-z0-9])?';

export function InboxesView() {
  const { t } = useLang();
  const tools = useAdmin();
  const inboxes = useLoad(() => agencyInboxes(tools.http, tools.agency), [tools.agency]);
  const [desk, setDesk] = useState('');
  const [nameFr, setNameFr] = useState('');
  const [nameEn, setNameEn] = useState('');
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const held = tools.root?.keys.inboxes ?? {};

  function run(what: string, change: () => Promise<string>) {
    setDone(null);
    return action.run(
      async () => {
        const message = await change();
        // The agency's keys changed (a new inbox key): sealed again before anything else.
        await tools.root!.save();
        setDone(message);
        inboxes.reload();
      },
      { what },
    );
  }

  function create(e: Event) {
    e.preventDefault();
    void run('create', async () => {
      const inbox = await tools.root!.admin.createInbox(desk, { fr: nameFr.trim(), en: nameEn.trim() });
      setDesk('');
      setNameFr('');
      setNameEn('');
      return t('admin.inboxes.created', { inbox });
    });
  }

  return (
    <section aria-labelledby="inboxes-title">
      <h2 id="inboxes-title">{t('admin.inboxes.title')}</h2>
      <p>{t('admin.inboxes.intro')}</p>
      <DoneNote text={done} testid="inboxes-done" />
      <ErrorBanner text={action.error} />
      <LoadedList loaded={inboxes} empty={t('admin.inboxes.none')} emptyTestid="inboxes-empty">
        {(list) => (
          <TableRegion label={t('admin.inboxes.title')}>
            <table data-testid="inboxes-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.inboxes.address')}</th>
                  <th scope="col">{t('admin.inboxes.nameFr')}</th>
                  <th scope="col">{t('admin.inboxes.nameEn')}</th>
                  <th scope="col">{t('admin.inboxes.keyVersion')}</th>
                  {tools.root ? <th scope="col">{t('admin.inboxes.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {list.map((i) => {
                  const mine = held[i.inbox];
                  const stale = tools.root && (!mine || mine.keyVersion !== i.keyVersion);
                  return (
                    <tr key={i.inbox} data-inbox={i.inbox}>
                      <th scope="row">
                        <code>{i.inbox}</code>
                      </th>
                      <td lang="fr">{i.names.fr}</td>
                      <td lang="en">{i.names.en}</td>
                      <td>
                        <span data-testid="key-version">{i.keyVersion}</span>
                        {stale ? (
                          <p class="state danger" role="note">
                            ⚠ {t('admin.inboxes.stale', { version: mine?.keyVersion ?? '—' })}
                          </p>
                        ) : null}
                      </td>
                      {tools.root ? (
                        <td>
                          <button
                            type="button"
                            class="secondary"
                            name="rotate"
                            aria-busy={action.running === i.inbox}
                            disabled={action.busy || !!stale}
                            onClick={() =>
                              void run(i.inbox, async () => {
                                const res = await tools.root!.admin.rotateInbox(i.inbox);
                                return t('admin.inboxes.rotated', { inbox: res.inbox, version: res.keyVersion });
                              })
                            }
                          >
                            {t('admin.inboxes.rotate')}
                            <span class="visually-hidden"> — {i.inbox}</span>
                          </button>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableRegion>
        )}
      </LoadedList>
      {tools.root ? (
        <form onSubmit={create} data-testid="inbox-form">
          <h3>{t('admin.inboxes.new')}</h3>
          <label>
            {t('admin.inboxes.desk')}
            <input name="desk" required pattern={DESK_PATTERN} maxLength={40} value={desk} aria-describedby="desk-help" onInput={(e) => setDesk(e.currentTarget.value.trim())} />
            <small id="desk-help">{t('admin.inboxes.deskHelp', { agency: tools.agency })}</small>
          </label>
          <div class="grid">
            <label>
              {t('admin.inboxes.nameFr')}
              <input name="inbox-name-fr" lang="fr" required maxLength={200} value={nameFr} onInput={(e) => setNameFr(e.currentTarget.value)} />
            </label>
            <label>
              {t('admin.inboxes.nameEn')}
              <input name="inbox-name-en" lang="en" required maxLength={200} value={nameEn} onInput={(e) => setNameEn(e.currentTarget.value)} />
            </label>
          </div>
          <button type="submit" name="create-inbox" disabled={action.busy} aria-busy={action.running === 'create'}>
            {t('admin.inboxes.create')}
          </button>
        </form>
      ) : (
        <p>{t('admin.needsRoot')}</p>
      )}
    </section>
  );
}
