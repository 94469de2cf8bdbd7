/**
 * The records behind the disclosure log's leaves (docs/audit-log.md), one
 * schema per kind: what the hub writes (server/audit/leaves.ts builds each
 * record from these types) and what members read back (GET /v1/log/lookup,
 * /v1/log/records, a message receipt). Every record is canonical JSON with
 * its version, its kind and the hub's time, then the fields of its kind; no
 * content and no personal data. Parsed one way by the SDK, the CLI and the
 * console: `parseLeafRecord`.
 *
 * @example
 * const record = parseLeafRecord(answer.record);
 * if (record?.type === 'key.member_revoked') revoked.add(String(record.member));
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { LEAF_TYPES, type LeafType } from './log.js';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const ProtocolRef = Type.Object({ id: Type.String(), version: Type.Integer() });
const Recipient = Type.Object({ inbox: Type.String(), agency: NullableStr });

/** The legal basis as the register shows it: a directive code or the hash of a legal reference, never the case reference. */
export const LegalBasisRecordSchema = Type.Object({
  code: Str,
  reference: Type.Optional(Str),
  referenceHash: Type.Optional(Str),
  purpose: Type.Optional(Str),
  consent: Type.Optional(Str),
  reason: Type.Optional(Str),
  attestation: Type.Optional(Type.Object({ reasonableCause: Type.Boolean(), seriousRisk: Type.Boolean(), identifiablePerson: Type.Boolean(), urgency: Type.Boolean() })),
});
export type LegalBasisRecord = Static<typeof LegalBasisRecordSchema>;
const NullableBasis = Type.Union([LegalBasisRecordSchema, Type.Null()]);

export const MessageAcceptedRecordSchema = Type.Object({
  message: Str,
  messageType: Str,
  urgency: Str,
  sender: Type.Object({ agency: Str, member: Str, inbox: Str }),
  recipients: Type.Array(Recipient),
  protocol: Type.Union([ProtocolRef, Type.Null()]),
  legalBasis: NullableBasis,
  dataCategories: Type.Array(Str),
  contentHash: Str,
  headerHash: Str,
  createdAt: Str,
});
export const MessageRefusedRecordSchema = Type.Object({
  message: NullableStr,
  messageType: NullableStr,
  sender: Type.Object({ agency: Str, member: Str, inbox: NullableStr }),
  /** The recipient inboxes as the sender declared them: a claim, not parties to a disclosure. */
  declaredRecipients: Type.Array(Str),
  protocol: Type.Union([ProtocolRef, Type.Null()]),
  legalBasis: NullableBasis,
  dataCategories: Type.Array(Str),
  reason: Str,
  detail: NullableStr,
});
export const MessageErasedRecordSchema = Type.Object({
  message: Str,
  messageType: Str,
  sender: Type.Object({ agency: Str, inbox: Str }),
  recipients: Type.Array(Type.Object({ inbox: Str, agency: Str })),
  protocol: Type.Union([ProtocolRef, Type.Null()]),
  retainUntil: Str,
  erased: Type.Array(Str),
});
/** A signed receipt, on the record at the hub's time (`receiptAt`); the device's own claim is `signedAt`. */
export const ReceiptRecordSchema = Type.Object({ message: Str, inbox: Str, agency: Str, member: Str, receiptAt: Str, signedAt: Str });
export const MessageEscalatedRecordSchema = Type.Object({
  message: Str,
  messageType: Str,
  sender: Type.Object({ agency: Str, inbox: Str }),
  recipient: Str,
  step: Type.Integer(),
  kind: Type.Union([Type.Literal('unacknowledged'), Type.Literal('escalated'), Type.Literal('exhausted')]),
  notified: Type.Array(Str),
  protocol: ProtocolRef,
  events: Type.Integer(),
  recipients: Type.Array(Type.Object({ inbox: Str, agency: Str })),
});

export const ConsentRecordedRecordSchema = Type.Object({
  consent: Str,
  agency: Str,
  recipients: Type.Array(Str),
  purposes: Type.Array(Str),
  dataCategories: Type.Array(Str),
  validFrom: Str,
  validUntil: NullableStr,
  evidenceHash: Str,
  member: Str,
});
export const ConsentRevokedRecordSchema = Type.Object({ consent: Str, agency: Str, member: Str, revokedAt: Str });

