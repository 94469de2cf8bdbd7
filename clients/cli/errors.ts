/**
 * The CLI's expected failures. Each one names a message of the i18n table
 * and an exit code, so that the person reads a sentence in their language and
 * a script reads a stable status — never a stack trace.
 */
import { InvitationError, type InvitationErrorCode } from '../sdk/admin.js';
import { DirectoryError, type DirectoryErrorCode } from '../sdk/directory.js';
import { LogVerificationError } from '../sdk/log-verifier.js';
import { VigieApiError } from '../sdk/http.js';
import { ProtocolMismatchError } from '../sdk/wire-check.js';
import { isProtocolError } from '../../protocol/errors.js';
import { labelOf, PROTOCOL_STATUS_LABELS } from '../../protocol/vocabulary.js';
import { clean } from './format.js';
import { refusalKey, t, type Lang, type MessageKey, type Params } from './i18n.js';

/**
 * 0 ok, 1 error (a refusal by the hub included), 2 usage, 3 timeout (nobody
 * acknowledged in time), 4 a check found a problem (log, receipt, protocol signature).
 */
export const EXIT = { ok: 0, error: 1, usage: 2, timeout: 3, problem: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
    readonly exitCode: ExitCode = EXIT.error,
  ) {
    super(key);
    this.name = 'CliError';
  }
}

/** A command line that cannot be run as written. */
export class UsageError extends CliError {
  constructor(key: MessageKey, params: Params = {}) {
    super(key, params, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** What each refusal of the key directory means for the person at the device. */
/** Why this device will not approve an invitation. */
const INVITATION_ERRORS: Record<InvitationErrorCode, MessageKey> = {
  NOT_SIGNED: 'error.invitationNotSigned',
  NOT_ANSWERED: 'error.invitationNoDevice',
  FINGERPRINT_MISMATCH: 'error.invitationFingerprint',
};

const DIRECTORY_ERRORS: Record<DirectoryErrorCode, MessageKey> = {
  ROOT_KEY_CHANGED: 'error.rootKeyChanged',
  ROOT_KEY_MISMATCH: 'error.rootKeyMismatch',
  ROOT_NOT_ANCHORED: 'error.rootNotAnchored',
  PROTOCOL_NOT_ENDORSED: 'error.protocolNotEndorsed',
  PROTOCOL_REQUIRED: 'error.protocolRequired',
  MEMBER_REVOKED: 'error.senderRevoked',
  KEY_NOT_IN_LOG: 'error.keyNotInLog',
  KEY_ROLLED_BACK: 'error.keyRolledBack',
  CERTIFICATE_INVALID: 'error.certificateInvalid',
};

/** Whether fetch failed before any HTTP answer (refused, DNS, reset). */
function isUnreachable(err: unknown): boolean {
  return err instanceof TypeError && err.message === 'fetch failed';
}

/** The sentence and exit code of any error thrown by a command. */
export function describeError(err: unknown, lang: Lang, hub: string): { text: string; exitCode: ExitCode } {
  if (err instanceof CliError) return { text: t(lang, err.key, err.params), exitCode: err.exitCode };
  if (err instanceof VigieApiError) return { text: describeRefusal(err, lang), exitCode: EXIT.error };
  if (err instanceof InvitationError) return { text: t(lang, INVITATION_ERRORS[err.code]), exitCode: EXIT.error };
  if (err instanceof DirectoryError) return { text: t(lang, DIRECTORY_ERRORS[err.code], { detail: err.message }), exitCode: EXIT.error };
  if (err instanceof ProtocolMismatchError) return { text: t(lang, 'error.wireMismatch', { code: err.code, route: err.route }), exitCode: EXIT.error };
  if (err instanceof LogVerificationError) return { text: t(lang, 'error.logUnverified', { code: err.code, detail: err.message }), exitCode: EXIT.error };
  if (isProtocolError(err)) return { text: t(lang, 'error.protocol', { code: err.code }), exitCode: EXIT.error };
  if (isUnreachable(err)) return { text: t(lang, 'error.unreachable', { hub }), exitCode: EXIT.error };
  const message = err instanceof Error ? err.message : String(err);
  return { text: t(lang, 'error.unexpected', { message }), exitCode: EXIT.error };
}

/** The hub's `details` on one line: a sentence, a list of `path: problem`, or JSON. */
export function hubDetails(details: unknown): string | null {
  if (details === undefined || details === null || details === '') return null;
  if (typeof details === 'string') return clean(details);
  if (Array.isArray(details)) {
    return details
      .map((d) => {
        const item = d as { path?: unknown; problem?: unknown } | null;
        return item && typeof item === 'object' && 'problem' in item ? `${String(item.path ?? '/')}: ${String(item.problem)}` : JSON.stringify(d);
      })
      .map(clean)
      .join('; ');
  }
  return clean(JSON.stringify(details));
}

/**
 * A refusal by the hub: its message (already in the language asked for with
 * accept-language) and code; then, for the codes of protocols, legal bases and
 * consents, what the refusal means and what to do; then the hub's details.
 */
export function describeRefusal(err: VigieApiError, lang: Lang): string {
  const lines = [t(lang, 'error.hub', { code: clean(err.code), status: err.status, message: clean(err.message) })];
  const explanation = refusalKey(err.code);
  if (explanation) lines.push(`  ${t(lang, explanation)}`);
  // A protocol refusal's detail may be the version's status: said in words.
  const status = typeof err.details === 'string' && Object.hasOwn(PROTOCOL_STATUS_LABELS, err.details) ? err.details : null;
  const details = status ? labelOf(PROTOCOL_STATUS_LABELS, status, lang) : hubDetails(err.details);
  if (details) lines.push(`  ${t(lang, 'error.hubDetails', { details })}`);
  return lines.join('\n');
}
