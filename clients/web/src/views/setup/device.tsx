/** This device: who it is, the keys it holds and pinned, its idle lock, and its key files to take to the CLI. */
import { useState } from 'preact/hooks';
import { deviceFingerprint } from '../../../../../protocol/fingerprint.js';
import { readableFingerprint, rootKeyFingerprint } from '../../../../../protocol/protocol-document.js';
import { publicMemberKeys } from '../../../../sdk/keys.js';
import type { KeyFile } from '../../../../../protocol/keyfile.js';
import { browserPinStore, settings } from '../../lib/device-store.js';
import { useLang } from '../../lib/lang.js';
import { useOpen } from '../../lib/session.js';
import { roleLabel } from '../../lib/vocabulary.js';

/** The sealed file as the CLI reads it: still under the person's passphrase. */
function download(file: KeyFile | undefined, name: string) {
  if (!file) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' }));
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function DeviceView() {
  const { t, lang } = useLang();
  const open = useOpen();
  const [idle, setIdle] = useState(settings.idleMinutes());
  const sha = (d: Uint8Array) => open.crypto.sha256(d);
  const pins = browserPinStore.load();
  return (
    <article>
      <h1>{t('device.title')}</h1>
      {open.member ? (
        <section>
          <p>
            {t('device.member', {
              label: open.member.label,
              agency: open.member.keys.agency,
              roles: open.member.roles.map((r) => roleLabel(lang, r)).join(', '),
              inboxes: open.member.inboxes.join(', ') || '—',
            })}
          </p>
          <p>{t('device.fingerprint', { fingerprint: deviceFingerprint(sha, publicMemberKeys(open.member.keys)) })}</p>
          <button type="button" class="secondary" onClick={() => download(open.fileOf('member'), 'member.key')}>
            {t('device.export')} — member.key
          </button>
        </section>
      ) : null}
      {open.agency ? (
        <section>
          <p>{t('device.agencyKeys', { agency: open.agency.keys.agency })}</p>
          <button type="button" class="secondary" onClick={() => download(open.fileOf('agency'), 'agency.key')}>
            {t('device.export')} — agency.key
          </button>
        </section>
      ) : null}
      <section>
        <h2>{t('device.pinned')}</h2>
        <ul>
          {Object.entries(pins).map(([agency, key]) => (
            <li key={agency}>
              {agency} — <code>{readableFingerprint(rootKeyFingerprint(sha, key))}</code>
            </li>
          ))}
        </ul>
      </section>
      <label>
        {t('device.idle')}
        <input
          type="number"
          name="idle-minutes"
          min={1}
          max={240}
          value={idle}
          onChange={(e) => {
            const m = Math.min(240, Math.max(1, Number(e.currentTarget.value) || 15));
            setIdle(m);
            settings.setIdleMinutes(m);
          }}
        />
      </label>
    </article>
  );
}
