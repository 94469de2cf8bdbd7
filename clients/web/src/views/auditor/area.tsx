/**
 * The auditor area (issue 13): the communications register, the
 * disclosure log checked in this browser, and an acceptance proof file
 * checked offline — each its own view, by route.
 */
import type { Route } from '../../lib/router.js';
import { href } from '../../lib/router.js';
import { useLang } from '../../lib/lang.js';
import { Register } from './register.js';
import { LogCheck } from './log.js';
import { ProofCheck } from './proof.js';
import './auditor.css';

const VIEWS = [
  ['register', 'auditor', 'auditor.tab.register'],
  ['log', 'auditor/log', 'auditor.tab.log'],
  ['proof', 'auditor/proof', 'auditor.tab.proof'],
] as const;

export function AuditorArea({ route }: { route: Route }) {
  const { t } = useLang();
  const view = route.parts[1] === 'log' || route.parts[1] === 'proof' ? route.parts[1] : 'register';
  return (
    <>
      <nav class="auditor-views" aria-label={t('auditor.views')}>
        <ul>
          {VIEWS.map(([id, path, word]) => (
            <li key={id}>
              <a href={href(path)} aria-current={id === view ? 'page' : undefined} data-view={id}>
                {t(word)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'log' ? <LogCheck /> : view === 'proof' ? <ProofCheck /> : <Register />}
    </>
  );
}
