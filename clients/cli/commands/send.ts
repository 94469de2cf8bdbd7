/**
 * `vigie send`: encrypts and signs on this device, submits, and prints the
 * message id once the hub stored it durably. With `--wait-ack`, it then
 * watches the device's stream for the first signed `acknowledged` receipt
 * and says so at once when nobody acknowledged in time (exit 3): a shelter
 * worker must know that she cannot count on the alert. While it waits, the
 * hub's notices about this message are printed as they come (the deadline
 * passed, each escalation step); when the escalation chain of every
 * recipient has run out, it stops at once, as on a timeout (exit 3). Every
 * message names the protocol version that allows it and its legal basis; a
 * refusal by the hub is explained (errors.ts, i18n `refusal.*`). With
 * `--assessment`, a risk assessment filled with `vigie assess` is scored on
 * this device before anything is signed: its level goes in the signed header,
 * its answers in the encrypted content.
 */
import { scoreAssessment, type Assessment } from '../../../protocol/instrument.js';
import type { EnvelopeHeader, LegalBasis, LegalBasisCode } from '../../../protocol/schemas.js';
import { randomUuid } from '../../../protocol/uuid.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { DANGER_CONDITIONS, MESSAGE_TYPE_URGENCY, type DangerCondition } from '../../../protocol/vocabulary.js';
import { AssessmentRefusedError, type SendInput, type VigieClient, type VerifiedReceipt } from '../../sdk/client.js';
import type { Notice } from '../../sdk/stream.js';
import { isSenderNotice } from '../../sdk/timeline.js';
import { listOption, requiredOption, stringOption, type Command, type Values } from '../command.js';
import type { Context } from '../context.js';
import { CliError, EXIT, UsageError, describeError, type ExitCode } from '../errors.js';
import { assessmentErrorText, basisText, clean, conditionLabel, formatTime, levelInSentence, listOr, localInstrument, noticeJson, printReceipt, receiptJson, withCode } from '../format.js';
import { readJsonInput } from '../input.js';
import { delay, interrupted } from '../interrupt.js';
import { FILES, type KeyStore } from '../key-store.js';
import { askYesNo, canAsk } from '../prompt.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';

/** Status polls cover a stream that is down or reconnecting. */
const POLL_MS = 5_000;

/** Options that belong to one legal basis only: given with another, they would be silently ignored. */
const BASIS_OPTIONS = {
  consent: ['case', 'purpose', 'consent'],
  apprehended_danger: ['reason', 'directive', 'attest'],
  legal_obligation: ['reference'],
} as const satisfies Record<LegalBasisCode, readonly string[]>;

/**
 * The four conditions of apprehended danger: from --attest, or asked one by
 * one of the person at a terminal. Any condition not attested stops the send.
 */
async function attestation(ctx: Context, values: Values): Promise<Record<DangerCondition, boolean>> {
  const conditions = Object.keys(DANGER_CONDITIONS) as DangerCondition[];
  if (values.attest === undefined && canAsk()) {
    ctx.note('prompt.attestIntro');
    for (const c of conditions) {
      if (!(await askYesNo(ctx, 'prompt.attest', { condition: conditionLabel(ctx, c) }))) throw new CliError('error.notAttested', { condition: conditionLabel(ctx, c) });
    }
  } else {
    const attested = valid.attestations(listOption(values, 'attest'));
    const missing = conditions.filter((c) => !attested.has(c));
    if (missing.length > 0) {
      const words = Object.entries(valid.ATTESTATION_WORDS).filter(([, c]) => missing.includes(c)).map(([w, c]) => withCode(conditionLabel(ctx, c), w));
      throw new UsageError('usage.notAttested', { missing: words.join(', ') });
    }
  }
  return Object.fromEntries(conditions.map((c) => [c, true])) as Record<DangerCondition, boolean>;
}

