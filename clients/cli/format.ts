/**
 * How messages, receipts and statuses read on a terminal, and as JSON lines.
 * Everything that came from another party (content, labels) is stripped of
 * control characters before it reaches the terminal: a decrypted message is
 * authentic, not harmless, and escape sequences could rewrite the screen.
 */
import { createHash } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { AssessmentSchema, type Answer, type AnswerSource, type Assessment, type Instrument } from '../../protocol/instrument.js';
import { deviceFingerprint } from '../../protocol/fingerprint.js';
import type { ProtocolDocument } from '../../protocol/protocol-document.js';
import { documentHash } from '../../protocol/canonical.js';
import { durationParts, reviewProtocol, type EndpointReview, type FlowReview, type Term } from '../../protocol/protocol-review.js';
import type { EnvelopeHeader } from '../../protocol/schemas.js';
import {
  AGENCY_KIND_LABELS,
  ANSWER_LABELS,
  ANSWER_SOURCE_LABELS,
  CONSENT_STATE_LABELS,
  DANGER_CONDITIONS,
  DANGER_REASONS,
  DATA_CATEGORIES,
  DELIVERY_STATE_LABELS,
  LEGAL_BASIS_LABELS,
  MESSAGE_TYPE_LABELS,
  PROTOCOL_STATUS_LABELS,
  PURPOSES,
  ROLE_LABELS,
  URGENCY_LABELS,
  type Labels,
} from '../../protocol/vocabulary.js';
import type { MessageStatus, OpenedMessage, VerifiedReceipt } from '../sdk/client.js';
import type { Notice } from '../sdk/stream.js';
import { readInstruments } from '../instruments.js';
import type { Context } from './context.js';
import type { MessageKey } from './i18n.js';
import { withCode as wordWithCode } from './vocabulary.js';

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
  return deviceFingerprint((d) => new Uint8Array(createHash('sha256').update(d).digest()), keys);
}

/**
 * A word of the partners' vocabulary (protocol/vocabulary.ts) in the person's
 * language; a code this version does not know (a newer partner's) is shown as
 * is, cleaned, never under another word.
 */
export function word(ctx: Context, table: Readonly<Record<string, Labels>>, code: string): string {
  return Object.hasOwn(table, code) ? table[code]![ctx.lang] : clean(code);
}
export const typeLabel = (ctx: Context, code: string) => word(ctx, MESSAGE_TYPE_LABELS, code);
export const urgencyLabel = (ctx: Context, code: string) => word(ctx, URGENCY_LABELS, code);
export const kindLabel = (ctx: Context, code: string) => word(ctx, AGENCY_KIND_LABELS, code);
export const roleLabel = (ctx: Context, code: string) => word(ctx, ROLE_LABELS, code);
/** A protocol version's status: « en attente de signatures », « en vigueur », « remplacée »… */
export const statusLabel = (ctx: Context, code: string) => word(ctx, PROTOCOL_STATUS_LABELS, code);
export const consentStateLabel = (ctx: Context, code: string) => word(ctx, CONSENT_STATE_LABELS, code);
export const deliveryStateLabel = (ctx: Context, code: string) => word(ctx, DELIVERY_STATE_LABELS, code);
export const basisLabel = (ctx: Context, code: string) => word(ctx, LEGAL_BASIS_LABELS, code);
export const reasonLabel = (ctx: Context, code: string) => word(ctx, DANGER_REASONS, code);
export const conditionLabel = (ctx: Context, code: string) => word(ctx, DANGER_CONDITIONS, code);
export const purposeLabel = (ctx: Context, code: string) => word(ctx, PURPOSES, code);
export const categoryLabel = (ctx: Context, code: string) => word(ctx, DATA_CATEGORIES, code);

/**
 * A word with the code a person types for it: `Assurer la sécurité de la
 * victime (victim_safety)`. Only where the person types that code next (a
 * protocol's flows, a consent's scope); elsewhere, the word alone.
 */
export const withCode = (label: string, code: string) => wordWithCode(label, clean(code));
export const listOr = (items: string[]) => (items.length ? items.join(', ') : '—');

