// A database writer who edits a stored invitation — its roles and inboxes —
// must not make the administrator's approval certify more than the root key
// invited: the administrator's device certifies from the document the root
// key signed, never from what the hub serves beside it.
import t from 'tap';
import { enrolAgency } from '../../../clients/harness/enrol.js';
import { answerInvitation } from '../../../clients/sdk/admin.js';
import { VigieClient } from '../../../clients/sdk/client.js';
import { newMemberKeys } from '../../../clients/sdk/keys.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { hubRoleConnection, startTestHub } from '../../helpers/env.js';
import { MemberViewSchema } from '../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../protocol/api/routes.js';

t.test('approval certifies what the root key signed, not what the hub serves', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, {
    intake: { fr: 'Accueil', en: 'Intake' },
    direction: { fr: 'Direction', en: 'Management' },
  });
  const writer = await hubRoleConnection(t, hub.config.databaseUrl!);
  const count = async (member: string) => Number((await writer.query('select count(*) from members where id = $1', [member])).rows[0].count);

  t.test('a widened invitation is refused, and nothing is certified', async (t) => {
    const invited = await shelter.admin.invite({ label: 'benevole', roles: ['sender'], inboxes: ['shelter-laval/intake'] });
    const keys = newMemberKeys(crypto, 'shelter-laval');
    const answered = await answerInvitation(hub.url, { invitation: invited.invitation, code: invited.code }, keys);
    // The administrator compares the fingerprint; meanwhile the database writer widens the invitation.
    await writer.query(
      `update invitations set invitation = jsonb_set(jsonb_set(invitation, '{document,roles}', '["sender","receiver","admin","auditor"]'), '{document,inboxes}', '["shelter-laval/intake","shelter-laval/direction"]') where id = $1`,
      [invited.invitation],
    );
    const served = (await (await fetch(`${hub.url}/v1/invitations/${invited.invitation}`)).json()) as { roles: string[] };
    t.same(served.roles, ['sender', 'receiver', 'admin', 'auditor'], 'the hub does serve the widened roles');
    await t.rejects(shelter.admin.invitation(invited.invitation), { code: 'NOT_SIGNED' }, 'the administrator is not shown them as the invitation');
    await t.rejects(shelter.admin.approve(invited.invitation, answered.fingerprint), { code: 'NOT_SIGNED' });
    t.equal(await count(keys.member), 0, 'no certificate was stored for the device');
  });

  t.test('another signed invitation served under this id is refused', async (t) => {
    const narrow = await shelter.admin.invite({ label: 'benevole', roles: ['sender'], inboxes: ['shelter-laval/intake'] });
    const wide = await shelter.admin.invite({ label: 'direction', roles: ['sender', 'receiver', 'admin'], inboxes: ['shelter-laval/direction'] });
    const keys = newMemberKeys(crypto, 'shelter-laval');
    const answered = await answerInvitation(hub.url, { invitation: narrow.invitation, code: narrow.code }, keys);
    // A genuine root signature, but over the other invitation.
    await writer.query('update invitations set invitation = (select invitation from invitations where id = $2) where id = $1', [narrow.invitation, wide.invitation]);
    await t.rejects(shelter.admin.approve(narrow.invitation, answered.fingerprint), { code: 'NOT_SIGNED' });
    t.equal(await count(keys.member), 0, 'no certificate was stored for the device');
  });

  t.test('an untouched invitation is approved with exactly what it named', async (t) => {
    const invited = await shelter.admin.invite({ label: 'benevole', roles: ['sender'], inboxes: ['shelter-laval/intake'] });
    const keys = newMemberKeys(crypto, 'shelter-laval');
    const answered = await answerInvitation(hub.url, { invitation: invited.invitation, code: invited.code }, keys);
    await shelter.admin.approve(invited.invitation, answered.fingerprint);
    const client = await VigieClient.connect({ url: hub.url, keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey } });
    const cert = await client.http.get(routePath(ROUTES.member, { member: keys.member }), MemberViewSchema);
    t.same(cert.certificate.document.roles, ['sender'], 'the certificate carries the roles the root key invited');
    t.same([...(await client.inboxes()).keys()], ['shelter-laval/intake'], 'the device holds only the invited inbox key');
  });
});
