/** A new passphrase, typed twice: it seals this device's keys (Argon2id, as the CLI's key files). */
import { useLang } from '../../lib/lang.js';

export const MIN_PASSPHRASE = 12;

export function NewPassphrase({ value, confirm, onValue, onConfirm }: { value: string; confirm: string; onValue(v: string): void; onConfirm(v: string): void }) {
  const { t } = useLang();
  const short = value.length > 0 && value.length < MIN_PASSPHRASE;
  const differs = confirm.length > 0 && confirm !== value;
  return (
    <fieldset>
      <label>
        {t('passphrase.new')}
        <input type="password" name="passphrase" autocomplete="new-password" required minLength={MIN_PASSPHRASE} value={value} aria-invalid={short ? 'true' : undefined} aria-describedby="passphrase-help" onInput={(e) => onValue(e.currentTarget.value)} />
        <small id="passphrase-help">{t('passphrase.help', { min: MIN_PASSPHRASE })}</small>
      </label>
      <label>
        {t('passphrase.confirm')}
        <input type="password" name="passphrase-confirm" autocomplete="new-password" required value={confirm} aria-invalid={differs ? 'true' : undefined} onInput={(e) => onConfirm(e.currentTarget.value)} />
        {differs ? <small>{t('passphrase.differs')}</small> : null}
      </label>
    </fieldset>
  );
}

export const passphraseReady = (value: string, confirm: string) => value.length >= MIN_PASSPHRASE && value === confirm;
