// A protocol version is in force only once every party's root key signed its
// exact canonical form, from its effective date; a later version supersedes
// it; a retired protocol takes no new submission; the operator cannot sign.
import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { enrolAgency } from '../../../clients/harness/enrol.js';
import type { VigieApiError } from '../../../clients/sdk/http.js';
import { newAgencyKeys } from '../../../clients/sdk/keys.js';
import { getProtocol, protocolVersions, unsignedParties } from '../../../clients/sdk/protocols.js';
import { draftFromTemplate } from '../../../clients/templates.js';
import { fromB64u } from '../../../protocol/encoding.js';
import type { ProtocolDocument, SignedProtocol } from '../../../protocol/protocol-document.js';
import { signDocument } from '../../../protocol/signing.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { logLeaves } from '../../../server/disclosure-log/tables.js';
import { protocols } from '../../../server/protocols/tables.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { fingerprintOf, placeholderRootKeys, rootKeysOf } from '../../helpers/agencies.js';


t.test('signatures, activation, supersession, retirement', async (t) => {
  const hub = await startTestHub(t);
  const crypto = await loadSodium();
  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-a', 'shelter', { fr: 'Maison A', en: 'Shelter A' }, { intake: { fr: 'Accueil', en: 'Intake' } });
  const police = await enrolAgency(hub.url, hub.operatorToken, 'police-a', 'police', { fr: 'Police A', en: 'Police A' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
  const other = await enrolAgency(hub.url, hub.operatorToken, 'shelter-b', 'shelter', { fr: 'Maison B', en: 'Shelter B' }, {});
  const http = shelter.admin.http;
  const leafCount = async (kind: string) => {
    await hub.app.disclosureLog.flush();
    return (await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(logLeaves).where(eq(logLeaves.kind, kind)))[0]!.n;
  };

  const doc = draftFromTemplate('shelter-police', { shelter: 'shelter-a', police: 'police-a' }, { id: 'entente-a', rootKeys: rootKeysOf(shelter, police) });
  const byShelter = shelter.admin.signProtocol(doc);
  const first = await shelter.admin.submitProtocol(byShelter);
  t.match(first, { id: 'entente-a', version: 1, status: 'pending_signatures', signedBy: ['shelter-a'], missing: ['police-a'] });
  t.equal((await shelter.admin.submitProtocol(byShelter)).status, 'pending_signatures', 'resubmitting is idempotent');
  t.equal(await leafCount('protocol.signed'), 1, 'one signature, one leaf');
  t.equal(await leafCount('protocol.activated'), 0);

  // The hub operator, or anyone without the police root key, cannot sign for the police.
  const impostor = newAgencyKeys(crypto, 'police-a');
  const forged: SignedProtocol = { document: doc, signatures: [{ agency: 'police-a', signature: signDocument(crypto, 'protocol', doc, fromB64u(impostor.root.secretKey)).signature }] };
  t.equal(await codeOf(shelter.admin.submitProtocol(forged)), 'PROTOCOL_SIGNATURE_INVALID', 'a key that is not the party’s root key');
  t.equal(await codeOf(other.admin.submitProtocol(other.admin.signProtocol(doc))), 'PROTOCOL_SIGNATURE_INVALID', 'a non-party’s signature');
  const altered = { ...doc, retention: { days: 1 } };
  t.equal(
    await codeOf(shelter.admin.submitProtocol({ document: altered, signatures: police.admin.signProtocol(doc).signatures })),
    'PROTOCOL_SIGNATURE_INVALID',
    'a signature of another text',
  );
  t.equal(await codeOf(shelter.admin.submitProtocol({ document: doc, signatures: [] })), 'PROTOCOL_SIGNATURE_INVALID', 'no signature at all');
  t.equal(await codeOf(shelter.admin.submitProtocol(shelter.admin.signProtocol(altered))), 'PROTOCOL_VERSION_CONFLICT', 'version 1 cannot change');

  const active = await police.admin.submitProtocol(police.admin.signProtocol(doc));
  t.match(active, { status: 'active', signedBy: ['police-a', 'shelter-a'], missing: [] }, 'the last signature activates it');
  t.equal(await leafCount('protocol.signed'), 2);
  t.equal(await leafCount('protocol.activated'), 1);
  const stored = await getProtocol(http, 'entente-a', 1);
  t.same(unsignedParties(crypto, stored, { 'shelter-a': shelter.keys.root.publicKey, 'police-a': police.keys.root.publicKey }), [], 'clients verify every party signature themselves');
  t.same(unsignedParties(crypto, stored, { 'shelter-a': shelter.keys.root.publicKey, 'police-a': impostor.root.publicKey }), ['police-a'], 'against the wrong key, it does not verify');

  // Incoherent or ill-formed documents.
  const incoherent: ProtocolDocument = { ...doc, id: 'entente-z', flows: [{ ...doc.flows[0]!, to: { kind: 'prosecution' } }] };
  const bad = await shelter.admin.submitProtocol(shelter.admin.signProtocol(incoherent)).then(
    () => null,
    (e: unknown) => e as VigieApiError,
  );
  t.equal(bad?.code, 'PROTOCOL_INVALID');
  t.match(String(bad?.details), /\/flows\/0\/to: no party of kind prosecution/, 'the field is named');
  const wrongKind: ProtocolDocument = { ...doc, id: 'entente-y', parties: [doc.parties[0]!, { agency: 'shelter-b', kind: 'police', rootKeyFingerprint: fingerprintOf(other) }] };
  t.equal(await codeOf(shelter.admin.submitProtocol(shelter.admin.signProtocol(wrongKind))), 'PROTOCOL_INVALID', 'a party of another kind than registered');
  const ghost = draftFromTemplate('shelter-police', { shelter: 'shelter-a', police: 'police-fantome' }, { id: 'entente-x', rootKeys: { ...rootKeysOf(shelter), ...placeholderRootKeys(['police-fantome']) } });
  t.equal(await codeOf(shelter.admin.submitProtocol(shelter.admin.signProtocol(ghost))), 'AGENCY_UNKNOWN', 'a party the hub does not know');
  const raw = await fetch(`${hub.url}/v1/protocols`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ document: { ...doc, flows: [] }, signatures: [] }) });
  t.equal(raw.status, 400, 'a schema violation is a 400');

  // Version 2 supersedes version 1 from its effective date; version 3 is scheduled.
  const v2 = { ...doc, version: 2, retention: { days: 3650 } };
  await shelter.admin.submitProtocol(police.admin.signProtocol(shelter.admin.signProtocol(v2)));
  const v3 = { ...doc, version: 3, effectiveFrom: new Date(Date.now() + 7 * 86400_000).toISOString() };
  await shelter.admin.submitProtocol(police.admin.signProtocol(shelter.admin.signProtocol(v3)));
  t.same(
    (await protocolVersions(http, 'entente-a')).map((v) => `${v.version}:${v.status}`),
    ['1:superseded', '2:active', '3:scheduled'],
    'one version in force at a time',
  );
  const late = { ...doc, id: 'entente-w', version: 5 };
  await shelter.admin.submitProtocol(shelter.admin.signProtocol(late));
  t.equal(await codeOf(shelter.admin.submitProtocol(shelter.admin.signProtocol({ ...late, version: 4 }))), 'PROTOCOL_VERSION_CONFLICT', 'versions only go up');

  // Retirement: by a party's root key only.
  t.equal(await codeOf(other.admin.retireProtocol('entente-a')), 'PROTOCOL_PARTY_REQUIRED', 'a non-party cannot retire it');
  const afterRetirement = await police.admin.retireProtocol('entente-a');
  t.ok(afterRetirement.every((v) => v.status === 'retired'), 'every version is retired');
  t.same(
    (await hub.app.db.select({ retiredAt: protocols.retiredAt }).from(protocols).where(eq(protocols.id, 'entente-a'))).map((r) => r.retiredAt !== null),
    [true, true, true],
    'on every version’s row, where an accepting message’s share lock reads it (tests/integration/protocols/retirement-race.test.ts)',
  );
  t.equal(await leafCount('protocol.retired'), 1);
  t.same((await police.admin.retireProtocol('entente-a')).map((v) => v.status), ['retired', 'retired', 'retired'], 'retiring twice changes nothing');
  t.equal(await leafCount('protocol.retired'), 1);
  t.equal(await codeOf(shelter.admin.submitProtocol(shelter.admin.signProtocol({ ...doc, version: 9 }))), 'PROTOCOL_RETIRED', 'a retired protocol takes no new version');
  t.equal(await codeOf(protocolVersions(http, 'inconnu')), 'PROTOCOL_UNKNOWN');
});