/** The content as a person reads it: `text` first, then any other field (but those in `shownApart`). */
export function contentLines(content: unknown, shownApart: readonly string[] = []): string[] {
  if (typeof content === 'string') return clean(content).split('\n');
  if (!content || typeof content !== 'object' || Array.isArray(content)) return [clean(JSON.stringify(content))];
  const fields = content as Record<string, unknown>;
  const lines = typeof fields.text === 'string' ? clean(fields.text).split('\n') : [];
  for (const [k, v] of Object.entries(fields)) {
    if ((k === 'text' && typeof v === 'string') || shownApart.includes(k)) continue;
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
  if (h.dataCategories.length) lines.push(ctx.t('msg.categories', { categories: h.dataCategories.map((c) => categoryLabel(ctx, c)).join(', ') }));
  if (h.protocol) lines.push(ctx.t('msg.protocol', { protocol: `${h.protocol.id}@${h.protocol.version}` }));
  if (h.legalBasis) lines.push(ctx.t('msg.legalBasis', { basis: basisText(ctx, h.legalBasis) }));
  if (h.replyTo) lines.push(ctx.t('msg.replyTo', { id: h.replyTo }));
  const assessment = assessmentLines(ctx, m);
  lines.push(...assessment.check);
  lines.push(ctx.t('msg.content'));
  for (const line of contentLines(m.content, assessment.answers.length ? ['assessment'] : [])) lines.push(`  ${line}`);
  lines.push(...assessment.answers);
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
    ...(h.protocol ? { protocol: h.protocol } : {}),
    ...(h.legalBasis ? { legalBasis: h.legalBasis } : {}),
    ...(h.replyTo ? { replyTo: h.replyTo } : {}),
    ...(h.assessment ? { assessment: h.assessment } : {}),
    ...(m.assessmentCheck ? { assessmentCheck: m.assessmentCheck } : {}),
    content: m.content,
  };
}

// ── Risk instruments and assessments ─────────────────────────────────────────

let installed: { dir: string; instruments: Instrument[] } | null = null;

/** Where this installation's instruments are: `VIGIE_INSTRUMENTS_DIR` (as for the hub), or config/instruments. */
export const instrumentsDir = (ctx: Context): string | undefined => ctx.env.VIGIE_INSTRUMENTS_DIR || undefined;

/** The instruments of this installation that validate (read once per command). */
export function localInstruments(ctx: Context): Instrument[] {
  const dir = instrumentsDir(ctx) ?? '';
  if (installed?.dir !== dir) installed = { dir, instruments: readInstruments(dir || undefined).instruments };
  return installed.instruments;
}

/** The instrument version this installation has, or null. */
export function localInstrument(ctx: Context, id: string, version: number): Instrument | null {
  return localInstruments(ctx).find((i) => i.id === id && i.version === version) ?? null;
}

/** A label inside a sentence: its first letter in lower case (« Alerte de danger » → « alerte de danger »). */
const inSentence = (ctx: Context, text: string) => text.charAt(0).toLocaleLowerCase(ctx.lang) + text.slice(1);

/** A level in the person's language, as the instrument names it, or its id when unknown. */
export function levelLabel(ctx: Context, instrument: Instrument | null, level: string): string {
  const found = instrument?.levels.find((l) => l.id === level);
  return found ? clean(found.labels[ctx.lang]) : clean(level);
}

/** A level inside a sentence: « imminent », « modéré ». */
export function levelInSentence(ctx: Context, instrument: Instrument | null, level: string): string {
  return inSentence(ctx, levelLabel(ctx, instrument, level));
}

const ASSESSMENT_ERROR_KEYS: Record<string, MessageKey> = {
  ASSESSMENT_INVALID: 'assessError.ASSESSMENT_INVALID',
  ASSESSMENT_INSTRUMENT_MISMATCH: 'assessError.ASSESSMENT_INSTRUMENT_MISMATCH',
  ASSESSMENT_UNKNOWN_ITEM: 'assessError.ASSESSMENT_UNKNOWN_ITEM',
  ASSESSMENT_DUPLICATE_ITEM: 'assessError.ASSESSMENT_DUPLICATE_ITEM',
  ASSESSMENT_ANSWER_MISSING: 'assessError.ASSESSMENT_ANSWER_MISSING',
  ASSESSMENT_OVERRIDE_NOT_ALLOWED: 'assessError.ASSESSMENT_OVERRIDE_NOT_ALLOWED',
  ASSESSMENT_OVERRIDE_REASON_MISSING: 'assessError.ASSESSMENT_OVERRIDE_REASON_MISSING',
  ASSESSMENT_UNKNOWN_LEVEL: 'assessError.ASSESSMENT_UNKNOWN_LEVEL',
  ASSESSMENT_UNKNOWN_PERCEPTION: 'assessError.ASSESSMENT_UNKNOWN_PERCEPTION',
  ASSESSMENT_MISSING: 'assessError.ASSESSMENT_MISSING',
  INSTRUMENT_UNKNOWN: 'assessError.INSTRUMENT_UNKNOWN',
};