/** `--legal-basis` and the options of that basis, as the header signs them. */
async function readLegalBasis(ctx: Context, values: Values): Promise<LegalBasis> {
  const text = stringOption(values, 'legal-basis');
  if (!text) throw new UsageError('usage.legalBasisRequired');
  const code = valid.legalBasis(text);
  for (const [basis, options] of Object.entries(BASIS_OPTIONS)) {
    if (basis === code) continue;
    const stray = options.find((o) => values[o] !== undefined);
    if (stray) throw new UsageError('usage.optionForBasis', { option: `--${stray}`, basis });
  }
  switch (code) {
    case 'consent': {
      const consent = stringOption(values, 'consent');
      return {
        code,
        case: valid.caseRef(requiredOption(values, 'case')),
        purpose: valid.purposes([requiredOption(values, 'purpose')])[0]!,
        ...(consent !== undefined ? { consent: valid.consentId(consent) } : {}),
      };
    }
    case 'apprehended_danger': {
      const reason = valid.dangerReason(requiredOption(values, 'reason'));
      // `reference` carries the agency's internal directive for this basis.
      const reference = valid.reference(requiredOption(values, 'directive'), '--directive');
      return { code, reason, reference, attestation: await attestation(ctx, values) };
    }
    case 'legal_obligation':
      return { code, reference: valid.reference(requiredOption(values, 'reference'), '--reference') };
  }
}

/**
 * The assessment file of `--assessment`, scored with this installation's
 * instrument: one that does not score (a required item unanswered, an
 * override without a reason, an unknown instrument) stops the send here.
 */
async function readAssessment(ctx: Context, file: string): Promise<Assessment> {
  const value = await readJsonInput(file);
  const ref = (value as { type?: unknown; instrument?: { id?: unknown; version?: unknown } } | null)?.instrument;
  if (!ref || typeof ref.id !== 'string' || typeof ref.version !== 'number' || (value as { type?: unknown }).type !== 'assessment') {
    throw new CliError('error.notAnAssessment', { file });
  }
  const instrument = valid.instrument(ctx, ref.id, ref.version);
  const result = scoreAssessment(instrument, value);
  if (!result.ok) throw new CliError('error.assessmentRefused', { file, reason: assessmentErrorText(ctx, result.error, result.detail) });
  return value as Assessment;
}

async function readSendInput(ctx: Context, values: Values): Promise<Omit<SendInput, 'id'>> {
  const recipients = listOption(values, 'to').map(valid.inboxId);
  if (recipients.length === 0) throw new UsageError('usage.missingOption', { option: '--to' });
  const type = valid.messageType(requiredOption(values, 'type'));
  const urgencyText = stringOption(values, 'urgency');
  const urgency = urgencyText ? valid.urgency(urgencyText) : MESSAGE_TYPE_URGENCY[type].default;
  const text = stringOption(values, 'text');
  const file = stringOption(values, 'file');
  if ((text === undefined) === (file === undefined)) throw new UsageError('usage.textOrFile');
  const protocolText = stringOption(values, 'protocol');
  if (!protocolText) throw new UsageError('usage.protocolRequired');
  const protocol = valid.protocolRef(protocolText);
  const dataCategories = valid.categories(listOption(values, 'category'));
  const from = stringOption(values, 'from');
  const replyTo = stringOption(values, 'reply-to');
  const assessmentFile = stringOption(values, 'assessment');
  if (assessmentFile === '-' && file === '-') throw new UsageError('usage.twoStdin', { first: '--file', second: '--assessment' });
  // The assessment is scored before the conditions are attested: a grid that does not score stops everything.
  const assessment = assessmentFile !== undefined ? await readAssessment(ctx, assessmentFile) : undefined;
  // Everything typed is checked (and the conditions attested) before the content is read from stdin.
  const legalBasis = await readLegalBasis(ctx, values);
  const content = text !== undefined ? { text } : await readJsonInput(file!);
  return {
    type,
    urgency,
    recipients,
    content,
    dataCategories,
    protocol,
    legalBasis,
    ...(assessment ? { assessment } : {}),
    ...(from ? { fromInbox: valid.inboxId(from) } : {}),
    ...(replyTo ? { replyTo: valid.messageId(replyTo) } : {}),
  };
}

/** The latest stream position this device knows: any past position is a safe place to start watching. */
function startCursor(store: KeyStore): string {
  const known = [store.readJson<{ cursor?: string }>(FILES.sendCursor)?.cursor, store.readJson<{ cursor?: string }>(FILES.listenState)?.cursor];
  return known.filter((c): c is string => typeof c === 'string' && /^\d{1,19}$/.test(c)).reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a), '0');
}

interface Acknowledgement {
  inbox: string;
  label: string;
  at: string;
}

