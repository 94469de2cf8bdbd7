/**
 * Hash routes (`#/desk`, `#/shelter/case/DOSSIER-7`, `#/join?i=…&c=…`): the
 * page is one static file, so every view has an address a person can keep
 * and the back button works.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after `#/`, e.g. ['shelter', 'case', 'DOSSIER-7']. */
  parts: string[];
  params: URLSearchParams;
}

function current(): Route {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    addEventListener('hashchange', on);
    // The address may have changed between the first render and this subscription.
    on();
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(path: string): void {
  location.hash = `#/${path.replace(/^\//, '')}`;
}

export const href = (path: string) => `#/${path.replace(/^\//, '')}`;
