/**
 * `vigie member enrol|revoke`: the agency administrator certifies a device
 * from the public JSON that `vigie keys member` printed on it, and seals each
 * inbox key to that device. The fingerprint lets both people check, by
 * phone or in person, that the hub did not swap the public keys on the way.
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AgencyIdSchema, Ed25519PublicKeySchema, UuidSchema, X25519PublicKeySchema } from '../../../protocol/schemas.js';
import { flag, listOption, requiredOption, stringOption, type Command } from '../command.js';
import { askYesNo, canAsk } from '../prompt.js';
import { CliError, UsageError } from '../errors.js';
import { clean, fingerprint, roleLabel } from '../format.js';
import { readJsonInput } from '../input.js';
import { createHash } from 'node:crypto';
import { readableFingerprint, rootKeyFingerprint } from '../../../protocol/protocol-document.js';
import { withAgency } from '../session.js';
import { FILES } from '../key-store.js';
import { inboxId, memberId, roles as parseRoles } from '../validate.js';

const DevicePublicKeys = Type.Object({ member: UuidSchema, agency: AgencyIdSchema, signingKey: Ed25519PublicKeySchema, encryptionKey: X25519PublicKeySchema });

const enrol: Command = {
  words: ['member', 'enrol'],
  synopsis: 'synopsis.memberEnrol',
  summary: 'help.memberEnrol.summary',
  details: 'help.memberEnrol.details',
  options: {
    public: { type: 'string', value: 'arg.fileOrStdin', help: 'opt.public' },
    roles: { type: 'string', value: 'arg.roles', help: 'opt.roles' },
    inbox: { type: 'string', multiple: true, value: 'arg.inbox', help: 'opt.inbox' },
    label: { type: 'string', value: 'arg.label', help: 'opt.label' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const source = requiredOption(values, 'public');
    const roles = parseRoles(listOption(values, 'roles'));
    const inboxes = listOption(values, 'inbox').map(inboxId);
    const device = await readJsonInput(source);
    if (!Value.Check(DevicePublicKeys, device)) throw new CliError('error.badPublicKeys', { file: source });
    const label = (stringOption(values, 'label') ?? `poste-${device.member.slice(0, 8)}`).trim();
    if (label.length < 1 || label.length > 80) throw new UsageError('usage.badLabel');

    await withAgency(ctx, async (admin, keys) => {
      if (device.agency !== keys.agency) throw new CliError('error.deviceOtherAgency', { agency: device.agency, own: keys.agency });
      for (const inbox of inboxes) {
        if (!keys.inboxes[inbox]) throw new CliError('error.inboxKeyMissing', { inbox });
      }
      const res = await admin.enrolMember({ member: device.member, signingKey: device.signingKey, encryptionKey: device.encryptionKey, label, roles, inboxes });
      const print = fingerprint(device);
      // What the device pins as its agency's root key: both people compare it too.
      const root = readableFingerprint(rootKeyFingerprint((d) => new Uint8Array(createHash('sha256').update(d).digest()), keys.root.publicKey));
      if (ctx.json) return ctx.emit({ member: res.member, label, roles, inboxes, fingerprint: print, agencyRootFingerprint: root });
      ctx.say('member.enrolled', { member: res.member, label: clean(label), roles: roles.map((r) => roleLabel(ctx, r)).join(', '), inboxes: inboxes.join(', ') || '—' });
      ctx.say('keys.fingerprint', { fingerprint: print });
      ctx.say('member.rootFingerprint', { agency: keys.agency, fingerprint: root });
    });
  },
};

const revoke: Command = {
  words: ['member', 'revoke'],
  args: 'arg.memberId',
  summary: 'help.memberRevoke.summary',
  details: 'help.memberRevoke.details',
  options: {
    yes: { type: 'boolean', short: 'y', help: 'opt.yes' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [id]) {
    const member = memberId(id);
    await withAgency(ctx, async (admin, keys, store) => {
      // Irreversible, and it replaces inbox keys: a person confirms, or says --yes.
      if (!flag(values, 'yes')) {
        if (!canAsk()) throw new CliError('error.confirmationRequired');
        const inboxes = await admin.http.get<{ certificate: { document: { inboxes: string[] } } }>(`/v1/members/${member}`).then((m) => m.certificate.document.inboxes.join(', ') || '—');
        if (!(await askYesNo(ctx, 'prompt.revokeMember', { member, agency: keys.agency, inboxes }))) throw new CliError('error.cancelled');
      }
      const res = await admin.revokeMember(member);
      // The new inbox keys replace the old ones in the agency's key file: new members are sealed the current key.
      await store.replace(FILES.agency, keys);
      if (ctx.json) return ctx.emit({ member: res.member, revoked: true, rotated: res.rotated });
      ctx.say('member.revoked', { member: res.member });
      if (res.rotated.length > 0) ctx.say('member.rotated', { inboxes: res.rotated.join(', ') });
    });
  },
};

export const memberCommands = [enrol, revoke];
