/**
 * The console's shell: language, session (set up, locked, open), and the
 * areas a device's roles open — casework (senders), the alert desk
 * (receivers), administration (an agency's root key or the admin role),
 * audit (auditors and administrators). Each area is its own folder of views.
 */
import { LangProvider, useLang } from './lib/lang.js';
import { SessionProvider, useSession, type Open } from './lib/session.js';
import { href, useRoute } from './lib/router.js';
import { Setup } from './views/setup/setup.js';
import { Unlock } from './views/setup/unlock.js';
import { Guard } from './views/setup/guard.js';
import { DeviceView } from './views/setup/device.js';
import { ShelterArea } from './views/shelter/area.js';
import { DeskArea } from './views/desk/area.js';
import { DeskWatch } from './views/desk/watch.js';
import { AdminArea } from './views/admin/area.js';
import { AuditorArea } from './views/auditor/area.js';
import type { WordKey } from './words/index.js';

export function App() {
  return (
    <LangProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </LangProvider>
  );
}

type Area = 'shelter' | 'desk' | 'admin' | 'auditor' | 'device';

/** The areas this device may open, in the order they are offered (the first opens by default). */
export function areasOf(open: Open): Area[] {
  const roles = new Set(open.member?.roles ?? []);
  const areas: Area[] = [];
  // A shelter's people open on their cases; every other agency's on the alert desk.
  const casework = roles.has('sender') ? (['shelter'] as Area[]) : [];
  const desk = roles.has('receiver') ? (['desk'] as Area[]) : [];
  areas.push(...(open.member?.agencyKind === 'shelter' ? [...casework, ...desk] : [...desk, ...casework]));
  if (open.agency || roles.has('admin')) areas.push('admin');
  if (roles.has('auditor') || roles.has('admin')) areas.push('auditor');
  areas.push('device');
  return areas;
}

const AREA_WORD: Record<Area, WordKey> = { shelter: 'nav.shelter', desk: 'nav.desk', admin: 'nav.admin', auditor: 'nav.auditor', device: 'nav.device' };

function Shell() {
  const { t, lang, setLang } = useLang();
  const session = useSession();
  const route = useRoute();
  const state = session.state;
  const open = state.phase === 'open' ? state.open : null;
  // Idle on a receiving device: the desk keeps listening behind the guard.
  const guarded = state.phase === 'guarded' ? state.open : null;
  const areas = open ? areasOf(open) : [];
  // Adding another person's account to this browser: the set-up views, while the others stay locked.
  const adding = route.parts[0] === 'setup' || route.parts[0] === 'join';
  const area = (areas.includes(route.parts[0] as Area) ? route.parts[0] : areas[0]) as Area | undefined;
  return (
    <>
      <header class="container">
        <nav>
          <ul>
            <li>
              <strong>{t('app.name')}</strong> <small>{t('app.tagline')}</small>
            </li>
          </ul>
          <ul>
            <li>
              <button class="secondary outline" type="button" lang={lang === 'fr' ? 'en' : 'fr'} title={t('lang.switchLabel')} onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}>
                {t('lang.switch')}
              </button>
            </li>
            {open || guarded ? (
              <li>
                <button class="contrast outline" type="button" onClick={() => session.lock()}>
                  {t('lock.button')}
                </button>
              </li>
            ) : null}
          </ul>
        </nav>
        {open ? (
          <nav class="roles" aria-label={t('nav.main')}>
            <ul>
              {areas.map((a) => (
                <li key={a}>
                  <a href={href(a)} aria-current={a === area ? 'page' : undefined}>
                    {t(AREA_WORD[a])}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main class="container" id="main">
        {state.phase === 'loading' ? <p aria-busy="true">{t('common.loading')}</p> : null}
        {/* A revoked device whose account held nothing else: its keys are gone, it says why before anything else. */}
        {state.phase === 'locked' && state.reason === 'revoked' && state.accounts.length === 0 ? (
          <p role="alert" class="alert-banner" data-testid="revoked-notice">
            {t('unlock.revoked')}
          </p>
        ) : null}
        {state.phase === 'setup' || (state.phase === 'locked' && (state.accounts.length === 0 || adding)) ? <Setup route={route} /> : null}
        {state.phase === 'locked' && state.accounts.length > 0 && !adding ? <Unlock accounts={state.accounts} last={state.last} reason={state.reason} /> : null}
        {/* A danger alert calls the person whatever view is open. */}
        {guarded ? <Guard open={guarded} /> : null}
        {(open ?? guarded)?.member?.roles.includes('receiver') ? <DeskWatch member={(open ?? guarded)!.member!} onDesk={area === 'desk' && !guarded} /> : null}
        {open && area === 'shelter' ? <ShelterArea route={route} /> : null}
        {open && area === 'desk' ? <DeskArea route={route} /> : null}
        {open && area === 'admin' ? <AdminArea route={route} /> : null}
        {open && area === 'auditor' ? <AuditorArea route={route} /> : null}
        {open && area === 'device' ? <DeviceView /> : null}
      </main>
    </>
  );
}