/** Why an assessment does not score, in words, with the code and its detail (an item, a level…). */
export function assessmentErrorText(ctx: Context, code: string, detail?: string): string {
  const key = ASSESSMENT_ERROR_KEYS[code];
  const words = key ? ctx.t(key) : clean(code);
  return `${words} [${clean(code)}${detail ? `: ${clean(detail)}` : ''}]`;
}

export const answerWord = (ctx: Context, a: Answer) => word(ctx, ANSWER_LABELS, a);
export const sourceWord = (ctx: Context, s: AnswerSource) => word(ctx, ANSWER_SOURCE_LABELS, s);

/**
 * What a received message says of its risk assessment: the signed level and
 * the level recomputed on this device (✓), or a warning when they differ or
 * the level could not be recomputed; then the answers, when the content
 * carries a well-formed assessment (shown apart from the rest of the content).
 */
export function assessmentLines(ctx: Context, m: OpenedMessage): { check: string[]; answers: string[] } {
  const check: string[] = [];
  const c = m.assessmentCheck;
  const instrument = c ? localInstrument(ctx, c.instrument, c.version) : null;
  if (c) {
    const common = { instrument: clean(c.instrument), version: c.version, signed: levelInSentence(ctx, instrument, c.signedLevel) };
    if (c.matches) {
      check.push(ctx.t('msg.assessment.match', { ...common, recomputed: levelInSentence(ctx, instrument, c.recomputedLevel!) }));
    } else if (c.recomputedLevel !== null) {
      const recomputed = levelInSentence(ctx, instrument, c.recomputedLevel);
      check.push(ctx.t('msg.assessment.differs', { ...common, recomputed }));
      check.push(ctx.t('msg.assessment.mismatch', { signed: common.signed, recomputed }));
    } else {
      check.push(ctx.t('msg.assessment.unchecked', common));
      check.push(ctx.t('msg.assessment.uncheckable', { signed: common.signed, reason: assessmentErrorText(ctx, c.error ?? 'ASSESSMENT_INVALID') }));
    }
  }
  const raw = m.content && typeof m.content === 'object' && !Array.isArray(m.content) ? (m.content as Record<string, unknown>).assessment : undefined;
  if (raw === undefined || !Value.Check(AssessmentSchema, raw)) return { check, answers: [] };
  const a = raw as Assessment;
  const inst = instrument ?? localInstrument(ctx, a.instrument.id, a.instrument.version);
  const count = (answer: Answer) => a.answers.filter((x) => x.answer === answer).length;
  const answers = [
    ctx.t('msg.assessment.answers', {
      instrument: clean(a.instrument.id),
      version: a.instrument.version,
      time: formatTime(ctx, a.completedAt),
      yes: count('yes'),
      dontKnow: count('dont_know'),
      no: count('no'),
      skipped: count('not_answered'),
    }),
  ];
  // The answers that weigh: each yes, then each "don't know" (a fact nobody could confirm); every answer is in --json.
  for (const shown of ['yes', 'dont_know'] as const) {
    for (const ans of a.answers.filter((x) => x.answer === shown)) {
      const item = inst?.items.find((i) => i.id === ans.item);
      const text = item ? clean(item.text[ctx.lang]) : clean(ans.item);
      const source = ans.source ? ` (${sourceWord(ctx, ans.source)})` : '';
      answers.push(`  ${shown === 'yes' ? '■' : '?'} ${answerWord(ctx, ans.answer)}${source} — ${text}`);
    }
  }
  if (a.perception) {
    const option = inst?.perception.options.find((o) => o.id === a.perception);
    answers.push(`  ${ctx.t('msg.assessment.perception', { perception: option ? clean(option.labels[ctx.lang]) : clean(a.perception) })}`);
  }
  if (a.override) answers.push(`  ${ctx.t('msg.assessment.override', { level: levelInSentence(ctx, inst, a.override.level), reason: clean(a.override.reason) })}`);
  return { check, answers };
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

/**
 * A message type inside a sentence, from the partners' vocabulary
 * (MESSAGE_TYPE_URGENCY labels): « alerte de danger », "danger alert".
 */
export function typeInSentence(ctx: Context, type: string | undefined): string {
  if (!type) return ctx.t('notice.unknownType');
  return Object.hasOwn(MESSAGE_TYPE_LABELS, type) ? inSentence(ctx, typeLabel(ctx, type)) : clean(type);
}

const cleanList = (items: unknown) => (Array.isArray(items) ? items.filter((i): i is string => typeof i === 'string').map(clean) : []);

/**
 * A notice of the hub about a message's acknowledgement, as `vigie listen`
 * prints it. Notices are the hub's word (not signed by a party), and every
 * value in them is cleaned before it reaches the terminal.
 */
export function printNotice(ctx: Context, n: Notice): void {
  const common = { id: clean(n.message), recipient: clean(n.recipient), inbox: clean(n.inbox), step: n.step };
  switch (n.kind) {
    case 'escalation':
      return ctx.say('listen.notice.escalation', {
        ...common,
        type: typeInSentence(ctx, n.type),
        agency: clean(n.sender?.agency ?? '?'),
        from: clean(n.sender?.inbox ?? '?'),
        time: formatTime(ctx, n.acceptedAt),
      });
    case 'renotify':
      return ctx.say('listen.notice.renotify', common);
    case 'unacknowledged':
      return ctx.say('listen.notice.unacknowledged', { ...common, deadline: formatTime(ctx, n.deadlineAt) });
    case 'escalated':
      return ctx.say('listen.notice.escalated', { ...common, inboxes: listOr(cleanList(n.notified)) });
    case 'escalation_exhausted':
      return ctx.say('listen.notice.exhausted', common);
    default:
      return ctx.say('listen.notice.other', { ...common, kind: clean(String(n.kind)) });
  }
}

/** A notice as one JSON line: `{"event":"notice", "kind", "message", "inbox", "recipient", "step", "at", …}`. */
export function noticeJson(n: Notice) {
  return {
    event: 'notice',
    kind: n.kind,
    message: n.message,
    inbox: n.inbox,
    recipient: n.recipient,
    step: n.step,
    at: n.at,
    ...(n.deadlineAt !== undefined ? { deadlineAt: n.deadlineAt } : {}),
    ...(n.notified !== undefined ? { notified: n.notified } : {}),
    ...(n.type !== undefined ? { type: n.type } : {}),
    ...(n.urgency !== undefined ? { urgency: n.urgency } : {}),
    ...(n.sender !== undefined ? { sender: n.sender } : {}),
    ...(n.acceptedAt !== undefined ? { acceptedAt: n.acceptedAt } : {}),
  };
}

export function printStatus(ctx: Context, s: MessageStatus, labels: Map<string, string>): void {
  const who = (id: string | null) => (id ? clean(labels.get(id) ?? id) : '—');
  const lines = [ctx.t('status.header', { id: s.id, type: typeLabel(ctx, s.type), time: formatTime(ctx, s.acceptedAt) })];
  for (const r of s.recipients) {
    lines.push(`  ${ctx.t('status.line', { inbox: r.inbox, state: deliveryStateLabel(ctx, r.state) })}`);
    if (r.deliveredAt) lines.push(`    ${ctx.t('status.delivered', { time: formatTime(ctx, r.deliveredAt), by: who(r.deliveredBy) })}`);
    if (r.acknowledgedAt) lines.push(`    ${ctx.t('status.acknowledged', { time: formatTime(ctx, r.acknowledgedAt), by: who(r.acknowledgedBy) })}`);
  }
  ctx.print(lines.join('\n'));
}

/** A signed legal basis as a person reads it: `Consentement de la victime — DOSSIER-1, …`. */
export function basisText(ctx: Context, basis: NonNullable<EnvelopeHeader['legalBasis']>): string {
  const facts: string[] = [];
  if (basis.case) facts.push(clean(basis.case));
  if (basis.purpose) facts.push(purposeLabel(ctx, basis.purpose));
  if (basis.reason) facts.push(reasonLabel(ctx, basis.reason));
  if (basis.reference) facts.push(clean(basis.reference));
  return `${basisLabel(ctx, basis.code)}${facts.length ? ` — ${facts.join(', ')}` : ''}`;
}

const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

/** SHA-256 of a protocol document's canonical form (base64url): what the hub shows as `documentHash`. */
export function protocolHash(doc: ProtocolDocument): string {
  return documentHash(sha256, doc);
}

function duration(ctx: Context, seconds: number): string {
  const { unit, count } = durationParts(seconds);
  return ctx.t(unit === 'hours' ? 'protocol.hours' : unit === 'minutes' ? 'protocol.minutes' : 'protocol.seconds', { count });
}

/** A code and its word, cleaned: a code this version does not know comes from the document, not from us. */
const termWithCode = (t: Term) => withCode(clean(t.label), t.code);
const termLabel = (t: Term) => clean(t.label);

function endpoint(ctx: Context, e: EndpointReview): string {
  if ('inbox' in e) return ctx.t('protocol.endpointInbox', { inbox: clean(e.inbox) });
  return ctx.t('protocol.endpointKind', { kind: termLabel(e.kind), agencies: listOr(e.agencies.map(clean)) });
}

function flowLines(ctx: Context, flow: FlowReview, n: number): string[] {
  const lines = [
    ctx.t('protocol.flowHeader', { n, title: clean(flow.title), id: clean(flow.id) }),
    `   ${ctx.t('protocol.flowRoute', { from: endpoint(ctx, flow.from), to: endpoint(ctx, flow.to) })}`,
    `   ${ctx.t('protocol.flowTypes', { types: flow.messageTypes.map(termWithCode).join(', ') })}`,
    `   ${ctx.t('protocol.flowCategories', { categories: listOr(flow.dataCategories.map(termWithCode)) })}`,
  ];
  if (flow.consent) {
    lines.push(`   ${ctx.t('protocol.flowConsent', { basis: termLabel(flow.consent.basis), purposes: flow.consent.purposes.map(termWithCode).join(', ') })}`);
  }
  if (flow.danger) {
    lines.push(
      `   ${ctx.t('protocol.flowDanger', {
        basis: termLabel(flow.danger.basis),
        categories: flow.danger.dataCategories.map(termWithCode).join(', '),
        recipients: flow.danger.recipients.map((e) => endpoint(ctx, e)).join(', '),
      })}`,
    );
  }
  if (flow.legalObligation) {
    lines.push(`   ${ctx.t('protocol.flowLegal', { basis: termLabel(flow.legalObligation.basis), references: flow.legalObligation.references.map((r) => `« ${clean(r)} »`).join(', ') })}`);
  }
  const ack = flow.acknowledgement;
  if (!ack) {
    lines.push(`   ${ctx.t('protocol.flowNoDeadline')}`);
  } else {
    const steps = ack.escalation.map((step) => {
      const inboxes = step.inboxes.map(clean).join(', ');
      return step.afterSeconds === 0 ? ctx.t('protocol.escalationNow', { inboxes }) : ctx.t('protocol.escalationStep', { inboxes, delay: duration(ctx, step.afterSeconds) });
    });
    const escalation = [steps.length ? steps.join(', ') : ctx.t('protocol.noEscalation'), ...(ack.renotify ? [ctx.t('protocol.renotify')] : [])].join('; ');
    lines.push(`   ${ctx.t('protocol.flowDeadline', { delay: duration(ctx, ack.deadlineSeconds), types: ack.messageTypes.map(termLabel).join(', '), escalation })}`);
  }
  return lines;
}

/**
 * What a protocol version says, for a person about to sign it or to rely on
 * it: both titles, effective date, retention, fingerprint, parties, and each
 * flow (from → to, message types, legal bases, categories, deadline) — the
 * console's review shows the same reading (protocol/protocol-review.ts).
 */
export function protocolLines(ctx: Context, doc: ProtocolDocument): string[] {
  const review = reviewProtocol(doc, ctx.lang, sha256);
  return [
    ctx.t('protocol.header', { id: clean(review.id), version: review.version }),
    `  ${ctx.t('protocol.titleFr', { title: clean(review.titles.fr) })}`,
    `  ${ctx.t('protocol.titleEn', { title: clean(review.titles.en) })}`,
    `  ${ctx.t('protocol.effective', { time: formatTime(ctx, review.effectiveFrom) })}`,
    `  ${ctx.t('protocol.retention', { days: review.retentionDays })}`,
    `  ${ctx.t('protocol.hash', { hash: review.documentHash })}`,
    ctx.t('protocol.parties'),
    ...review.parties.map((p) => `  ${ctx.t('protocol.party', { agency: clean(p.agency), kind: termLabel(p.kind), fingerprint: p.fingerprint })}`),
    ctx.t('protocol.flows', { count: review.flows.length }),
    ...review.flows.flatMap((f, i) => flowLines(ctx, f, i + 1).map((l) => `  ${l}`)),
  ];
}
