/**
 * Key files made by the CLI (`vigie keys member|agency`, sealed the same
 * way) kept on this browser, each as an account named after its file. One
 * file is opened once with its passphrase to check it; several at once (the
 * demo's accounts) are kept as they are and opened at unlock.
 */
import { useState } from 'preact/hooks';
import { Value } from '@sinclair/typebox/value';
import { KeyFileSchema, type KeyFile } from '../../../../../protocol/keyfile.js';
import { isProtocolError } from '../../../../../protocol/errors.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useSession } from '../../lib/session.js';

interface Picked {
  name: string;
  file: KeyFile;
}

const stem = (name: string) => name.replace(/\.(key|json)$/i, '');

export function ImportKeys() {
  const { t, lang } = useLang();
  const session = useSession();
  const [picked, setPicked] = useState<Picked[]>([]);
  const [label, setLabel] = useState('');
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick(e: Event) {
    const files = Array.from((e.currentTarget as HTMLInputElement).files ?? []);
    setError(null);
    const read: Picked[] = [];
    for (const f of files) {
      try {
        const value = JSON.parse(await f.text()) as unknown;
        if (!Value.Check(KeyFileSchema, value)) throw new Error('not a key file');
        read.push({ name: f.name, file: value });
      } catch {
        setPicked([]);
        return setError(t('import.notAKeyFile', { name: f.name }));
      }
    }
    setPicked(read);
    setLabel(read.length === 1 ? stem(read[0]!.name) : '');
  }

  const one = picked.length === 1;

  async function submit(e: Event) {
    e.preventDefault();
    if (picked.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      if (one) await session.importFiles([picked[0]!.file], label.trim() || stem(picked[0]!.name), pass);
      else for (const p of picked) await session.importFiles([p.file], stem(p.name));
      location.hash = '';
      location.reload();
    } catch (err) {
      setError(isProtocolError(err, 'KEYFILE_INVALID') ? t('unlock.wrong') : errorText(lang, err));
      setBusy(false);
    }
  }

  return (
    <article>
      <h1>{t('import.title')}</h1>
      <p>{t('import.intro')}</p>
      <form onSubmit={submit}>
        <label>
          {t('import.file')}
          <input type="file" name="key-file" multiple accept=".key,.json,application/json" onChange={pick} />
        </label>
        {one ? (
          <label>
            {t('import.label')}
            <input name="label" value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
            <small>{t('import.labelHelp')}</small>
          </label>
        ) : null}
        {one ? (
          <label>
            {t('unlock.passphrase')}
            <input type="password" name="passphrase" autocomplete="current-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
            <small>{t('import.passphraseHelp')}</small>
          </label>
        ) : picked.length > 1 ? (
          <p>{t('import.manyAccounts', { count: picked.length })}</p>
        ) : null}
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={picked.length === 0 || (one && !pass) || busy} aria-busy={busy}>
          {t('import.submit')}
        </button>
      </form>
    </article>
  );
}
