/**
 * `vigie member enrol|revoke|invite|invitations|approve|list`: the agency
 * administrator certifies a device — from the public JSON that `vigie keys
 * member` printed on it, or from an invitation the person answered in the
 * console or with `vigie keys join` — and seals each inbox key to that
 * device. The fingerprint lets both people check, by phone or in person,
 * that the hub did not swap the public keys on the way.
 */
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { UUID_PATTERN } from '../../../protocol/ids.js';
import { AgencyIdSchema, Ed25519PublicKeySchema, UuidSchema, X25519PublicKeySchema } from '../../../protocol/schemas.js';
import { INVITATION_STATE_LABELS, MEMBER_STATE_LABELS } from '../../../protocol/vocabulary.js';
import { invitationLink } from '../../sdk/admin.js';
import { flag, listOption, requiredOption, stringOption, type Command } from '../command.js';
import { askYesNo, canAsk } from '../prompt.js';
import { CliError, UsageError } from '../errors.js';
import { clean, fingerprint, formatTime, listOr, roleLabel, word } from '../format.js';
import { readJsonInput } from '../input.js';
import { createHash } from 'node:crypto';
import { readableFingerprint, rootKeyFingerprint } from '../../../protocol/protocol-document.js';
import { withAgency } from '../session.js';
import { FILES } from '../key-store.js';
import { inboxId, memberId, roles as parseRoles } from '../validate.js';
import { MemberViewSchema } from '../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../protocol/api/routes.js';

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
        const inboxes = await admin.http.get(routePath(ROUTES.member, { member }), MemberViewSchema).then((m) => m.certificate.document.inboxes.join(', ') || '—');
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

const UUID = new RegExp(UUID_PATTERN);
const invitationId = (value: string) => {
  if (!UUID.test(value)) throw new UsageError('usage.badInvitation', { value });
  return value;
};
const rolesText = (ctx: Parameters<Command['run']>[0], list: string[]) => list.map((r) => roleLabel(ctx, r)).join(', ');
/** Fingerprints compared as people read them: groups, spaces and case do not matter. */
const sameFingerprint = (a: string, b: string) => a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

const invite: Command = {
  words: ['member', 'invite'],
  synopsis: 'synopsis.memberInvite',
  summary: 'help.memberInvite.summary',
  details: 'help.memberInvite.details',
  options: {
    label: { type: 'string', value: 'arg.label', help: 'opt.label' },
    roles: { type: 'string', value: 'arg.roles', help: 'opt.roles' },
    inbox: { type: 'string', multiple: true, value: 'arg.inbox', help: 'opt.inbox' },
    'valid-hours': { type: 'string', value: 'arg.hours', help: 'opt.inviteHours' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const label = requiredOption(values, 'label').trim();
    if (label.length < 1 || label.length > 80) throw new UsageError('usage.badLabel');
    const roles = parseRoles(listOption(values, 'roles'));
    const inboxes = listOption(values, 'inbox').map(inboxId);
    const hoursText = stringOption(values, 'valid-hours');
    const validHours = hoursText === undefined ? 72 : Number(hoursText);
    if (!Number.isInteger(validHours) || validHours < 1 || validHours > 720) throw new UsageError('usage.badHours', { value: hoursText ?? '' });
    await withAgency(ctx, async (admin, keys) => {
      // Approval seals each inbox key to the device: the agency key file must hold them.
      for (const inbox of inboxes) {
        if (!keys.inboxes[inbox]) throw new CliError('error.inboxKeyMissing', { inbox });
      }
      const res = await admin.invite({ label, roles, inboxes, validHours });
      const link = invitationLink(ctx.hub, res);
      if (ctx.json) return ctx.emit({ invitation: res.invitation, code: res.code, link, expiresAt: res.expiresAt, label, roles, inboxes });
      ctx.say('member.invited', { label: clean(label), roles: rolesText(ctx, roles), inboxes: listOr(inboxes), time: formatTime(ctx, res.expiresAt) });
      ctx.say('member.inviteLink');
      ctx.print(`  ${link}`);
      ctx.say('member.inviteCode', { invitation: res.invitation, code: res.code });
      ctx.say('member.inviteNext', { invitation: res.invitation });
    });
  },
};

const invitations: Command = {
  words: ['member', 'invitations'],
  summary: 'help.memberInvitations.summary',
  details: 'help.memberInvitations.details',
  options: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    await withAgency(ctx, async (admin) => {
      const list = await admin.invitations();
      if (ctx.json) return ctx.emit(list.map(({ device: _device, ...i }) => i));
      if (list.length === 0) return ctx.say('member.noInvitations');
      for (const i of list) {
        ctx.say('member.invitationLine', {
          state: word(ctx, INVITATION_STATE_LABELS, i.state),
          label: clean(i.label),
          roles: rolesText(ctx, i.roles),
          inboxes: listOr(i.inboxes.map(clean)),
          time: formatTime(ctx, i.expiresAt),
          invitation: i.invitation,
        });
        if (i.state === 'submitted' && i.fingerprint) ctx.print(`    ${ctx.t('member.invitationFingerprint', { fingerprint: i.fingerprint, invitation: i.invitation })}`);
      }
    });
  },
};

