/**
 * `vigie ack` and `vigie status`: acknowledging one message by id (after
 * opening and verifying it, so that a person signs for what they read), and
 * the hub's delivery record of a message, with each signer's certified label.
 */
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { messageJson, printMessage, printStatus } from '../format.js';
import { withMember } from '../session.js';
import { messageId } from '../validate.js';

const ack: Command = {
  words: ['ack'],
  args: 'arg.messageId',
  summary: 'help.ack.summary',
  details: 'help.ack.details',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [idArg]) {
    const id = messageId(idArg);
    await withMember(ctx, async (client) => {
      const envelope = await client.fetchEnvelope(id);
      // Acknowledged for a recipient inbox of this device, never for the sender's own copy.
      const mine = await client.inboxes();
      const inbox = envelope.header.recipients.find((r) => mine.has(r));
      if (!inbox) throw new CliError('error.notARecipient', { id });
      const opened = await client.open(envelope, inbox);
      const res = await client.acknowledge(opened);
      if (ctx.json) return ctx.emit({ ...messageJson(opened), event: 'acknowledged', alreadyAcknowledged: !res.stored });
      printMessage(ctx, opened);
      ctx.say(res.stored ? 'ack.done' : 'ack.already', { id, inbox: opened.inbox });
    });
  },
};

const status: Command = {
  words: ['status'],
  args: 'arg.messageId',
  summary: 'help.status.summary',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [idArg]) {
    const id = messageId(idArg);
    await withMember(ctx, async (client) => {
      const s = await client.status(id);
      if (ctx.json) return ctx.emit(s);
      const labels = new Map<string, string>();
      for (const r of s.recipients) {
        for (const member of [r.deliveredBy, r.acknowledgedBy]) {
          if (!member || labels.has(member)) continue;
          // A label the directory cannot verify is shown as the bare member id.
          const label = await client.directory.member(member).then((m) => m.label, () => null);
          if (label) labels.set(member, label);
        }
      }
      printStatus(ctx, s, labels);
    });
  },
};

export const messageCommands = [ack, status];
