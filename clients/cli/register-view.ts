/**
 * The register of communications as a person reads it (`vigie audit register`
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
import { basisLabel, clean, formatTime, purposeLabel, reasonLabel, typeLabel } from './format.js';
import type { MessageKey } from './i18n.js';

/** What each known event is called, and for the steps of an acknowledgement deadline, what it means. */
const EVENTS: Readonly<Record<string, { name: MessageKey; meaning?: MessageKey }>> = {
  accepted: { name: 'audit.event.accepted' },
  refused: { name: 'audit.event.refused' },
  unacknowledged: { name: 'audit.event.unacknowledged', meaning: 'audit.eventMeaning.unacknowledged' },
  escalated: { name: 'audit.event.escalated', meaning: 'audit.eventMeaning.escalated' },
  exhausted: { name: 'audit.event.exhausted', meaning: 'audit.eventMeaning.exhausted' },
  erased: { name: 'audit.event.erased', meaning: 'audit.eventMeaning.erased' },
};

/** The name of a row's event in the person's language, or its code when this version does not know it. */
export function eventName(ctx: Context, event: string): string {
  const known = Object.hasOwn(EVENTS, event) ? EVENTS[event] : undefined;
  return known ? ctx.t(known.name) : ctx.t('audit.event.other', { event: clean(event || '?') });
}

/** One row of the register, as the lines a person reads. */
export function registerRowLines(ctx: Context, r: RegisterRow): string[] {
  const known = Object.hasOwn(EVENTS, r.event) ? EVENTS[r.event] : undefined;
  const type = r.messageType ? typeLabel(ctx, r.messageType) : '—';
  const sender = clean(r.senderInbox || r.senderAgency || '—');
  const lines = [`#${r.index}  ${formatTime(ctx, r.at)}  ${eventName(ctx, r.event)}  ${type}`];

  // A refused message's recipients are its sender's claim, not parties to a disclosure.
  if (r.event === 'refused') lines.push(`  ${ctx.t('audit.rowDeclaredRoute', { sender, recipients: clean(r.declaredRecipients || r.recipients || '—') })}`);
  else lines.push(`  ${sender} → ${clean(r.recipients || '—')}`);
  if (known?.meaning) lines.push(`  ${ctx.t(known.meaning, { recipient: clean(r.recipients || '—') })}`);

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
  if (r.dataCategories) lines.push(`  ${ctx.t('audit.rowCategories', { categories: clean(r.dataCategories) })}`);

  if (r.event === 'refused') lines.push(`  ${ctx.t('audit.rowReason', { reason: clean(r.reason || '—') })}`);
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
