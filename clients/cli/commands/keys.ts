/**
 * `vigie keys …`: key generation. The agency root key is the agency's
 * identity (only its administrator holds it); device keys never leave the
 * device — only their public half goes to the administrator, as JSON.
 */
import { createHash } from 'node:crypto';
import { readableFingerprint, rootKeyFingerprint } from '../../../protocol/protocol-document.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { newAgencyKeys, newMemberKeys, publicMemberKeys } from '../../sdk/keys.js';
import type { Command } from '../command.js';
import { FILES, KeyStore } from '../key-store.js';
import { fingerprint } from '../format.js';
import { agencyId } from '../validate.js';

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

export const keysCommands = [agency, member, show];
