/**
 * Checks of what a person typed, before anything is signed or sent: each
 * failure is a usage error (exit 2) that names the value and what was
 * expected. The patterns are those of `protocol/` (one source of truth).
 */
import { AGENCY_ID_PATTERN, INBOX_ID_PATTERN, UUID_PATTERN } from '../../protocol/ids.js';
import { LEGAL_BASES, MESSAGE_TYPES, ROLES, URGENCIES, type MessageType, type Role } from '../../protocol/schemas.js';
import { requiredOption, type Values } from './command.js';
import { UsageError } from './errors.js';

const agencyRe = new RegExp(AGENCY_ID_PATTERN);
const inboxRe = new RegExp(INBOX_ID_PATTERN);
const uuidRe = new RegExp(UUID_PATTERN);
const kindRe = /^[a-z][a-z_]{1,39}$/;
const categoryRe = /^[a-z][a-z0-9_]{0,63}$/;

export function agencyId(value: string | undefined): string {
  if (!value || !agencyRe.test(value)) throw new UsageError('usage.badAgencyId', { value: value ?? '' });
  return value;
}

/** A desk is the part after the slash of an inbox id: `dispatch` in `police-laval/dispatch`. */
export function desk(value: string | undefined): string {
  if (!value || !agencyRe.test(value)) throw new UsageError('usage.badDesk', { value: value ?? '' });
  return value;
}

export function inboxId(value: string): string {
  if (!inboxRe.test(value)) throw new UsageError('usage.badInbox', { value });
  return value;
}

export function memberId(value: string | undefined): string {
  if (!value || !uuidRe.test(value)) throw new UsageError('usage.badMemberId', { value: value ?? '' });
  return value;
}

export function messageId(value: string | undefined): string {
  if (!value || !uuidRe.test(value)) throw new UsageError('usage.badMessageId', { value: value ?? '' });
  return value;
}

export function agencyKind(value: string): string {
  if (!kindRe.test(value)) throw new UsageError('usage.badKind', { value });
  return value;
}

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
  for (const r of list) if (!(ROLES as readonly string[]).includes(r)) throw new UsageError('usage.badRole', { value: r, allowed: ROLES.join(', ') });
  return list as Role[];
}

export function messageType(value: string): MessageType {
  if (!(MESSAGE_TYPES as readonly string[]).includes(value)) {
    throw new UsageError('usage.badType', { value, allowed: MESSAGE_TYPES.join(', ') });
  }
  return value as MessageType;
}

export function urgency(value: string): (typeof URGENCIES)[number] {
  if (!(URGENCIES as readonly string[]).includes(value)) throw new UsageError('usage.badUrgency', { value, allowed: URGENCIES.join(', ') });
  return value as (typeof URGENCIES)[number];
}

export function legalBasis(value: string): (typeof LEGAL_BASES)[number] {
  if (!(LEGAL_BASES as readonly string[]).includes(value)) {
    throw new UsageError('usage.badLegalBasis', { value, allowed: LEGAL_BASES.join(', ') });
  }
  return value as (typeof LEGAL_BASES)[number];
}

export function categories(list: string[]): string[] {
  for (const c of list) if (!categoryRe.test(c)) throw new UsageError('usage.badCategory', { value: c });
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
