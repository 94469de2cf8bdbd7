/**
 * `vigie keys …`: key generation. The agency root key is the agency's
 * identity (only its administrator holds it); device keys never leave the
 * device — only their public half goes to the administrator, as JSON, or
 * with the one-time code of an invitation (`vigie keys join`, as the
 * console's join page does).
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { UUID_PATTERN } from '../../../protocol/ids.js';
import { readableFingerprint, rootKeyFingerprint } from '../../../protocol/protocol-document.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { INVITATION_STATE_LABELS } from '../../../protocol/vocabulary.js';
import { answerInvitation, parseInvitationLink } from '../../sdk/admin.js';
import { HubHttp } from '../../sdk/http.js';
import { newAgencyKeys, newMemberKeys, publicMemberKeys } from '../../sdk/keys.js';
import { flag, stringOption, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { FILES, KeyStore } from '../key-store.js';
import { clean, fingerprint, formatTime, listOr, roleLabel, word } from '../format.js';
import { delay, interrupted } from '../interrupt.js';
import { agencyId } from '../validate.js';
import { AgencyViewSchema, InvitationViewSchema } from '../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../protocol/api/routes.js';

const agency: Command = {
  words: ['keys', 'agency'],
  args: 'arg.agencyId',
  summary: 'help.keysAgency.summary',
  details: 'help.keysAgency.details',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [id]) {
    const agencyIdValue = agencyId(id);
    const store = new KeyStore(ctx);
    const keys = newAgencyKeys(await loadSodium(), agencyIdValue);
    const file = await store.create(FILES.agency, keys);
    const pub = { agency: agencyIdValue, rootKey: keys.root.publicKey };
    store.writeJson(FILES.agencyPublic, pub);
    if (ctx.json) return ctx.emit({ ...pub, file });
    ctx.say('keys.agencyCreated', { agency: agencyIdValue, file });
    ctx.say('keys.rootKey', { key: pub.rootKey });
    ctx.say('keys.agencyNext');
  },
};

const member: Command = {
  words: ['keys', 'member'],
  args: 'arg.agencyId',
  summary: 'help.keysMember.summary',
  details: 'help.keysMember.details',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [id]) {
    const store = new KeyStore(ctx);
    const keys = newMemberKeys(await loadSodium(), agencyId(id));
    const file = await store.create(FILES.member, keys);
    const pub = publicMemberKeys(keys);
    store.writeJson(FILES.memberPublic, pub);
    // The public JSON is the result (to pipe or save for the administrator); the rest is commentary.
    ctx.print(JSON.stringify(pub, null, 2));
    ctx.note('keys.memberCreated', { member: pub.member, file });
    ctx.note('keys.fingerprint', { fingerprint: fingerprint(pub) });
    ctx.note('keys.memberNext', { file: store.path(FILES.memberPublic) });
  },
};

const show: Command = {
  words: ['keys', 'show'],
  summary: 'help.keysShow.summary',
  options: {},
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const store = new KeyStore(ctx);
    const agencyPub = store.readJson<{ agency: string; rootKey: string }>(FILES.agencyPublic);
    const memberPub = store.readJson<ReturnType<typeof publicMemberKeys>>(FILES.memberPublic);
    if (ctx.json) return ctx.emit({ keyDir: ctx.keyDir, agency: agencyPub ?? null, member: memberPub ?? null });
    ctx.say('keys.dir', { dir: ctx.keyDir });
    if (agencyPub) ctx.say('keys.showAgency', { agency: agencyPub.agency, key: agencyPub.rootKey });
    if (memberPub) {
      ctx.say('keys.showMember', { member: memberPub.member, agency: memberPub.agency, fingerprint: fingerprint(memberPub) });
      // The agency root key this device pinned (at its first connection): to compare with the administrator's.
      const pinned = store.readJson<Record<string, string>>(FILES.knownRoots)?.[memberPub.agency];
      if (pinned) ctx.say('keys.showPinnedRoot', { agency: memberPub.agency, fingerprint: readableFingerprint(rootKeyFingerprint((d) => new Uint8Array(createHash('sha256').update(d).digest()), pinned)) });
    }
    if (!agencyPub && !memberPub) ctx.say('keys.none');
  },
};

const UUID = new RegExp(UUID_PATTERN);
const POLL_MS = 2000;

const join: Command = {
  words: ['keys', 'join'],
  args: 'arg.invitationLink',
  summary: 'help.keysJoin.summary',
  details: 'help.keysJoin.details',
  options: {
    code: { type: 'string', value: 'arg.code', help: 'opt.inviteCode' },
    'no-wait': { type: 'boolean', help: 'opt.noWait' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [arg]) {
    // The link carries its hub; a hub named on the line or in VIGIE_HUB must be that one.
    const link = parseInvitationLink(arg!);
    let hub = ctx.hub;
    let invitation: string;
    let code: string | undefined = stringOption(values, 'code');
    if (link) {
      const named = values.hub !== undefined || !!ctx.env.VIGIE_HUB;
      if (named && new URL(ctx.hub).origin !== link.hub) throw new CliError('error.linkOtherHub', { link: link.hub, hub: ctx.hub });
      hub = link.hub;
      invitation = link.invitation;
      code ??= link.code;
    } else {
      if (!UUID.test(arg!)) throw new UsageError('usage.badInvitation', { value: arg! });
      invitation = arg!;
    }
    if (!code) throw new UsageError('usage.missingOption', { option: '--code' });
    const http = new HubHttp(hub, ctx.lang);
    const about = await http.get(routePath(ROUTES.invitation, { invitation }), InvitationViewSchema);
    if (about.state !== 'waiting') throw new CliError('error.invitationNotWaiting', { state: word(ctx, INVITATION_STATE_LABELS, about.state) });
    const aboutLine = ctx.t('keys.joinAbout', {
      agency: clean(about.agency),
      label: clean(about.label),
      roles: about.roles.map((r) => roleLabel(ctx, r)).join(', '),
      inboxes: listOr(about.inboxes.map(clean)),
      time: formatTime(ctx, about.expiresAt),
    });
    const say = (text: string) => (ctx.json ? ctx.io.stderr(`${text}\n`) : ctx.print(text));
    say(aboutLine);

    // The private keys are sealed on this device before anything is sent: an answer is never made for keys that could be lost.
    const store = new KeyStore(ctx);
    const keys = newMemberKeys(await loadSodium(), about.agency);
    const file = await store.create(FILES.member, keys);
    store.writeJson(FILES.memberPublic, publicMemberKeys(keys));
    let answered;
    try {
      answered = await answerInvitation(hub, { invitation, code }, keys, ctx.lang);
    } catch (err) {
      // Refused (a wrong code, already answered): these keys belong to nobody; the person may try again.
      rmSync(file, { force: true });
      rmSync(store.path(FILES.memberPublic), { force: true });
      throw err;
    }
    const { rootKey } = await http.get(routePath(ROUTES.agency, { agency: about.agency }), AgencyViewSchema);
    const root = readableFingerprint(rootKeyFingerprint((d) => new Uint8Array(createHash('sha256').update(d).digest()), rootKey));
    if (ctx.json) ctx.emit({ event: 'answered', invitation, member: keys.member, agency: about.agency, fingerprint: answered.fingerprint, agencyRootFingerprint: root, file });
    else {
      ctx.say('keys.joinAnswered', { file });
      ctx.say('keys.joinFingerprint', { fingerprint: answered.fingerprint });
      ctx.say('keys.joinRoot', { agency: clean(about.agency), fingerprint: root });
    }
    const hubHint = () => {
      if (hub !== ctx.hub) ctx.note('keys.joinHub', { hub });
    };
    if (flag(values, 'no-wait')) {
      say(ctx.t('keys.joinLater', { invitation }));
      return hubHint();
    }
    say(ctx.t('keys.joinWaiting'));
    const stop = interrupted();
    try {
      for (;;) {
        const state = await http.get(routePath(ROUTES.invitation, { invitation }), InvitationViewSchema);
        if (state.state === 'approved') break;
        if (state.state === 'expired') throw new CliError('error.invitationNotWaiting', { state: word(ctx, INVITATION_STATE_LABELS, 'expired') });
        const wait = delay(POLL_MS);
        const why = await Promise.race([wait.promise.then(() => 'tick' as const), stop.promise.then(() => 'stop' as const)]);
        wait.cancel();
        if (why === 'stop') {
          say(ctx.t('keys.joinLater', { invitation }));
          return hubHint();
        }
      }
    } finally {
      stop.dispose();
    }
    if (ctx.json) ctx.emit({ event: 'approved', invitation, member: keys.member, agency: about.agency });
    else ctx.say('keys.joinApproved', { agency: clean(about.agency), label: clean(about.label) });
    hubHint();
  },
};

export const keysCommands = [agency, member, join, show];