function printSenderNotice(ctx: Context, n: Notice): void {
  const recipient = clean(n.recipient);
  if (n.kind === 'unacknowledged') ctx.say('send.notice.unacknowledged', { recipient, deadline: formatTime(ctx, n.deadlineAt) });
  else if (n.kind === 'escalated') ctx.say('send.notice.escalated', { step: n.step, recipient, inboxes: listOr((n.notified ?? []).map((i) => clean(String(i)))) });
  else if (n.kind === 'escalation_exhausted') ctx.say('send.notice.exhausted', { recipient });
}

async function waitForAcknowledgement(ctx: Context, client: VigieClient, store: KeyStore, input: SendInput, seconds: number): Promise<ExitCode> {
  const id = input.id!;
  let resolveAck!: (ack: Acknowledgement) => void;
  const acknowledged = new Promise<Acknowledgement>((r) => (resolveAck = r));

  // Watching starts from a past position of this device's feed: a receipt that lands before the
  // stream is live is replayed, not missed, so the alert itself never waits for the stream.
  const stream = client.stream({ after: startCursor(store), autoDelivered: false });
  stream.on('receipt', (r: VerifiedReceipt) => {
    if (r.receipt.message !== id) return;
    // The acknowledgement itself is the final line below.
    if (ctx.json) ctx.emit(receiptJson(r));
    else if (r.receipt.kind === 'delivered') printReceipt(ctx, r);
    if (r.receipt.kind === 'acknowledged') resolveAck({ inbox: r.receipt.inbox, label: r.signer.label, at: r.receipt.at });
  });
  // The hub's notices to the sender about this message; the chain of each recipient ends on its own.
  const exhausted = new Set<string>();
  let resolveExhausted!: () => void;
  const allExhausted = new Promise<'exhausted'>((r) => (resolveExhausted = () => r('exhausted')));
  stream.on('notice', (n: Notice) => {
    if (n.message !== id || !isSenderNotice(n)) return;
    if (ctx.json) ctx.emit(noticeJson(n));
    else printSenderNotice(ctx, n);
    if (n.kind !== 'escalation_exhausted') return;
    exhausted.add(n.recipient);
    if (input.recipients.every((r) => exhausted.has(r))) resolveExhausted();
  });
  stream.on('error', (err) => ctx.io.stderr(`${describeError(err, ctx.lang, ctx.hub).text}\n`));
  let live = false;
  // A stream that cannot connect (a proxy without WebSocket, a revoked device) leaves it to the status polls.
  void stream.open().then(() => (live = true), () => {});

  /** The hub's own record, for when the stream is down or reconnecting. */
  const poll = async (): Promise<Acknowledgement | null> => {
    const status = await client.status(id).catch(() => null);
    const row = status?.recipients.find((r) => r.state === 'acknowledged');
    if (!row) return null;
    const label = row.acknowledgedBy ? await client.directory.member(row.acknowledgedBy).then((m) => m.label, () => row.acknowledgedBy!) : '';
    return { inbox: row.inbox, label, at: row.acknowledgedAt ?? '' };
  };

  const stop = interrupted();
  let result: Acknowledgement | 'interrupted' | 'exhausted' | null = null;
  try {
    reportSent(ctx, await client.send(input));
    if (!ctx.json) ctx.note('send.waiting', { seconds });
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        result = await poll(); // a last look before saying that nobody acknowledged
        break;
      }
      const tick = delay(Math.min(POLL_MS, remaining));
      result = await Promise.race([acknowledged, allExhausted, stop.promise.then(() => 'interrupted' as const), tick.promise.then(() => null)]);
      tick.cancel();
      result ??= await poll();
      if (result) break;
    }
  } finally {
    stop.dispose();
    await stream.close();
    if (live) store.writeJson(FILES.sendCursor, { cursor: stream.cursor });
  }

  if (result === 'exhausted') {
    // Each recipient's « CHAÎNE ÉPUISÉE » line was printed as its notice came.
    if (ctx.json) ctx.emit({ event: 'exhausted', message: id, recipients: [...exhausted] });
    return EXIT.timeout;
  }
  if (result && result !== 'interrupted') {
    if (ctx.json) ctx.emit({ event: 'acknowledged', message: id, ...result });
    else ctx.say('send.acknowledged', { id, inbox: result.inbox, label: clean(result.label), time: formatTime(ctx, result.at) });
    return EXIT.ok;
  }
  const outcome = result ?? 'timeout';
  if (ctx.json) ctx.emit({ event: outcome, message: id, seconds });
  else ctx.say(outcome === 'timeout' ? 'send.timeout' : 'send.interrupted', { id, seconds });
  return EXIT.timeout;
}