export const ProtocolSubmittedRecordSchema = Type.Object({
  protocol: Str,
  version: Type.Integer(),
  documentHash: Str,
  parties: Type.Array(Str),
  requiredSigners: Type.Array(Str),
  replaces: NullableStr,
});
export const ProtocolSignedRecordSchema = Type.Object({ protocol: Str, version: Type.Integer(), agency: Str, documentHash: Str });
export const ProtocolActivatedRecordSchema = Type.Object({ protocol: Str, version: Type.Integer(), documentHash: Str, parties: Type.Array(Str), effectiveFrom: Str });
/** A version in force gives way to a later one, from the later one's effective date. */
export const ProtocolSupersededRecordSchema = Type.Object({ protocol: Str, version: Type.Integer(), by: Type.Integer(), effectiveFrom: Str });
export const ProtocolRetiredRecordSchema = Type.Object({ protocol: Str, agency: Str, retiredAt: Str, retirementHash: Str });
/** A governance request an agency's root key signed, refused, with the reason. */
export const ProtocolRefusedRecordSchema = Type.Object({
  protocol: Str,
  version: Type.Union([Type.Integer(), Type.Null()]),
  action: Type.Union([Type.Literal('submission'), Type.Literal('retirement')]),
  agencies: Type.Array(Str),
  documentHash: Str,
  reason: Str,
  detail: NullableStr,
});

export const AgencyRegisteredRecordSchema = Type.Object({ agency: Str, kind: Str, rootKey: Str, registrationHash: Str });
export const InboxRegisteredRecordSchema = Type.Object({ agency: Str, inbox: Str, encryptionKey: Str, keyVersion: Type.Integer(), certificateHash: Str });
export const MemberRegisteredRecordSchema = Type.Object({
  agency: Str,
  member: Str,
  signingKey: Str,
  encryptionKey: Str,
  roles: Type.Array(Str),
  inboxes: Type.Array(Str),
  certificateHash: Str,
});
export const MemberRevokedRecordSchema = Type.Object({ agency: Str, member: Str, revocationHash: Str });
/** An inbox key rotated, and why; `sealedTo` names the devices the new key was sealed to (a monitor checks none was revoked). */
export const KeyRotatedRecordSchema = Type.Object({
  agency: Str,
  inbox: Str,
  encryptionKey: Str,
  keyVersion: Type.Integer(),
  previousKeyVersion: Type.Integer(),
  certificateHash: Str,
  reason: Type.Union([Type.Literal('member_revoked'), Type.Literal('scheduled')]),
  member: NullableStr,
  sealedTo: Type.Array(Str),
});

/** Each read of the register is itself on the record. */
export const RegisterReadRecordSchema = Type.Object({
  auditor: Str,
  agency: Str,
  filters: Type.Record(Type.String(), NullableStr),
  rows: Type.Integer(),
  format: Str,
});

/** The fields of each kind's record, beside `v`, `type` and `at`. */
export const LEAF_RECORD_SCHEMAS = {
  'message.accepted': MessageAcceptedRecordSchema,
  'message.refused': MessageRefusedRecordSchema,
  'message.delivered': ReceiptRecordSchema,
  'message.acknowledged': ReceiptRecordSchema,
  'message.escalated': MessageEscalatedRecordSchema,
  'message.erased': MessageErasedRecordSchema,
  'consent.recorded': ConsentRecordedRecordSchema,
  'consent.revoked': ConsentRevokedRecordSchema,
  'protocol.submitted': ProtocolSubmittedRecordSchema,
  'protocol.signed': ProtocolSignedRecordSchema,
  'protocol.activated': ProtocolActivatedRecordSchema,
  'protocol.superseded': ProtocolSupersededRecordSchema,
  'protocol.retired': ProtocolRetiredRecordSchema,
  'protocol.refused': ProtocolRefusedRecordSchema,
  'key.agency_registered': AgencyRegisteredRecordSchema,
  'key.inbox_registered': InboxRegisteredRecordSchema,
  'key.member_registered': MemberRegisteredRecordSchema,
  'key.member_revoked': MemberRevokedRecordSchema,
  'key.rotated': KeyRotatedRecordSchema,
  'register.read': RegisterReadRecordSchema,
} as const satisfies Record<LeafType, TObject>;

/** The fields a record of kind K carries, beside `v`, `type` and `at` (what server/audit/leaves.ts is given). */
export type LeafRecordFields<K extends LeafType> = Static<(typeof LEAF_RECORD_SCHEMAS)[K]>;

/** What every record has; the rest depends on `type` (a newer hub may add kinds, read with these three fields only). */
export const LeafRecordSchema = Type.Object({ v: Type.Literal(1), type: Type.String({ minLength: 1 }), at: Type.String() });
export type LeafRecord = Static<typeof LeafRecordSchema> & Record<string, unknown>;

const isLeafType = (type: string): type is LeafType => (LEAF_TYPES as readonly string[]).includes(type);

/**
 * The record, or null when it is not JSON, not a record, or not what its kind
 * carries.
 *
 * @example
 * parseLeafRecord('{"agency":"a","at":"2026-01-01T00:00:00.000Z","member":"m","revocationHash":"h","type":"key.member_revoked","v":1}')?.member // 'm'
 * parseLeafRecord('[1,2]') // null
 */
export function parseLeafRecord(text: string): LeafRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Value.Check(LeafRecordSchema, parsed)) return null;
  return !isLeafType(parsed.type) || Value.Check(LEAF_RECORD_SCHEMAS[parsed.type], parsed) ? parsed : null;
}
