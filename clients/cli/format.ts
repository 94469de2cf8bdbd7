/**
 * How messages, receipts and statuses read on a terminal, and as JSON lines.
 * Everything that came from another party (content, labels) is stripped of
 * control characters before it reaches the terminal: a decrypted message is
 * authentic, not harmless, and escape sequences could rewrite the screen.
 */
import { createHash } from 'node:crypto';
import type { MessageStatus, OpenedMessage, VerifiedReceipt } from '../sdk/client.js';
import type { Context } from './context.js';
import { isMessageKey } from './i18n.js';

// C0 (except tab and newline), DEL and C1 controls, and the bidi overrides that can disguise text.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function clean(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/** Local time, `2026-11-29 02:14:07 (UTC−5)`: the same unambiguous shape in both languages. */
export function formatTime(_ctx: Context, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return clean(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '−'}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${p(Math.abs(offset) % 60)}` : ''}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} (${zone})`;
}

/** A short digest of a device's public keys, for the device and its administrator to compare aloud. */
export function fingerprint(keys: { signingKey: string; encryptionKey: string }): string {
  const hex = createHash('sha256').update(`vigie-device\n${keys.signingKey}\n${keys.encryptionKey}`).digest('hex').slice(0, 24);
  return hex.match(/.{4}/g)!.join(' ');
}

const label = (ctx: Context, key: string, fallback: string) => (isMessageKey(key) ? ctx.t(key) : clean(fallback));
const typeLabel = (ctx: Context, type: string) => label(ctx, `type.${type}`, type);
const urgencyLabel = (ctx: Context, urgency: string) => label(ctx, `urgency.${urgency}`, urgency);

/** The content as a person reads it: `text` first, then any other field. */
export function contentLines(content: unknown): string[] {
  if (typeof content === 'string') return clean(content).split('\n');
  if (!content || typeof content !== 'object' || Array.isArray(content)) return [clean(JSON.stringify(content))];
  const fields = content as Record<string, unknown>;
  const lines = typeof fields.text === 'string' ? clean(fields.text).split('\n') : [];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'text' && typeof v === 'string') continue;
    lines.push(`${clean(k)}: ${clean(typeof v === 'string' ? v : JSON.stringify(v))}`);
  }
  return lines;
}

export function printMessage(ctx: Context, m: OpenedMessage): void {
  const h = m.header;
  const lines = [
    `━━ ${typeLabel(ctx, h.type)} · ${urgencyLabel(ctx, h.urgency).toUpperCase()} ━━`,
    ctx.t('msg.from', { label: clean(m.sender.label), agency: h.sender.agency, inbox: h.sender.inbox }),
    ctx.t('msg.to', { inbox: m.inbox }),
    ctx.t('msg.sentAt', { time: formatTime(ctx, h.createdAt) }),
  ];
  if (h.dataCategories.length) lines.push(ctx.t('msg.categories', { categories: h.dataCategories.join(', ') }));
  if (h.legalBasis) lines.push(ctx.t('msg.legalBasis', { basis: h.legalBasis.code }));
  if (h.replyTo) lines.push(ctx.t('msg.replyTo', { id: h.replyTo }));
  lines.push(ctx.t('msg.content'));
  for (const line of contentLines(m.content)) lines.push(`  ${line}`);
  lines.push(ctx.t('msg.id', { id: h.id }));
  ctx.print(lines.join('\n'));
}

export function messageJson(m: OpenedMessage) {
  const h = m.header;
  return {
    event: 'message',
    id: h.id,
    type: h.type,
    urgency: h.urgency,
    createdAt: h.createdAt,
    inbox: m.inbox,
    sender: { agency: h.sender.agency, inbox: h.sender.inbox, member: h.sender.member, label: m.sender.label },
    recipients: h.recipients,
    dataCategories: h.dataCategories,
    ...(h.legalBasis ? { legalBasis: h.legalBasis } : {}),
    ...(h.replyTo ? { replyTo: h.replyTo } : {}),
    content: m.content,
  };
}

export function printReceipt(ctx: Context, r: VerifiedReceipt): void {
  const d = r.receipt;
  const key = d.kind === 'acknowledged' ? 'receipt.acknowledged' : 'receipt.delivered';
  ctx.say(key, { id: d.message, label: clean(r.signer.label), inbox: d.inbox, time: formatTime(ctx, d.at) });
}

export function receiptJson(r: VerifiedReceipt) {
  const d = r.receipt;
  return { event: 'receipt', kind: d.kind, message: d.message, inbox: d.inbox, member: d.member, label: r.signer.label, at: d.at };
}

export function printStatus(ctx: Context, s: MessageStatus, labels: Map<string, string>): void {
  const who = (id: string | null) => (id ? clean(labels.get(id) ?? id) : '—');
  const lines = [ctx.t('status.header', { id: s.id, type: typeLabel(ctx, s.type), time: formatTime(ctx, s.acceptedAt) })];
  for (const r of s.recipients) {
    lines.push(`  ${ctx.t('status.line', { inbox: r.inbox, state: label(ctx, `state.${r.state}`, r.state) })}`);
    if (r.deliveredAt) lines.push(`    ${ctx.t('status.delivered', { time: formatTime(ctx, r.deliveredAt), by: who(r.deliveredBy) })}`);
    if (r.acknowledgedAt) lines.push(`    ${ctx.t('status.acknowledged', { time: formatTime(ctx, r.acknowledgedAt), by: who(r.acknowledgedBy) })}`);
  }
  ctx.print(lines.join('\n'));
}
