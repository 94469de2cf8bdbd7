/**
 * The agency's inboxes: each desk's names and the version of its key; a new
 * inbox (its key pair made here, kept in the agency's sealed keys before the
 * hub hears of it); a new key for an inbox, sealed to the devices that read it.
 */
import { useState } from 'preact/hooks';
import { agencyInboxes } from '../../../../sdk/agencies.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { useAdmin } from './tools.js';
import { TableRegion } from './widgets.js';

const DESK_PATTERN = '[a-z0-9](?:[a-z0-9\\-]{0,38}[a-z0-9])?';

export function InboxesView() {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const inboxes = useLoad(() => agencyInboxes(tools.http, tools.agency), [tools.agency]);
  const [desk, setDesk] = useState('');
  const [nameFr, setNameFr] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const held = tools.root?.keys.inboxes ?? {};

  async function run(what: string, action: () => Promise<string>) {
    setBusy(what);
    setError(null);
    setDone(null);
    try {
      const message = await action();
      // The agency's keys changed (a new inbox key): sealed again before anything else.
      await tools.root!.save();
      setDone(message);
      inboxes.reload();
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(null);
    }
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
      {done ? (
        <p role="status" class="state ok" data-testid="inboxes-done">
          ✓ {done}
        </p>
      ) : null}
      {error ? (
        <p role="alert" class="alert-banner">
          {error}
        </p>
      ) : null}
      {inboxes.loading && !inboxes.data ? <p aria-busy="true">{t('common.loading')}</p> : null}
      {inboxes.error ? <p role="alert">{errorText(lang, inboxes.error)}</p> : null}
      {inboxes.data && inboxes.data.length === 0 ? <p data-testid="inboxes-empty">{t('admin.inboxes.none')}</p> : null}
      {inboxes.data && inboxes.data.length > 0 ? (
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
              {inboxes.data.map((i) => {
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
                          aria-busy={busy === i.inbox}
                          disabled={busy !== null || !!stale}
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
      ) : null}
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
          <button type="submit" name="create-inbox" disabled={busy !== null} aria-busy={busy === 'create'}>
            {t('admin.inboxes.create')}
          </button>
        </form>
      ) : (
        <p>{t('admin.needsRoot')}</p>
      )}
    </section>
  );
}
