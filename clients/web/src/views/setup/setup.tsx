/** A browser without keys for this hub: join by invitation, register a new agency, or import a key file made by the CLI. */
import { useLang } from '../../lib/lang.js';
import { href, type Route } from '../../lib/router.js';
import { Join } from './join.js';
import { NewAgency } from './new-agency.js';
import { ImportKeys } from './import-keys.js';

export function Setup({ route }: { route: Route }) {
  const { t } = useLang();
  const [first, second] = route.parts;
  if (first === 'join') return <Join params={route.params} />;
  if (first === 'setup' && second === 'agency') return <NewAgency />;
  if (first === 'setup' && second === 'import') return <ImportKeys />;
  return (
    <article>
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <ul>
        <li>
          <a href={href('join')}>{t('setup.join')}</a>
        </li>
        <li>
          <a href={href('setup/agency')}>{t('setup.agency')}</a>
        </li>
        <li>
          <a href={href('setup/import')}>{t('setup.import')}</a>
        </li>
      </ul>
    </article>
  );
}
