// Issue 13, part 1: enrolment by invitation. The administrator's root key
// signs an invitation (label, roles, inboxes, the hash of a one-time code);
// the person's device answers with its public keys and the code; the
// administrator compares the device's fingerprint and approves it by
// certifying it. The device is then a member like any other.
import t from 'tap';
import { enrolAgency } from '../../../clients/harness/enrol.js';
import { answerInvitation } from '../../../clients/sdk/admin.js';
import { VigieClient } from '../../../clients/sdk/client.js';
import { newMemberKeys } from '../../../clients/sdk/keys.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { codeOf, startTestHub } from '../../helpers/env.js';

t.test('invite, answer with the code, compare the fingerprint, approve', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, { intake: { fr: 'Accueil', en: 'Intake' } });
  const invited = await shelter.admin.invite({ label: 'intervenante-nuit', roles: ['sender', 'receiver'], inboxes: ['shelter-laval/intake'] });
  t.match(await shelter.admin.invitation(invited.invitation), { state: 'waiting', device: null, fingerprint: null, label: 'intervenante-nuit' });

  const keys = newMemberKeys(crypto, 'shelter-laval');
  t.equal(await codeOf(answerInvitation(hub.url, { invitation: invited.invitation, code: 'x'.repeat(32) }, keys)), 'INVITATION_INVALID', 'a wrong code is refused');
  t.equal(await codeOf(answerInvitation(hub.url, { invitation: invited.invitation, code: invited.code }, newMemberKeys(crypto, 'police-laval'))), 'INVITATION_INVALID', 'a device of another agency is refused');
  const answered = await answerInvitation(hub.url, { invitation: invited.invitation, code: invited.code }, keys);
  t.match(answered, { state: 'submitted', agency: 'shelter-laval', roles: ['sender', 'receiver'] }, 'the device learns what it was invited to');
  t.equal(await codeOf(answerInvitation(hub.url, { invitation: invited.invitation, code: invited.code }, newMemberKeys(crypto, 'shelter-laval'))), 'INVITATION_INVALID', 'a second device cannot answer it');

  const seen = await shelter.admin.invitation(invited.invitation);
  t.equal(seen.fingerprint, answered.fingerprint, 'the administrator sees the fingerprint the device shows');
  t.match(await codeOf(shelter.admin.approve(invited.invitation, 'ffff ffff ffff ffff ffff ffff')), 'FINGERPRINT_MISMATCH', 'a fingerprint that was not compared is not approved');
  await shelter.admin.approve(invited.invitation, answered.fingerprint);
  t.match(await shelter.admin.invitation(invited.invitation), { state: 'approved' });
  const client = await VigieClient.connect({ url: hub.url, keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey } });
  t.same([...(await client.inboxes()).keys()], ['shelter-laval/intake'], 'the approved device reads its inbox');

  // Only the agency's root key invites.
  const forged = await fetch(`${hub.url}/v1/agencies/shelter-laval/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ document: { type: 'invitation', v: 1, agency: 'shelter-laval', invitation: '00000000-0000-4000-8000-000000000009', label: 'x', roles: ['admin'], inboxes: [], codeHash: 'A'.repeat(43), expiresAt: new Date(Date.now() + 3600_000).toISOString() }, signature: 'A'.repeat(86) }),
  });
  t.equal(forged.status, 422, 'an invitation the root key did not sign is refused');
});
