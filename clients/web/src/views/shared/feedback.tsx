/** What every view says the same way: a list still being read or that failed, a failure, an action done. */
import type { ComponentChildren } from 'preact';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import type { Loaded } from '../../lib/load.js';

/** Reading, or why the read failed. */
export function LoadStatus({ loaded }: { loaded: Pick<Loaded<unknown>, 'data' | 'error' | 'loading'> }) {
  const { t, lang } = useLang();
  return (
    <>
      {loaded.loading && loaded.data === undefined ? <p aria-busy="true">{t('common.loading')}</p> : null}
      {loaded.error ? <p role="alert">{errorText(lang, loaded.error)}</p> : null}
    </>
  );
}

/** A list read from the hub: reading, its failure, the sentence for an empty list, or the list itself. */
export function LoadedList<T>({ loaded, empty, emptyTestid, children }: { loaded: Loaded<T[]>; empty: string; emptyTestid?: string; children(list: T[]): ComponentChildren }) {
  const list = loaded.data;
  return (
    <>
      <LoadStatus loaded={loaded} />
      {list && list.length === 0 ? <p data-testid={emptyTestid}>{empty}</p> : null}
      {list && list.length > 0 ? children(list) : null}
    </>
  );
}

/** A failure a person must read, in a frame that cannot be missed. */
export function ErrorBanner({ text }: { text: string | null }) {
  return text ? (
    <p role="alert" class="alert-banner">
      {text}
    </p>
  ) : null;
}

/** What an action just did. */
export function DoneNote({ text, testid }: { text: string | null; testid: string }) {
  return text ? (
    <p role="status" class="state ok" data-testid={testid}>
      ✓ {text}
    </p>
  ) : null;
}
