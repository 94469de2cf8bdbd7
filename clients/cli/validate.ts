/**
 * Checks of what a person typed, before anything is signed or sent: each
 * failure is a usage error (exit 2) that names the value and what was
 * expected. The patterns and word lists are those of `protocol/` (one source of truth).
 */
import { AGENCY_ID_PATTERN, INBOX_ID_PATTERN, UUID_PATTERN } from '../../protocol/ids.js';
import {
  AGENCY_KIND_PATTERN,
  DATA_CATEGORY_PATTERN,
  LEGAL_BASES,
  MESSAGE_TYPES,
  ROLES,
  URGENCIES,
  type MessageType,
  type Role,
} from '../../protocol/schemas.js';
import { requiredOption, type Values } from './command.js';
import { UsageError } from './errors.js';
import type { MessageKey } from './i18n.js';

/** A check that the whole value matches a protocol pattern. */
function matching(pattern: string, message: MessageKey) {
  const re = new RegExp(pattern);
  return (value: string | undefined): string => {
    if (!value || !re.test(value)) throw new UsageError(message, { value: value ?? '' });
    return value;
  };
}

/** A check that the value is one of a protocol word list. */
function oneOf<T extends string>(words: readonly T[], message: MessageKey) {
  return (value: string): T => {
    if (!(words as readonly string[]).includes(value)) throw new UsageError(message, { value, allowed: words.join(', ') });
    return value as T;
  };
}

export const agencyId = matching(AGENCY_ID_PATTERN, 'usage.badAgencyId');
/** A desk is the part after the slash of an inbox id: `dispatch` in `police-laval/dispatch`. */
export const desk = matching(AGENCY_ID_PATTERN, 'usage.badDesk');
export const inboxId = matching(INBOX_ID_PATTERN, 'usage.badInbox');
export const memberId = matching(UUID_PATTERN, 'usage.badMemberId');
export const messageId = matching(UUID_PATTERN, 'usage.badMessageId');
export const agencyKind = matching(AGENCY_KIND_PATTERN, 'usage.badKind');
const category = matching(DATA_CATEGORY_PATTERN, 'usage.badCategory');
const role = oneOf<Role>(ROLES, 'usage.badRole');
export const messageType = oneOf<MessageType>(MESSAGE_TYPES, 'usage.badType');
export const urgency = oneOf(URGENCIES, 'usage.badUrgency');
export const legalBasis = oneOf(LEGAL_BASES, 'usage.badLegalBasis');

/** `--name-fr` and `--name-en`, both required: every name is shown in both languages. */
export function names(values: Values): { fr: string; en: string } {
  const fr = requiredOption(values, 'name-fr').trim();
  const en = requiredOption(values, 'name-en').trim();
  for (const [option, name] of [['--name-fr', fr], ['--name-en', en]] as const) {
    if (name.length < 1 || name.length > 120) throw new UsageError('usage.badName', { option });
  }
  return { fr, en };
}

export function roles(list: string[]): Role[] {
  if (list.length === 0) throw new UsageError('usage.missingOption', { option: '--roles' });
  return list.map(role);
}

export function categories(list: string[]): string[] {
  list.forEach(category);
  if (list.length > 32) throw new UsageError('usage.tooMany', { option: '--category', max: 32 });
  return list;
}

/** A stream cursor: a decimal position. */
export function cursor(value: string): string {
  if (!/^\d{1,19}$/.test(value)) throw new UsageError('usage.badCursor', { value });
  return value;
}

export function seconds(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 86_400) throw new UsageError('usage.badSeconds', { option, value });
  return n;
}
