/**
 * The passphrase that opens an account's sealed keys (unlock) or lifts an
 * idle device's guard: one field, one button, "wrong passphrase" in words.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useAction } from '../../lib/action.js';
import { useLang } from '../../lib/lang.js';
import { ErrorBanner } from './feedback.js';

export function PassphraseForm({
  open,
  button,
  working,
  explain,
  children,
}: {
  /** Tries the passphrase: false when it is not this account's. */
  open(passphrase: string): Promise<boolean>;
  button: string;
  /** The button's words while the keys are being opened. */
  working?: string;
  /** A failure this form says better than the shared words. */
  explain?: (err: unknown) => string | null;
  /** What stands above the field (the account to open). */
  children?: ComponentChildren;
}) {
  const { t } = useLang();
  const [pass, setPass] = useState('');
  const action = useAction(explain);

  function submit(e: Event) {
    e.preventDefault();
    void action.run(async () => {
      if (!(await open(pass))) action.fail(t('unlock.wrong'));
    });
  }

  return (
    <form onSubmit={submit}>
      {children}
      <label>
        {t('unlock.passphrase')}
        <input type="password" name="passphrase" autocomplete="current-password" required autofocus value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
      </label>
      <ErrorBanner text={action.error} />
      <button type="submit" disabled={action.busy || !pass} aria-busy={action.busy}>
        {action.busy && working ? working : button}
      </button>
    </form>
  );
}
