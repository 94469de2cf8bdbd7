/** Any failure as words for a person: the hub's refusal in its own words (it answers in the person's language), or what else happened. */
import { VigieApiError } from '../../../sdk/http.js';
import { InvitationError } from '../../../sdk/admin.js';
import { DirectoryError } from '../../../sdk/directory.js';
import { LogVerificationError } from '../../../sdk/log-verifier.js';
import { ProtocolMismatchError } from '../../../sdk/wire-check.js';
import { translate, type Lang } from './lang.js';

export function errorText(lang: Lang, err: unknown): string {
  if (err instanceof VigieApiError) {
    const details = typeof err.details === 'string' ? ` — ${err.details}` : '';
    return `${translate(lang, 'error.hub', { message: err.message, code: err.code })}${details}`;
  }
  if (err instanceof DirectoryError || err instanceof LogVerificationError) return translate(lang, 'error.trust', { code: err.code });
  if (err instanceof ProtocolMismatchError) return translate(lang, 'error.wireMismatch', { code: err.code });
  if (err instanceof InvitationError) return translate(lang, `error.invitation.${err.code}`);
  if (err instanceof TypeError && /fetch/i.test(err.message)) return translate(lang, 'error.unreachable');
  return translate(lang, 'error.unexpected', { message: err instanceof Error ? err.message : String(err) });
}
