/**
 * `vigie send`: encrypts and signs on this device, submits, and prints the
 * message id once the hub stored it durably. With `--wait-ack`, it then
 * watches the device's stream for the first signed `acknowledged` receipt
 * and says so at once when nobody acknowledged in time (exit 3): a shelter
 * worker must know that she cannot count on the alert.
 */
import { randomUuid } from '../../../protocol/uuid.js';
import { loadSodium } from '../../../protocol/sodium.js';
import type { SendInput, VigieClient, VerifiedReceipt } from '../../sdk/client.js';
import { listOption, requiredOption, stringOption, type Command } from '../command.js';
import type { Context } from '../context.js';
import { CliError, EXIT, UsageError, describeError, type ExitCode } from '../errors.js';
import { clean, formatTime, printReceipt, receiptJson } from '../format.js';
import { readJsonInput } from '../input.js';
import { delay, interrupted } from '../interrupt.js';
import { FILES, type KeyStore } from '../key-store.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';

/** Status polls cover a stream that is down or reconnecting. */
const POLL_MS = 5_000;

async function readSendInput(values: Parameters<Command['run']>[1]): Promise<Omit<SendInput, 'id'>> {
  const recipients = listOption(values, 'to').map(valid.inboxId);
  if (recipients.length === 0) throw new UsageError('usage.missingOption', { option: '--to' });
  const type = valid.messageType(requiredOption(values, 'type'));
  const urgencyText = stringOption(values, 'urgency');
  const urgency = urgencyText ? valid.urgency(urgencyText) : type === 'danger_alert' ? 'immediate' : 'routine';
  const text = stringOption(values, 'text');
  const file = stringOption(values, 'file');
  if ((text === undefined) === (file === undefined)) throw new UsageError('usage.textOrFile');
  const content = text !== undefined ? { text } : await readJsonInput(file!);
  const from = stringOption(values, 'from');
  const basis = stringOption(values, 'legal-basis');
  const replyTo = stringOption(values, 'reply-to');
  return {
    type,
    urgency,
    recipients,
    content,
    dataCategories: valid.categories(listOption(values, 'category')),
    ...(from ? { fromInbox: valid.inboxId(from) } : {}),
    ...(basis ? { legalBasis: { code: valid.legalBasis(basis) } } : {}),
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
  let result: Acknowledgement | 'interrupted' | null = null;
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
      result = await Promise.race([acknowledged, stop.promise.then(() => 'interrupted' as const), tick.promise.then(() => null)]);
      tick.cancel();
      result ??= await poll();
      if (result) break;
    }
  } finally {
    stop.dispose();
    await stream.close();
    if (live) store.writeJson(FILES.sendCursor, { cursor: stream.cursor });
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

function reportSent(ctx: Context, sent: { id: string; acceptedAt: string; duplicate: boolean; envelope: { header: { recipients: string[] } } }) {
  if (ctx.json) return ctx.emit({ event: 'sent', id: sent.id, acceptedAt: sent.acceptedAt, duplicate: sent.duplicate, recipients: sent.envelope.header.recipients });
  ctx.say('send.sent', { id: sent.id });
  ctx.say('send.accepted', { time: formatTime(ctx, sent.acceptedAt), recipients: sent.envelope.header.recipients.join(', ') });
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
    'legal-basis': { type: 'string', value: 'arg.legalBasis', help: 'opt.legalBasis' },
    'reply-to': { type: 'string', value: 'arg.messageId', help: 'opt.replyTo' },
    'wait-ack': { type: 'string', value: 'arg.seconds', help: 'opt.waitAck' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const input = await readSendInput(values);
    const waitText = stringOption(values, 'wait-ack');
    const seconds = waitText === undefined ? undefined : valid.seconds(waitText, '--wait-ack');
    const id = randomUuid(await loadSodium());
    return withMember(ctx, async (client, store) => {
      const mine = await client.inboxes();
      if (mine.size === 0) throw new CliError('error.noInbox');
      if (input.fromInbox && !mine.has(input.fromInbox)) throw new CliError('error.notYourInbox', { inbox: input.fromInbox });
      if (seconds !== undefined) return waitForAcknowledgement(ctx, client, store, { ...input, id }, seconds);
      reportSent(ctx, await client.send({ ...input, id }));
      return EXIT.ok;
    });
  },
};

export const sendCommands = [send];
