// What the hub writes in a leaf's record is what every client parses back
// (protocol/api/leaf-record.ts): one record of each kind, built by the hub's
// own builders, passes parseLeafRecord; a record its kind does not allow fails.
import t from 'tap';
import { LEAF_TYPES } from '../../../protocol/api/log.js';
import { parseLeafRecord } from '../../../protocol/api/leaf-record.js';
import type { EnvelopeHeader } from '../../../protocol/schemas.js';
import * as leaves from '../../../server/disclosure-log/leaves.js';

const AT = new Date('2026-03-01T02:00:00.000Z');
const MESSAGE = '0190a8f2-7c1e-7a3b-9d4e-5f6a7b8c9d0e';
const MEMBER = '0190a8f2-7c1e-4a3b-9d4e-5f6a7b8c9d0e';
const header: EnvelopeHeader = {
  v: 1,
  id: MESSAGE,
  type: 'danger_alert',
  createdAt: '2026-03-01T01:59:59.000Z',
  sender: { agency: 'shelter-laval', member: MEMBER, inbox: 'shelter-laval/intake' },
  recipients: ['police-laval/dispatch'],
  urgency: 'immediate',
  protocol: { id: 'shelter-police', version: 1 },
  legalBasis: { code: 'apprehended_danger', reference: 'DIR-7', reason: 'death_threat', attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true } },
  dataCategories: ['threat'],
  content: { alg: 'xchacha20poly1305-ietf', nonce: 'n', hash: 'h' },
  wraps: [],
};
const sender = { agency: 'shelter-laval', inbox: 'shelter-laval/intake' };

const built = [
  leaves.messageAcceptedLeaf(header, 'hh', new Map([['police-laval/dispatch', 'police-laval']]), AT, null),
  leaves.messageRefusedLeaf(
    { message: null, messageType: null, sender: { ...sender, member: MEMBER, inbox: null }, declaredRecipients: [], protocol: null, legalBasis: null, dataCategories: [], reason: 'PROTOCOL_UNKNOWN', detail: null },
    AT,
  ),
  leaves.receiptLeaf('delivered', { message: MESSAGE, inbox: 'police-laval/dispatch', agency: 'police-laval', member: MEMBER, receiptAt: AT, signedAt: AT.toISOString() }, AT),
  leaves.receiptLeaf('acknowledged', { message: MESSAGE, inbox: 'police-laval/dispatch', agency: 'police-laval', member: MEMBER, receiptAt: AT, signedAt: AT.toISOString() }, AT),
  leaves.messageEscalatedLeaf(
    { message: MESSAGE, messageType: 'danger_alert', sender, recipient: 'police-laval/dispatch', step: 1, kind: 'escalated', notified: ['police-laval/supervision'], protocol: { id: 'shelter-police', version: 1 }, events: 3 },
    AT,
  ),
  leaves.messageErasedLeaf(
    { message: MESSAGE, messageType: 'danger_alert', sender, recipients: [{ inbox: 'police-laval/dispatch', agency: 'police-laval' }], protocol: null, retainUntil: AT.toISOString(), erased: ['ciphertext'] },
    AT,
  ),
  leaves.consentRecordedLeaf(
    { consent: MESSAGE, agency: 'shelter-laval', recipients: ['police-laval'], purposes: ['safety_planning'], dataCategories: ['threat'], validFrom: AT.toISOString(), validUntil: null, evidenceHash: 'e', member: MEMBER },
    AT,
  ),
  leaves.consentRevokedLeaf({ consent: MESSAGE, agency: 'shelter-laval', member: MEMBER, revokedAt: AT.toISOString() }, AT),
  leaves.protocolSubmittedLeaf({ protocol: 'shelter-police', version: 1, documentHash: 'd', parties: ['a', 'b'], requiredSigners: ['a', 'b'], replaces: null }, AT),
  leaves.protocolSignedLeaf({ protocol: 'shelter-police', version: 1, agency: 'a', documentHash: 'd' }, AT),
  leaves.protocolActivatedLeaf({ protocol: 'shelter-police', version: 1, documentHash: 'd', parties: ['a', 'b'], effectiveFrom: AT.toISOString() }, AT),
  leaves.protocolSupersededLeaf({ protocol: 'shelter-police', version: 1, by: 2, effectiveFrom: AT.toISOString() }, AT),
  leaves.protocolRetiredLeaf({ protocol: 'shelter-police', agency: 'a', retiredAt: AT.toISOString(), retirementHash: 'r' }, AT),
  leaves.protocolRefusedLeaf({ protocol: 'shelter-police', version: null, action: 'retirement', agencies: ['a'], documentHash: 'd', reason: 'NOT_A_PARTY', detail: null }, AT),
  leaves.agencyRegisteredLeaf({ agency: 'a', kind: 'shelter', rootKey: 'k', registrationHash: 'h' }, AT),
  leaves.inboxRegisteredLeaf({ agency: 'a', inbox: 'a/intake', encryptionKey: 'k', keyVersion: 1, certificateHash: 'h' }, AT),
  leaves.memberRegisteredLeaf({ agency: 'a', member: MEMBER, signingKey: 's', encryptionKey: 'k', roles: ['sender'], inboxes: ['a/intake'], certificateHash: 'h' }, AT),
  leaves.memberRevokedLeaf({ agency: 'a', member: MEMBER, revocationHash: 'h' }, AT),
  leaves.keyRotatedLeaf(
    { agency: 'a', inbox: 'a/intake', encryptionKey: 'k2', keyVersion: 2, previousKeyVersion: 1, certificateHash: 'h', reason: 'member_revoked', member: MEMBER, sealedTo: [] },
    AT,
  ),
  leaves.registerReadLeaf({ auditor: MEMBER, agency: 'a', filters: { agency: null, from: '2026-01-01' }, rows: 3, format: 'json' }, AT),
];

t.test('every kind the hub writes is parsed back by the clients', async (t) => {
  t.same([...new Set(built.map((l) => l.type))].sort(), [...LEAF_TYPES].sort(), 'one record of each kind');
  for (const leaf of built) {
    const record = parseLeafRecord(leaf.record);
    t.ok(record, `${leaf.type} parses`);
    t.equal(record?.type, leaf.type);
    t.equal(record?.at, AT.toISOString(), 'the hub’s time');
  }
});

t.test('a record its kind does not allow is no record', async (t) => {
  const revoked = JSON.parse(built.find((l) => l.type === 'key.member_revoked')!.record) as Record<string, unknown>;
  t.equal(parseLeafRecord(JSON.stringify({ ...revoked, member: 42 })), null, 'a field of the wrong type');
  const { revocationHash: _dropped, ...missing } = revoked;
  t.equal(parseLeafRecord(JSON.stringify(missing)), null, 'a field missing');
  t.equal(parseLeafRecord(JSON.stringify({ ...revoked, v: 2 })), null, 'another version');
  t.equal(parseLeafRecord('[1,2]'), null, 'not an object');
  t.equal(parseLeafRecord('{"v":1'), null, 'not JSON');
  t.ok(parseLeafRecord(JSON.stringify({ v: 1, type: 'key.something_new', at: AT.toISOString(), x: 1 })), 'a kind a newer hub added is read by its common fields');
});