function reportSent(ctx: Context, sent: { id: string; acceptedAt: string; duplicate: boolean; envelope: { header: EnvelopeHeader } }) {
  const h = sent.envelope.header;
  if (ctx.json) {
    return ctx.emit({
      event: 'sent',
      id: sent.id,
      acceptedAt: sent.acceptedAt,
      duplicate: sent.duplicate,
      recipients: h.recipients,
      urgency: h.urgency,
      protocol: h.protocol,
      legalBasis: h.legalBasis,
      ...(h.assessment ? { assessment: h.assessment } : {}),
    });
  }
  ctx.say('send.sent', { id: sent.id });
  ctx.say('send.accepted', { time: formatTime(ctx, sent.acceptedAt), recipients: h.recipients.join(', ') });
  if (h.protocol && h.legalBasis) ctx.say('send.under', { protocol: `${h.protocol.id}@${h.protocol.version}`, basis: basisText(ctx, h.legalBasis) });
  if (h.assessment) {
    const a = h.assessment;
    ctx.say('send.assessment', { instrument: a.instrument, version: a.version, level: levelInSentence(ctx, localInstrument(ctx, a.instrument, a.version), a.level) });
  }
}

const send: Command = {
  words: ['send'],
  synopsis: 'synopsis.send',
  summary: 'help.send.summary',
  details: 'help.send.details',
  options: {
    to: { type: 'string', multiple: true, value: 'arg.inboxes', help: 'opt.to' },
    type: { type: 'string', value: 'arg.type', help: 'opt.type' },
    urgency: { type: 'string', value: 'arg.urgency', help: 'opt.urgency' },
    text: { type: 'string', value: 'arg.text', help: 'opt.text' },
    file: { type: 'string', value: 'arg.fileOrStdin', help: 'opt.file' },
    category: { type: 'string', multiple: true, value: 'arg.categories', help: 'opt.category' },
    from: { type: 'string', value: 'arg.inbox', help: 'opt.from' },
    protocol: { type: 'string', value: 'arg.protocolRef', help: 'opt.protocol' },
    'legal-basis': { type: 'string', value: 'arg.legalBasis', help: 'opt.legalBasis' },
    case: { type: 'string', value: 'arg.case', help: 'opt.case' },
    purpose: { type: 'string', value: 'arg.purpose', help: 'opt.purpose' },
    consent: { type: 'string', value: 'arg.consentId', help: 'opt.consentId' },
    reason: { type: 'string', value: 'arg.reason', help: 'opt.reason' },
    directive: { type: 'string', value: 'arg.directive', help: 'opt.directive' },
    attest: { type: 'string', multiple: true, value: 'arg.conditions', help: 'opt.attest' },
    reference: { type: 'string', value: 'arg.reference', help: 'opt.reference' },
    'reply-to': { type: 'string', value: 'arg.messageId', help: 'opt.replyTo' },
    'wait-ack': { type: 'string', value: 'arg.seconds', help: 'opt.waitAck' },
    assessment: { type: 'string', value: 'arg.fileOrStdin', help: 'opt.assessment' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const waitText = stringOption(values, 'wait-ack');
    const seconds = waitText === undefined ? undefined : valid.seconds(waitText, '--wait-ack');
    const input = await readSendInput(ctx, values);
    const id = randomUuid(await loadSodium());
    return withMember(ctx, async (client, store) => {
      const mine = await client.inboxes();
      if (mine.size === 0) throw new CliError('error.noInbox');
      if (input.fromInbox && !mine.has(input.fromInbox)) throw new CliError('error.notYourInbox', { inbox: input.fromInbox });
      try {
        if (seconds !== undefined) return await waitForAcknowledgement(ctx, client, store, { ...input, id }, seconds);
        reportSent(ctx, await client.send({ ...input, id }));
        return EXIT.ok;
      } catch (err) {
        // Scored above with the same instruments: kept so that the SDK's refusal never reads as a crash.
        if (err instanceof AssessmentRefusedError) {
          throw new CliError('error.assessmentRefused', { file: stringOption(values, 'assessment') ?? '-', reason: assessmentErrorText(ctx, err.code, err.detail) });
        }
        throw err;
      }
    });
  },
};

export const sendCommands = [send];
