/** What a view reads from the hub: loaded once, again on `reload()` or when a dependency changes; the last answer stays shown meanwhile. */
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  /** The last value read; undefined until the first answer, and after a failure. */
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [round, ...deps]);
  return { ...state, reload: () => setRound((r) => r + 1) };
}
