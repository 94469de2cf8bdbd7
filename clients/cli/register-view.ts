/**
 * The communications register as a person reads it (`vigie audit register`
 * without --json or --csv). Each row says in words what it records: a
 * disclosure accepted, a message refused and why (nothing was disclosed), an
 * acknowledgement deadline that passed, an escalation step, a chain that ran
 * out, a retention that ended. The flags an auditor must not miss — without
 * the victim's consent, written follow-up required — are shown on their own
 * line. An event this version does not know is shown by its code, never under
 * another event's name. Every value came from the hub and is cleaned before
 * it reaches the terminal.
 */
import type { RegisterRow } from '../../protocol/register.js';
import type { Context } from './context.js';
import { REFUSAL_LABELS, REGISTER_EVENT_LABELS } from '../../protocol/vocabulary.js';
import { basisLabel, categoryLabel, clean, formatTime, purposeLabel, reasonLabel, typeLabel, word } from './format.js';
import type { MessageKey } from './i18n.js';

/** For the steps of an acknowledgement deadline and an erasure, what the event means. */
const MEANINGS: Readonly<Record<string, MessageKey>> = {
  unacknowledged: 'audit.eventMeaning.unacknowledged',
  escalated: 'audit.eventMeaning.escalated',
  exhausted: 'audit.eventMeaning.exhausted',
  erased: 'audit.eventMeaning.erased',
};

/**
 * The name of a row's event in the person's language (REGISTER_EVENT_LABELS,
 * in capitals up to any parenthesis, so that it stands out of the row), or
 * its code when this version does not know it.
 */
export function eventName(ctx: Context, event: string): string {
  return Object.hasOwn(REGISTER_EVENT_LABELS, event)
    ? word(ctx, REGISTER_EVENT_LABELS, event).replace(/^[^(]*/, (name) => name.toLocaleUpperCase(ctx.lang))
    : ctx.t('audit.event.other', { event: clean(event || '?') });
}

/** Why the hub refused a message, in its words (REFUSAL_LABELS) with the code for whoever follows it up. */
function refusalText(ctx: Context, code: string): string {
  if (!code) return '—';
  return Object.hasOwn(REFUSAL_LABELS, code) ? `${word(ctx, REFUSAL_LABELS, code)} [${clean(code)}]` : clean(code);
}

/** One row of the register, as the lines a person reads. */
export function registerRowLines(ctx: Context, r: RegisterRow): string[] {
  const meaning = Object.hasOwn(MEANINGS, r.event) ? MEANINGS[r.event] : undefined;
  const type = r.messageType ? typeLabel(ctx, r.messageType) : '—';
  const sender = clean(r.senderInbox || r.senderAgency || '—');
  const lines = [`#${r.index}  ${formatTime(ctx, r.at)}  ${eventName(ctx, r.event)}  ${type}`];

  // A refused message's recipients are its sender's claim, not parties to a disclosure.
  if (r.event === 'refused') lines.push(`  ${ctx.t('audit.rowDeclaredRoute', { sender, recipients: clean(r.declaredRecipients || r.recipients || '—') })}`);
  else lines.push(`  ${sender} → ${clean(r.recipients || '—')}`);
  if (meaning) lines.push(`  ${ctx.t(meaning, { recipient: clean(r.recipients || '—') })}`);

  if (r.legalBasis) {
    const facts = [basisLabel(ctx, r.legalBasis)];
    if (r.dangerReason) facts.push(ctx.t('audit.rowDangerReason', { reason: reasonLabel(ctx, r.dangerReason) }));
    if (r.purpose) facts.push(ctx.t('audit.rowPurpose', { purpose: purposeLabel(ctx, r.purpose) }));
    if (r.consent) facts.push(ctx.t('audit.rowConsent', { consent: clean(r.consent) }));
    if (r.legalReference) facts.push(ctx.t('audit.rowReference', { reference: clean(r.legalReference) }));
    lines.push(`  ${ctx.t('audit.rowLegalBasis', { basis: facts.join(' — ') })}`);
  }
  const flags = [...(r.withoutConsent ? [ctx.t('audit.flag.withoutConsent')] : []), ...(r.followUp ? [ctx.t('audit.flag.followUp')] : [])];
  if (flags.length) lines.push(`  ${flags.join(' — ')}`);
  if (r.dataCategories) lines.push(`  ${ctx.t('audit.rowCategories', { categories: r.dataCategories.split(' ').filter(Boolean).map((c) => categoryLabel(ctx, c)).join(', ') })}`);

  // The refusal in the hub's words, with its code for whoever follows it up.
  if (r.event === 'refused') lines.push(`  ${ctx.t('audit.rowReason', { reason: refusalText(ctx, r.reason) })}`);
  else if (r.reason) lines.push(`  ${ctx.t('audit.rowCode', { code: clean(r.reason) })}`);
  if (r.protocol) lines.push(`  ${ctx.t('audit.rowProtocol', { protocol: clean(r.protocol) })}`);
  if (r.message) lines.push(`  ${ctx.t('msg.id', { id: clean(r.message) })}`);
  return lines;
}

/** The whole register as text: every row, then how many. */
export function registerText(ctx: Context, rows: readonly RegisterRow[]): string {
  const blocks = rows.map((r) => registerRowLines(ctx, r).join('\n'));
  return [...blocks, ctx.t('audit.registerCount', { count: rows.length })].join('\n') + '\n';
}
