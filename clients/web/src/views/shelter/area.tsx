import type { Route } from '../../lib/router.js';
import { useLang } from '../../lib/lang.js';

/** The shelter area (issue 13): its views, by route. */
export function ShelterArea({ route }: { route: Route }) {
  const { t } = useLang();
  void route;
  return <h1>{t('nav.shelter')}</h1>;
}
