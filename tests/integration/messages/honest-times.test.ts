// Issue 12, part 4: times on the record are the hub's, not a party's claim;
// each agency sees only what concerns it; a token or an assertion made for
// one deployment is refused by another.
import t from 'tap';
import { enrolAgency, enrolDevice } from '../../../clients/harness/enrol.js';
import { createClientAssertion, CLIENT_ASSERTION_TYPE } from '../../../protocol/client-assertion.js';
import { fromB64u, toB64u } from '../../../protocol/encoding.js';
import { headerHash } from '../../../protocol/envelope.js';
import type { ProtocolDocument } from '../../../protocol/protocol-document.js';
import { signDocument } from '../../../protocol/signing.js';
import { loadSodium } from '../../../protocol/sodium.js';
import type { Receipt } from '../../../protocol/schemas.js';
import { draftFromTemplate } from '../../../clients/templates.js';
import { enrolPartners, fingerprintOf, rootKeysOf } from '../../helpers/agencies.js';
import { eventually, startTestHub, tempDir } from '../../helpers/env.js';
import { join } from 'node:path';

t.test('a receipt is dated by the hub; a backdated one is refused', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const sent = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'x' }, ...underDanger });
  const token = await officer.client.accessToken();
  const receipt = (at: Date, kind: Receipt['kind'] = 'acknowledged') =>
    signDocument<Receipt>(
      crypto,
      'receipt',
      { type: 'receipt', v: 1, kind, message: sent.id, headerHash: toB64u(headerHash(crypto, sent.envelope.header)), inbox: 'police-laval/dispatch', member: officer.keys.member, at: at.toISOString() },
      fromB64u(officer.keys.signing.secretKey),
    );
  const post = async (body: unknown) => {
    const res = await fetch(`${hub.url}/v1/messages/${sent.id}/receipts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const json = (await res.json()) as { error?: { code: string; details?: string } };
    return `${res.status} ${json.error?.code ?? 'stored'}${json.error?.details ? `: ${json.error.details}` : ''}`;
  };
  const accepted = Date.parse(sent.acceptedAt);
  t.equal(await post(receipt(new Date(accepted - 365 * 86_400_000))), '422 RECEIPT_INVALID: dated outside the hub’s clock window', 'backdated by a year');
  t.equal(await post(receipt(new Date(accepted - 10_000))), '422 RECEIPT_INVALID: dated before the message was accepted', 'dated before the acceptance, within the window');
  t.equal(await post(receipt(new Date(Date.now() + 86_400_000))), '422 RECEIPT_INVALID: dated outside the hub’s clock window', 'dated tomorrow');
  const claimed = new Date(Date.now() + 120_000);
  const before = Date.now();
  t.equal(await post(receipt(claimed)), '200 stored', 'a plausible time is accepted');
  const status = await worker.client.status(sent.id);
  const acknowledgedAt = Date.parse(status.recipients[0]!.acknowledgedAt!);
  t.ok(acknowledgedAt >= before - 1000 && acknowledgedAt <= Date.now(), 'the time on the record is the hub’s clock at storage, not the signed claim');
  t.not(status.recipients[0]!.acknowledgedAt, claimed.toISOString());
});

t.test('a recipient agency sees only its own inboxes in a status', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, police, worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const longueuil = await enrolAgency(hub.url, hub.operatorToken, 'police-longueuil', 'police', { fr: 'Police Longueuil', en: 'Longueuil police' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
  const other = await enrolDevice(hub.url, longueuil, 'repartiteur-l', ['sender', 'receiver'], ['police-longueuil/dispatch']);
  // Version 2 of the agreement brings in the second police service.
  const v2: ProtocolDocument = draftFromTemplate('shelter-police', { shelter: 'shelter-laval', police: 'police-laval' }, { version: 2, rootKeys: rootKeysOf(shelter, police) });
  v2.parties.push({ agency: 'police-longueuil', kind: 'police', rootKeyFingerprint: fingerprintOf(longueuil) });
  const signed = [shelter, police, longueuil].reduce((s, a) => a.admin.signProtocol(s), { document: v2, signatures: [] as { agency: string; signature: string }[] });
  t.equal((await shelter.admin.submitProtocol(signed)).status, 'active');
  const sent = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch', 'police-longueuil/dispatch'], content: { text: 'x' }, ...underDanger, protocol: { id: 'shelter-police', version: 2 } });
  const stream = other.client.stream();
  const acknowledged: Promise<unknown>[] = [];
  stream.on('message', (m) => void acknowledged.push(other.client.acknowledge(m)));
  await stream.open();
  t.teardown(() => stream.close());

  const bySender = await worker.client.status(sent.id);
  t.same(bySender.recipients.map((r) => r.inbox), ['police-laval/dispatch', 'police-longueuil/dispatch'], 'the sender agency sees every recipient');
  const byLaval = await officer.client.status(sent.id);
  t.same(byLaval.recipients.map((r) => r.inbox), ['police-laval/dispatch'], 'a recipient agency sees only its own inboxes');
  const byLongueuil = await other.client.status(sent.id);
  t.same(byLongueuil.recipients.map((r) => r.inbox), ['police-longueuil/dispatch'], 'and the other only its own, with its devices');
  t.notMatch(JSON.stringify(byLaval), /longueuil/, 'nothing of the other police service');
  // The acknowledgement this test started ends before its hub does.
  await eventually(() => acknowledged.length === 1);
  await Promise.all(acknowledged);
});

t.test('each deployment has its own audience: an assertion for one hub is refused by another', async (t) => {
  const crypto = await loadSodium();
  const dataDir = tempDir(t);
  const first = await startTestHub(t, { dataDir, hubKeyFile: join(dataDir, 'hub-a.jwk') });
  const { worker } = await enrolPartners(first.url, first.operatorToken);
  // A second deployment's hub (its own token key) on the same data: the member exists there too.
  const second = await startTestHub(t, { dataDir, databaseUrl: first.config.databaseUrl!, hubKeyFile: join(dataDir, 'hub-b.jwk') });
  t.not(first.config.audience, second.config.audience, 'two audiences, derived from two keys');
  t.match(first.config.audience, /^urn:vigie:hub:[A-Za-z0-9_-]{22}$/);
  const token = async (url: string, audience: string) => {
    const assertion = createClientAssertion(crypto, { member: worker.keys.member, audience, signingSecretKey: fromB64u(worker.keys.signing.secretKey) });
    const res = await fetch(`${url}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }) });
    return `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? 'token'}`;
  };
  t.equal(await token(second.url, first.config.audience), '401 ASSERTION_INVALID', 'an assertion made for the first hub is refused by the second');
  t.equal(await token(second.url, second.config.audience), '200 token', 'and accepted when made for it');
  const firstToken = await worker.client.accessToken();
  const res = await fetch(`${second.url}/v1/messages/00000000-0000-4000-8000-000000000000/status`, { headers: { authorization: `Bearer ${firstToken}` } });
  t.equal(res.status, 401, 'a token of the first hub is refused by the second');
  const configured = await startTestHub(t, { config: { publicUrl: 'https://vigie.example.qc.ca/' } });
  t.equal(configured.config.audience, 'https://vigie.example.qc.ca', 'with a public URL, its origin');
});
