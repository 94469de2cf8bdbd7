/** A key file made by the CLI (`vigie keys member|agency`, sealed the same way), kept on this browser after its passphrase opened it. */
import { useState } from 'preact/hooks';
import { Value } from '@sinclair/typebox/value';
import { KeyFileSchema } from '../../../../../protocol/keyfile.js';
import { isProtocolError } from '../../../../../protocol/errors.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useSession } from '../../lib/session.js';

export function ImportKeys() {
  const { t, lang } = useLang();
  const session = useSession();
  const [file, setFile] = useState<unknown>(null);
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function pick(e: Event) {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    setError(null);
    if (!f) return setFile(null);
    try {
      const value = JSON.parse(await f.text()) as unknown;
      if (!Value.Check(KeyFileSchema, value)) throw new Error('not a key file');
      setFile(value);
    } catch {
      setFile(null);
      setError(t('import.notAKeyFile'));
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!Value.Check(KeyFileSchema, file)) return;
    try {
      await session.importFile(file, pass);
      location.hash = '';
      location.reload();
    } catch (err) {
      setError(isProtocolError(err, 'KEYFILE_INVALID') ? t('unlock.wrong') : errorText(lang, err));
    }
  }

  return (
    <article>
      <h1>{t('import.title')}</h1>
      <p>{t('import.intro')}</p>
      <form onSubmit={submit}>
        <label>
          {t('import.file')}
          <input type="file" name="key-file" accept=".key,application/json" onChange={pick} />
        </label>
        <label>
          {t('unlock.passphrase')}
          <input type="password" name="passphrase" autocomplete="current-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
        </label>
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={!file || !pass}>
          {t('import.submit')}
        </button>
      </form>
    </article>
  );
}
