// Agencies own their identity: only the root key certifies inboxes and
// devices; the operator admits an agency once; revocation takes effect at once.
import t from 'tap';
import WebSocket from 'ws';
import { AgencyAdmin, admitAgency } from '../../../clients/sdk/admin.js';
import { VigieClient } from '../../../clients/sdk/client.js';
import { newAgencyKeys, newMemberKeys, publicMemberKeys } from '../../../clients/sdk/keys.js';
import { createClientAssertion, CLIENT_ASSERTION_TYPE } from '../../../protocol/client-assertion.js';
import { fromB64u } from '../../../protocol/encoding.js';
import { signDocument } from '../../../protocol/signing.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';
import { InboxRegisteredSchema, InboxViewSchema, MemberEnrolledSchema } from '../../../protocol/api/identity.js';


t.test('admission, registration and certificates', async (t) => {
  const hub = await startTestHub(t);
  const crypto = await loadSodium();
  const names = { fr: 'Maison Nord', en: 'North shelter' };

  t.match(await codeOf(admitAgency(hub.url, 'not-the-operator-token-at-all-xxxxxxxx', { agency: 'maison-nord', kind: 'shelter', names })), 'OPERATOR_TOKEN_INVALID');
  const { code } = await admitAgency(hub.url, hub.operatorToken, { agency: 'maison-nord', kind: 'shelter', names });
  t.match(code, /^[0-9a-f]{48}$/, 'a code is hex: it can never be taken for a command-line option');
  const keys = newAgencyKeys(crypto, 'maison-nord');
  const admin = await AgencyAdmin.create(hub.url, keys);
  t.equal(await codeOf(admin.register(code, 'shelter', { fr: 'Autre nom', en: 'Other' })), 'ADMISSION_INVALID', 'names must be those admitted');
  const thief = await AgencyAdmin.create(hub.url, newAgencyKeys(crypto, 'maison-sud'));
  t.equal(await codeOf(thief.register(code, 'shelter', names)), 'ADMISSION_INVALID', 'the code admits only its agency');
  t.equal(await codeOf(admin.register(code, 'shelter', names)), 'OK', 'refused attempts changed nothing: the code still works');
  t.equal(await codeOf(admin.register(code, 'shelter', names)), 'ADMISSION_INVALID', 'a code works once');
  t.equal(await codeOf(admitAgency(hub.url, hub.operatorToken, { agency: 'maison-nord', kind: 'shelter', names })), 'AGENCY_EXISTS', 'admitted once');

  const inbox = await admin.createInbox('accueil', { fr: 'Accueil', en: 'Intake' });
  t.equal(inbox, 'maison-nord/accueil');
  t.equal(await codeOf(admin.createInbox('accueil', { fr: 'Accueil', en: 'Intake' })), 'INBOX_EXISTS', 'another certificate for an existing inbox is refused');
  const stored = await admin.http.get('/v1/inboxes/maison-nord/accueil', InboxViewSchema);
  t.equal(await codeOf(admin.http.post('/v1/agencies/maison-nord/inboxes', stored.certificate, InboxRegisteredSchema)), 'OK', 'the same certificate again is accepted once (idempotent)');

  // A certificate signed by anything but the agency root key is refused.
  const forged = signDocument(crypto, 'inbox-certificate', {
    type: 'inbox', v: 1, agency: 'maison-nord', inbox: 'maison-nord/pirate', names, encryptionKey: keys.inboxes[inbox]!.publicKey, keyVersion: 1, issuedAt: new Date().toISOString(),
  }, crypto.signKeypair().secretKey);
  t.equal(await codeOf(admin.http.post('/v1/agencies/maison-nord/inboxes', forged, InboxRegisteredSchema)), 'CERTIFICATE_INVALID');
  const otherAgency = signDocument(crypto, 'inbox-certificate', { ...forged.document, agency: 'police-laval', inbox: 'police-laval/pirate' }, fromB64u(keys.root.secretKey));
  t.equal(await codeOf(admin.http.post('/v1/agencies/maison-nord/inboxes', otherAgency, InboxRegisteredSchema)), 'AGENCY_FORBIDDEN');

  const device = newMemberKeys(crypto, 'maison-nord');
  const noWrap = signDocument(crypto, 'member-certificate', {
    type: 'member', v: 1, agency: 'maison-nord', member: device.member, label: 'poste-1', signingKey: device.signing.publicKey,
    encryptionKey: device.encryption.publicKey, roles: ['sender'], inboxes: [inbox], issuedAt: new Date().toISOString(),
  }, fromB64u(keys.root.secretKey));
  t.equal(await codeOf(admin.http.post('/v1/agencies/maison-nord/members', { certificate: noWrap, inboxKeys: [] }, MemberEnrolledSchema)), 'KEY_WRAP_MISSING');
  t.equal(await codeOf(admin.enrolMember({ ...publicMemberKeys(device), label: 'poste-1', roles: ['sender', 'receiver'], inboxes: [inbox] })), 'OK');
  const client = await VigieClient.connect({ url: hub.url, keys: device });
  const access = await client.inboxes();
  t.ok(access.get(inbox), 'the device unsealed its inbox key and checked it against the certificate');
});

