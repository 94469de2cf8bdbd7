/**
 * A state a person must not miss: colour, an icon and words together, never
 * colour alone. `banner` is the large form at the top of a view; a danger
 * banner is announced at once (role=alert), the others politely.
 */
import type { ComponentChildren } from 'preact';

export type Tone = 'ok' | 'wait' | 'danger' | 'off';

const ICONS: Record<Tone, string> = { ok: '✔', wait: '⏳', danger: '⚠', off: '✖' };

export function StateBadge({ tone, icon, children, testid, state }: { tone: Tone; icon?: string; children: ComponentChildren; testid?: string; state?: string }) {
  return (
    <span class={`state ${tone}`} data-testid={testid} data-state={state}>
      <span aria-hidden="true">{icon ?? ICONS[tone]}</span> {children}
    </span>
  );
}

export function StateBanner({ tone, icon, title, children, testid, state, extra }: { tone: Tone; icon?: string; title: string; children?: ComponentChildren; testid?: string; state?: string; extra?: string }) {
  return (
    <section class={`state-banner ${tone}${extra ? ` ${extra}` : ''}`} role={tone === 'danger' ? 'alert' : 'status'} data-testid={testid} data-state={state}>
      <p class="state-banner-title">
        <span class="state-banner-icon" aria-hidden="true">
          {icon ?? ICONS[tone]}
        </span>{' '}
        {title}
      </p>
      {children}
    </section>
  );
}
