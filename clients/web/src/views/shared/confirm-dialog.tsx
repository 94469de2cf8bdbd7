/**
 * A confirmation a person must give before an irreversible action (revoking
 * a device or a consent, retiring a protocol): Pico's modal <dialog>, focus
 * inside, Escape cancels; what the action does is the dialog's description,
 * and its failure shows inside.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLang } from '../../lib/lang.js';
import { ErrorBanner } from './feedback.js';

export function ConfirmDialog(props: { title: string; confirm: string; busy: boolean; error: string | null; onConfirm(): void; onCancel(): void; children: ComponentChildren; testid: string }) {
  const { t } = useLang();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={`${props.testid}-title`} aria-describedby={`${props.testid}-what`} data-testid={props.testid} onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <article>
        <h2 id={`${props.testid}-title`}>{props.title}</h2>
        <div id={`${props.testid}-what`}>{props.children}</div>
        <ErrorBanner text={props.error} />
        <footer>
          <button type="button" class="secondary" disabled={props.busy} onClick={props.onCancel}>
            {t('common.cancel')}
          </button>{' '}
          <button type="button" class="danger-button" name="confirm" aria-busy={props.busy} disabled={props.busy} onClick={props.onConfirm}>
            {props.confirm}
          </button>
        </footer>
      </article>
    </dialog>
  );
}
