/**
 * Checks of what a person typed, before anything is signed or sent: each
 * failure is a usage error (exit 2) that names the value and what was
 * expected. The patterns and word lists are those of `protocol/` (one source of truth).
 */
import { AGENCY_ID_PATTERN, INBOX_ID_PATTERN, UUID_PATTERN } from '../../protocol/ids.js';
import {
  AGENCY_KIND_PATTERN,
  CASE_REFERENCE_PATTERN,
  CODE_PATTERN,
  DATA_CATEGORY_PATTERN,
  INSTRUMENT_ID_PATTERN,
  LEGAL_BASES,
  MESSAGE_TYPES,
  ProtocolIdSchema,
  ROLES,
  URGENCIES,
  type MessageType,
  type Role,
} from '../../protocol/schemas.js';
import { CONSENT_STATES } from '../../protocol/consent.js';
import { caseReferenceProblem } from '../../protocol/case-reference.js';
import type { Instrument } from '../../protocol/instrument.js';
import { DANGER_REASONS, type DangerCondition, type DangerReason } from '../../protocol/vocabulary.js';
import { dayBound } from '../sdk/register.js';
import { InstrumentLoadError, loadInstrument } from '../instruments.js';
import { requiredOption, type Values } from './command.js';
import type { Context } from './context.js';
import { CliError, UsageError } from './errors.js';
import { clean, instrumentsDir, listOr, localInstruments } from './format.js';
import type { MessageKey } from './i18n.js';
import { ATTESTATION_WORDS } from './vocabulary.js';

/** A check that the whole value matches a protocol pattern. */
function matching(pattern: string, message: MessageKey) {
  const re = new RegExp(pattern);
  return (value: string | undefined): string => {
    if (!value || !re.test(value)) throw new UsageError(message, { value: value ?? '' });
    return value;
  };
}

/** A check that the value is one of a protocol word list; the message lists the words with their codes (its `{types}`, `{roles}`…). */
function oneOf<T extends string>(words: readonly T[], message: MessageKey) {
  return (value: string): T => {
    if (!(words as readonly string[]).includes(value)) throw new UsageError(message, { value });
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

// ── Protocols, consents and legal bases ───────────────────────────────────────

export const protocolId = matching(ProtocolIdSchema.pattern!, 'usage.badProtocolId');
/**
 * A case reference a consent is recorded or a message is sent under: the wire
 * pattern, and nothing that obviously identifies the person (protocol/case-reference.ts,
 * the console's check too).
 */
export function caseRef(value: string | undefined): string {
  if (value === undefined || caseReferenceProblem(value) !== null) throw new UsageError('usage.badCase', { value: value ?? '' });
  return value;
}
/** A case reference to look up: the wire pattern only (a case recorded before the check stays reachable). */
export const caseFilter = matching(CASE_REFERENCE_PATTERN, 'usage.badCase');
export const consentId = matching(UUID_PATTERN, 'usage.badConsentId');
const purposeWord = matching(CODE_PATTERN, 'usage.badPurpose');
export const dangerReason = oneOf(Object.keys(DANGER_REASONS) as DangerReason[], 'usage.badReason');
export const consentState = oneOf(CONSENT_STATES, 'usage.badState');

/**
 * Purposes are lowercase words; the partners' own (protocol/vocabulary.ts)
 * are listed in the error, and a protocol may define others.
 */
export function purposes(list: string[], option = '--purpose'): string[] {
  if (list.length === 0) throw new UsageError('usage.missingOption', { option });
  for (const p of list) {
    try {
      purposeWord(p);
    } catch {
      throw new UsageError('usage.badPurpose', { value: p });
    }
  }
  if (list.length > 16) throw new UsageError('usage.tooMany', { option, max: 16 });
  return list;
}

/** A protocol version number, 1 to 1 000 000. */
export function version(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d{1,7}$/.test(value) || n < 1 || n > 1_000_000) throw new UsageError('usage.badVersion', { option, value });
  return n;
}

/** `--protocol shelter-police@1` → { id, version }. */
export function protocolRef(value: string): { id: string; version: number } {
  const at = value.lastIndexOf('@');
  if (at <= 0) throw new UsageError('usage.badProtocolRef', { value });
  const id = value.slice(0, at);
  const v = value.slice(at + 1);
  const n = Number(v);
  // The same bounds as `version()`, with this option's own message.
  if (!new RegExp(ProtocolIdSchema.pattern!).test(id) || !/^\d{1,7}$/.test(v) || n < 1 || n > 1_000_000) throw new UsageError('usage.badProtocolRef', { value });
  return { id, version: n };
}

/**
 * A moment as the hub stores it (UTC, milliseconds). RFC 3339 with Z or an
 * offset, or a bare date: its first local instant, or its last with `endOfDay`
 * (a consent "until 2027-03-31" covers that whole day).
 */
export function instant(value: string, option: string, endOfDay = false): string {
  let d: Date;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const bound = dayBound(value, endOfDay);
    if (bound === null) throw new UsageError('usage.badDate', { option, value });
    d = new Date(bound);
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    d = new Date(value);
  } else {
    throw new UsageError('usage.badDate', { option, value });
  }
  if (Number.isNaN(d.getTime()) || d.getFullYear() > 9999) throw new UsageError('usage.badDate', { option, value });
  return d.toISOString();
}

/** `--party shelter=maison-halte` → ['shelter', 'maison-halte']. */
export function binding(value: string): [string, string] {
  const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(value);
  if (!m) throw new UsageError('usage.badBinding', { value });
  return [m[1]!, agencyId(m[2])];
}

/** Free text the hub stores as a reference (a directive, a statute article, an order): 1 to 200 characters. */
export function reference(value: string | undefined, option: string): string {
  const v = value?.trim() ?? '';
  if (v.length < 1 || v.length > 200) throw new UsageError('usage.badReference', { option });
  return v;
}

export { ATTESTATION_WORDS };

export function attestations(list: string[]): Set<DangerCondition> {
  const attested = new Set<DangerCondition>();
  for (const w of list) {
    if (!Object.hasOwn(ATTESTATION_WORDS, w)) throw new UsageError('usage.badAttest', { value: w });
    attested.add(ATTESTATION_WORDS[w as keyof typeof ATTESTATION_WORDS]);
  }
  return attested;
}

// ── Risk instruments ──────────────────────────────────────────────────────────


/**
 * `--instrument` (and `--version`, the latest when absent) as typed: the
 * instrument of this installation, or a sentence naming those it has.
 */
export function instrument(ctx: Context, id: string | undefined, versionText?: string | number): Instrument {
  if (id === undefined || id === '') {
    throw new UsageError('usage.instrumentRequired', { known: listOr(localInstruments(ctx).map((i) => `${i.id} (v${i.version}) — ${clean(i.titles[ctx.lang])}`)) });
  }
  if (!new RegExp(INSTRUMENT_ID_PATTERN).test(id)) throw new UsageError('usage.badInstrument', { value: id });
  const v = versionText === undefined ? undefined : version(String(versionText), '--version');
  try {
    return loadInstrument(id, v, instrumentsDir(ctx));
  } catch (err) {
    if (!(err instanceof InstrumentLoadError)) throw err;
    if (err.code === 'INSTRUMENT_INVALID') throw new CliError('error.instrumentInvalid', { id, problems: err.problems.map(clean).join('; ') });
    const known = localInstruments(ctx).map((i) => `${i.id} (v${i.version})`);
    throw new CliError('error.instrumentUnknown', { id: v === undefined ? id : `${id} v${v}`, known: listOr(known) });
  }
}
