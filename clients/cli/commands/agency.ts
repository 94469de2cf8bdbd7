/**
 * `vigie agency register` and `vigie inbox create`: the agency administrator
 * signs with the root key. A new inbox key pair is sealed into the agency key
 * file before the inbox is registered, so that the hub never knows an inbox
 * whose private key the administrator could have lost.
 */
import { loadSodium } from '../../../protocol/sodium.js';
import { encodePair } from '../../sdk/keys.js';
import { requiredOption, type Command } from '../command.js';
import { FILES } from '../key-store.js';
import { withAgency } from '../session.js';
import { agencyKind, desk, names } from '../validate.js';

const register: Command = {
  words: ['agency', 'register'],
  synopsis: 'synopsis.agencyRegister',
  summary: 'help.agencyRegister.summary',
  details: 'help.agencyRegister.details',
  options: {
    code: { type: 'string', value: 'arg.code', help: 'opt.code' },
    kind: { type: 'string', value: 'arg.kind', help: 'opt.kind' },
    'name-fr': { type: 'string', value: 'arg.text', help: 'opt.nameFr' },
    'name-en': { type: 'string', value: 'arg.text', help: 'opt.nameEn' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const code = requiredOption(values, 'code').trim();
    const kind = agencyKind(requiredOption(values, 'kind'));
    const agencyNames = names(values);
    await withAgency(ctx, async (admin, keys) => {
      const res = await admin.register(code, kind, agencyNames);
      if (ctx.json) return ctx.emit({ agency: res.agency, rootKey: keys.root.publicKey });
      ctx.say('agency.registered', { agency: res.agency });
      ctx.say('keys.rootKey', { key: keys.root.publicKey });
    });
  },
};

const createInbox: Command = {
  words: ['inbox', 'create'],
  args: 'arg.desk',
  synopsis: 'synopsis.inboxCreate',
  summary: 'help.inboxCreate.summary',
  details: 'help.inboxCreate.details',
  options: {
    'name-fr': { type: 'string', value: 'arg.text', help: 'opt.nameFr' },
    'name-en': { type: 'string', value: 'arg.text', help: 'opt.nameEn' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [deskArg]) {
    const deskId = desk(deskArg);
    const inboxNames = names(values);
    await withAgency(ctx, async (admin, keys, store) => {
      const inbox = `${keys.agency}/${deskId}`;
      if (!keys.inboxes[inbox]) {
        keys.inboxes[inbox] = { ...encodePair((await loadSodium()).boxKeypair()), keyVersion: 1 };
        await store.replace(FILES.agency, keys);
      }
      await admin.createInbox(deskId, inboxNames);
      if (ctx.json) return ctx.emit({ inbox, encryptionKey: keys.inboxes[inbox]!.publicKey, keyVersion: keys.inboxes[inbox]!.keyVersion });
      ctx.say('inbox.created', { inbox });
      ctx.say('inbox.keyStored', { file: store.path(FILES.agency) });
    });
  },
};

export const agencyCommands = [register, createInbox];
