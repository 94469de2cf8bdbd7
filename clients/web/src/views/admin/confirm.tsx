/** A confirmation a person must give before an irreversible action: Pico's modal <dialog>, focus inside, Escape cancels. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLang } from '../../lib/lang.js';

export function ConfirmDialog(props: { title: string; confirm: string; busy: boolean; onConfirm(): void; onCancel(): void; children: ComponentChildren; testid: string }) {
  const { t } = useLang();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={`${props.testid}-title`} data-testid={props.testid} onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <article>
        <h2 id={`${props.testid}-title`}>{props.title}</h2>
        {props.children}
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
