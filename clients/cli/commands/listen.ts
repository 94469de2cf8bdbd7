/**
 * `vigie listen`: the device's live inboxes on a terminal. Each message is
 * verified and decrypted by the SDK stream (which signs `delivered`: the
 * device received it) and printed. Printing is not acknowledging: with
 * `--ack` the person at the terminal is asked, for each message and naming
 * it, whether they acknowledge it (ack-questions.ts), and only a yes signs;
 * without a terminal `--ack` is refused, and `vigie ack <id>` is the way to
 * acknowledge. The hub's notices about
 * acknowledgement deadlines are printed as they come: to an escalation inbox
 * (the police supervisor) that an alert waits for a person, to the recipient
 * a reminder, to the sender that the deadline passed, each escalation step
 * and the end of the chain. The cursor and the ids already handled are saved
 * in the key directory so that the next `listen` resumes where this one
 * stopped; Ctrl-C closes the stream and saves them.
 */
import type { OpenedMessage, VerifiedReceipt } from '../../sdk/client.js';
import type { Notice } from '../../sdk/stream.js';
import { AckQuestions } from '../ack-questions.js';
import { flag, listOption, stringOption, type Command } from '../command.js';
import { CliError, EXIT, UsageError, describeError } from '../errors.js';
import { messageJson, noticeJson, printMessage, printNotice, printReceipt, receiptJson } from '../format.js';
import { interrupted } from '../interrupt.js';
import { FILES } from '../key-store.js';
import { canAsk } from '../prompt.js';
import { withMember } from '../session.js';
import * as valid from '../validate.js';
import { STREAM_CLOSE } from '../../../protocol/stream.js';

/** How many handled message and receipt keys to keep for de-duplication after a restart. */
const SEEN_KEPT = 1_000;

interface ListenState {
  cursor: string;
  seen: string[];
}

const listen: Command = {
  words: ['listen'],
  summary: 'help.listen.summary',
  details: 'help.listen.details',
  options: {
    after: { type: 'string', value: 'arg.cursor', help: 'opt.after' },
    ack: { type: 'boolean', help: 'opt.ack' },
    inbox: { type: 'string', multiple: true, value: 'arg.inbox', help: 'opt.listenInbox' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const afterFlag = stringOption(values, 'after');
    const after = afterFlag === undefined ? undefined : valid.cursor(afterFlag);
    const only = listOption(values, 'inbox').map(valid.inboxId);
    // An acknowledgement needs a person to answer for each message: never from a pipe, a service or a script.
    if (flag(values, 'ack') && !canAsk()) throw new UsageError('usage.ackNeedsTerminal');

    return withMember(ctx, async (client, store) => {
      // Fails fast (hub unreachable, revoked, no inbox) before the stream starts retrying on its own.
      const inboxes = [...(await client.inboxes()).keys()];
      if (inboxes.length === 0) throw new CliError('error.noInbox');
      for (const inbox of only) if (!inboxes.includes(inbox)) throw new CliError('error.notYourInbox', { inbox });

      const saved = store.readJson<ListenState>(FILES.listenState);
      const resume = after === undefined && saved && typeof saved.cursor === 'string' && /^\d{1,19}$/.test(saved.cursor) ? saved : undefined;
      const stream = client.stream({
        after: after ?? resume?.cursor ?? '0',
        seen: resume && Array.isArray(saved?.seen) ? saved.seen : [],
        ...(only.length ? { inboxes: only } : {}),
      });
      const save = () => store.writeJson(FILES.listenState, { cursor: stream.cursor, seen: stream.seenKeys().slice(-SEEN_KEPT) } satisfies ListenState);
      // The stream moves its cursor just after a handler returns: save on the next turn.
      const saveSoon = () => void setImmediate(save);

      let finish!: (how: 'stopped' | 'refused') => void;
      const done = new Promise<'stopped' | 'refused'>((resolve) => (finish = resolve));
      const questions = flag(values, 'ack') ? new AckQuestions(ctx, (m) => client.acknowledge(m), () => finish('stopped')) : null;
      // Everything printed while a question is open goes above it.
      const show = (print: () => void) => (questions ? questions.show(print) : print());
      const stop = interrupted();
      let stopping = false;
      void stop.promise.then(() => finish('stopped'));
      void done.then(() => (stopping = true));
      let readyOnce = false;
      stream.on('ready', ({ cursor }) => {
        save();
        const resumed = readyOnce;
        show(() => {
          if (ctx.json) ctx.emit({ event: 'ready', cursor, inboxes: only.length ? only : inboxes, resumed });
          else ctx.note(resumed ? 'listen.reconnected' : 'listen.ready', { inboxes: (only.length ? only : inboxes).join(', '), cursor });
        });
        readyOnce = true;
      });
      stream.on('message', (m: OpenedMessage) => {
        show(() => (ctx.json ? ctx.emit(messageJson(m)) : printMessage(ctx, m)));
        // The question waits its turn; the stream goes on to the next message meanwhile.
        questions?.offer(m);
        saveSoon();
      });
      stream.on('receipt', (r: VerifiedReceipt) => {
        show(() => (ctx.json ? ctx.emit(receiptJson(r)) : printReceipt(ctx, r)));
        saveSoon();
      });
      stream.on('notice', (n: Notice) => {
        show(() => (ctx.json ? ctx.emit(noticeJson(n)) : printNotice(ctx, n)));
        saveSoon();
      });
      stream.on('invalid', ({ id, error }) => {
        // Its content is never shown: only that something arrived and was refused, and the check that failed.
        show(() => ctx.note('listen.invalid', { id: id ?? '?', reason: (error as { code?: string }).code ?? error.message }));
        saveSoon();
      });
      stream.on('error', (err) => show(() => ctx.io.stderr(`${describeError(err, ctx.lang, ctx.hub).text}\n`)));
      stream.on('disconnected', ({ code }) => {
        // This device was revoked while listening: the stream will not reconnect.
        if (code === STREAM_CLOSE.revoked || code === STREAM_CLOSE.policy) finish('refused');
        else if (readyOnce && !stopping) show(() => ctx.note('listen.disconnected'));
      });

      let how: 'stopped' | 'refused';
      try {
        await Promise.race([stream.open(), done]);
        how = await done;
      } catch {
        how = 'refused';
      } finally {
        stop.dispose();
        await stream.close();
        save();
        // Shown and never answered: not acknowledged, and said so.
        for (const m of (await questions?.stop()) ?? []) {
          if (ctx.json) ctx.emit({ event: 'not_acknowledged', id: m.id, inbox: m.inbox });
          else ctx.say('listen.notAcknowledged', { id: m.id, inbox: m.inbox });
        }
      }
      if (how === 'refused') throw new CliError('error.streamRefused');
      if (!ctx.json) ctx.note('listen.stopped');
      return EXIT.ok;
    });
  },
};

export const listenCommands = [listen];