const approve: Command = {
  words: ['member', 'approve'],
  args: 'arg.invitation',
  summary: 'help.memberApprove.summary',
  details: 'help.memberApprove.details',
  options: {
    fingerprint: { type: 'string', value: 'arg.fingerprint', help: 'opt.fingerprint' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [id]) {
    const invitation = invitationId(id!);
    const given = stringOption(values, 'fingerprint');
    await withAgency(ctx, async (admin, keys) => {
      const seen = await admin.invitation(invitation);
      if (seen.agency !== keys.agency) throw new CliError('error.invitationOtherAgency', { agency: seen.agency, own: keys.agency });
      if (seen.state !== 'submitted' || !seen.fingerprint) throw new CliError('error.invitationNotAnswered', { state: word(ctx, INVITATION_STATE_LABELS, seen.state) });
      const summary = ctx.t('member.approveSummary', { label: clean(seen.label), roles: rolesText(ctx, seen.roles), inboxes: listOr(seen.inboxes.map(clean)), fingerprint: seen.fingerprint });
      if (ctx.json) ctx.io.stderr(`${summary}\n`);
      else ctx.print(summary);
      // Approval certifies the device whose fingerprint the person read aloud: given on the line, or confirmed here.
      if (given !== undefined) {
        if (!sameFingerprint(given, seen.fingerprint)) throw new CliError('error.fingerprintDiffers', { given: clean(given), shown: seen.fingerprint });
      } else {
        if (!canAsk()) throw new CliError('error.fingerprintRequired');
        if (!(await askYesNo(ctx, 'prompt.sameFingerprint', { label: clean(seen.label) }))) throw new CliError('error.cancelled');
      }
      for (const inbox of seen.inboxes) {
        if (!keys.inboxes[inbox]) throw new CliError('error.inboxKeyMissing', { inbox });
      }
      const res = await admin.approve(invitation, seen.fingerprint);
      if (ctx.json) return ctx.emit({ invitation, member: res.member, label: seen.label, roles: seen.roles, inboxes: seen.inboxes, fingerprint: seen.fingerprint });
      ctx.say('member.approved', { label: clean(seen.label), member: res.member });
    });
  },
};

const list: Command = {
  words: ['member', 'list'],
  summary: 'help.memberList.summary',
  options: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    await withAgency(ctx, async (admin) => {
      const members = await admin.members();
      if (ctx.json) return ctx.emit(members);
      if (members.length === 0) return ctx.say('member.none');
      for (const m of members) {
        const state = !m.certified ? ctx.t('member.uncertified') : m.revokedAt ? `${word(ctx, MEMBER_STATE_LABELS, 'revoked')} (${formatTime(ctx, m.revokedAt)})` : word(ctx, MEMBER_STATE_LABELS, 'active');
        ctx.say('member.line', { label: clean(m.label), state, roles: rolesText(ctx, m.roles), inboxes: listOr(m.inboxes.map(clean)), fingerprint: m.fingerprint, member: m.member });
      }
    });
  },
};

export const memberCommands = [enrol, invite, invitations, approve, list, revoke];