t.test('device-key assertions and revocation', async (t) => {
  const hub = await startTestHub(t);
  const crypto = await loadSodium();
  const { worker, officer, shelter } = await enrolPartners(hub.url, hub.operatorToken);
  const assertion = createClientAssertion(crypto, { member: worker.keys.member, audience: hub.config.audience, signingSecretKey: fromB64u(worker.keys.signing.secretKey) });
  const exchange = (a: string) =>
    fetch(`${hub.url}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: a }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { access_token?: string; error?: { code: string } } }));
  const ok = await exchange(assertion);
  t.equal(ok.status, 200, 'a fresh assertion gets a token');
  t.equal((await exchange(assertion)).body.error?.code, 'ASSERTION_REPLAYED', 'the same assertion twice is refused');
  const wrongAud = createClientAssertion(crypto, { member: worker.keys.member, audience: 'urn:other', signingSecretKey: fromB64u(worker.keys.signing.secretKey) });
  t.equal((await exchange(wrongAud)).body.error?.code, 'ASSERTION_INVALID', 'another audience is refused');
  const wrongKey = createClientAssertion(crypto, { member: worker.keys.member, audience: hub.config.audience, signingSecretKey: fromB64u(officer.keys.signing.secretKey) });
  t.equal((await exchange(wrongKey)).body.error?.code, 'ASSERTION_INVALID', 'another device key is refused');
  const old = createClientAssertion(crypto, { member: worker.keys.member, audience: hub.config.audience, signingSecretKey: fromB64u(worker.keys.signing.secretKey), now: new Date(Date.now() - 3600_000) });
  t.equal((await exchange(old)).body.error?.code, 'ASSERTION_INVALID', 'an expired assertion is refused');
  t.equal((await exchange('bm90.YSBqd3Q.Z2FyYmFnZQ-garbage')).body.error?.code, 'ASSERTION_INVALID', 'garbage is a 401, not a 500');

  // Revocation: the open stream closes, the token stops working, no new token.
  const token = ok.body.access_token!;
  const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/v1/stream`, ['vigie.v1', `vigie.bearer.${token}`]);
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  const closed = new Promise<number>((res) => ws.once('close', (code) => res(code)));
  await shelter.admin.revokeMember(worker.keys.member);
  t.equal(await closed, 4401, 'the revoked device’s stream was closed');
  const res = await fetch(`${hub.url}/v1/me/inbox-keys`, { headers: { authorization: `Bearer ${token}` } });
  t.equal(res.status, 401);
  t.equal(((await res.json()) as { error: { code: string } }).error.code, 'MEMBER_REVOKED', 'a token issued before revocation stops working');
  const fresh = createClientAssertion(crypto, { member: worker.keys.member, audience: hub.config.audience, signingSecretKey: fromB64u(worker.keys.signing.secretKey) });
  t.equal((await exchange(fresh)).body.error?.code, 'ASSERTION_INVALID', 'no new token for a revoked device');
  await eventually(() => hub.app.realtime.connections() === 0);
});
