/** Urgency as words, an icon and a colour together: never colour alone. */
import { useLang } from '../../lib/lang.js';
import { urgencyLabel } from '../../lib/vocabulary.js';

const ICON: Record<string, string> = { immediate: '⚠', urgent: '▲', routine: '●' };

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const { t, lang } = useLang();
  return (
    <p class={`urgency urgency-${ICON[urgency] ? urgency : 'immediate'}`} data-testid="urgency" data-urgency={urgency}>
      <span aria-hidden="true">{ICON[urgency] ?? '⚠'}</span> {t('desk.urgency', { urgency: urgencyLabel(lang, urgency) })}
    </p>
  );
}
