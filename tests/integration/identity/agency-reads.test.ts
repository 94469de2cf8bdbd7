// An agency's own lists — its member devices and its invitations — are read
// by its root key (a request signed for that path, minutes old at most) or
// by one of its members holding the admin role; nobody else, not another
// agency's root key, not a member without the role, not a replay for
// another path or an old request.
import t from 'tap';
import { enrolAgency, enrolDevice } from '../../../clients/harness/enrol.js';
import { answerInvitation } from '../../../clients/sdk/admin.js';
import { HubHttp } from '../../../clients/sdk/http.js';
import { newMemberKeys } from '../../../clients/sdk/keys.js';
import { agencyInvitations, agencyMembers } from '../../../clients/sdk/roster.js';
import { agencyRequestHeader } from '../../../protocol/agency-request.js';
import { fromB64u, toB64u, utf8 } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { AgencyMembersSchema } from '../../../protocol/api/identity.js';

t.test('members and invitations: the root key or the admin role of the agency, nobody else', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, { intake: { fr: 'Accueil', en: 'Intake' } });
  const police = await enrolAgency(hub.url, hub.operatorToken, 'police-laval', 'police', { fr: 'Police Laval', en: 'Laval police' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
  const worker = await enrolDevice(hub.url, shelter, 'intervenante-1', ['sender', 'receiver'], ['shelter-laval/intake']);
  const manager = await enrolDevice(hub.url, shelter, 'coordination', ['admin'], []);
  const leaving = await enrolDevice(hub.url, shelter, 'poste-2', ['receiver'], ['shelter-laval/intake']);
  await shelter.admin.revokeMember(leaving.keys.member);
  const invited = await shelter.admin.invite({ label: 'intervenante-nuit', roles: ['sender'], inboxes: ['shelter-laval/intake'] });
  const answered = await shelter.admin.invite({ label: 'poste-3', roles: ['receiver'], inboxes: [] });
  const device = newMemberKeys(crypto, 'shelter-laval');
  const { fingerprint } = await answerInvitation(hub.url, { invitation: answered.invitation, code: answered.code }, device);

  // The root key, without any member device.
  const members = await shelter.admin.members();
  t.same(
    members.map((m) => [m.label, m.roles, m.inboxes, m.revokedAt === null, m.certified]),
    [
      ['intervenante-1', ['sender', 'receiver'], ['shelter-laval/intake'], true, true],
      ['coordination', ['admin'], [], true, true],
      ['poste-2', ['receiver'], ['shelter-laval/intake'], false, true],
    ],
    'every device of the agency, active and revoked, oldest first, each certified by its root key',
  );
  const invitations = await shelter.admin.invitations();
  t.same(
    invitations.map((i) => [i.invitation, i.state, i.label]),
    [
      [answered.invitation, 'submitted', 'poste-3'],
      [invited.invitation, 'waiting', 'intervenante-nuit'],
    ],
    'the invitations, newest first, with their state',
  );
  t.equal(invitations[0]!.fingerprint, fingerprint, 'with the fingerprint of the device that answered');
  t.notOk(JSON.stringify(invitations).includes(answered.code), 'never the code');

  // A member of the agency with the admin role reads them too; a member without it does not.
  const http = new HubHttp(hub.url, 'en');
  const asManager = { token: await manager.client.accessToken() };
  t.equal((await agencyMembers(http, crypto, 'shelter-laval', asManager, shelter.keys.root.publicKey)).length, 3, 'a member with the admin role reads the members');
  t.equal((await agencyInvitations(http, crypto, 'shelter-laval', asManager)).length, 2, 'and the invitations');
  t.equal(await codeOf(agencyMembers(http, crypto, 'shelter-laval', { token: await worker.client.accessToken() }, shelter.keys.root.publicKey)), 'ROLE_REQUIRED', 'a member without the admin role does not');
  t.equal(await codeOf(agencyInvitations(http, crypto, 'police-laval', asManager)), 'AGENCY_FORBIDDEN', 'nor another agency’s administrator');
  t.equal(await codeOf(http.get('/v1/agencies/shelter-laval/members', AgencyMembersSchema)), 'UNAUTHENTICATED', 'nor anybody without credentials');

  // Root-key requests: for this agency, this path, now.
  const root = fromB64u(shelter.keys.root.secretKey);
  const readWith = (path: string, authorization: string) => http.send('GET', path, { authorization });
  const membersPath = '/v1/agencies/shelter-laval/members';
  t.equal(await codeOf(readWith(membersPath, agencyRequestHeader(crypto, 'shelter-laval', 'GET', membersPath, root))), 'OK');
  t.equal(
    await codeOf(readWith(membersPath, agencyRequestHeader(crypto, 'shelter-laval', 'GET', membersPath, fromB64u(police.keys.root.secretKey)))),
    'AGENCY_PROOF_INVALID',
    'another agency’s root key does not open the list',
  );
  t.equal(
    await codeOf(readWith('/v1/agencies/police-laval/members', agencyRequestHeader(crypto, 'police-laval', 'GET', '/v1/agencies/police-laval/members', root))),
    'AGENCY_PROOF_INVALID',
    'nor does this root key open another agency’s',
  );
  t.equal(
    await codeOf(readWith('/v1/agencies/shelter-laval/invitations', agencyRequestHeader(crypto, 'shelter-laval', 'GET', membersPath, root))),
    'AGENCY_PROOF_INVALID',
    'a request signed for one list does not open another',
  );
  t.equal(
    await codeOf(readWith(membersPath, agencyRequestHeader(crypto, 'shelter-laval', 'GET', membersPath, root, new Date(Date.now() - 10 * 60_000)))),
    'AGENCY_PROOF_INVALID',
    'a request ten minutes old is refused',
  );
  t.equal(await codeOf(readWith(membersPath, `Vigie-Agency ${toB64u(utf8('{"document":{},"signature":"x"}'))}`)), 'AGENCY_PROOF_INVALID', 'a malformed request is refused');
  t.equal(await codeOf(readWith(membersPath, 'Vigie-Agency %%%')), 'AGENCY_PROOF_INVALID', 'and garbage too');
  const refused = await http.send('GET', membersPath, { authorization: 'Vigie-Agency %%%' }).catch((err: unknown) => err as { status: number; message: string });
  t.match(refused, { status: 401, message: /root key/ }, 'a 401 in the person’s language');
});
