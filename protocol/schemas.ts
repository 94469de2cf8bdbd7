/**
 * The wire: TypeBox schemas shared by the hub's routes, the SDK, the CLI and
 * the tests. One source of truth; `docs/wire-format.md` explains each field.
 *
 * @example
 * import { Value } from '@sinclair/typebox/value';
 * Value.Check(EnvelopeSchema, body); // true for a well-formed envelope
 */
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';
import { AGENCY_ID_PATTERN, BASE64URL_PATTERN, INBOX_ID_PATTERN, UUID_PATTERN } from './ids.js';

export const AgencyIdSchema = Type.String({ pattern: AGENCY_ID_PATTERN, maxLength: 40 });
export const InboxIdSchema = Type.String({ pattern: INBOX_ID_PATTERN, maxLength: 81 });
export const UuidSchema = Type.String({ pattern: UUID_PATTERN, maxLength: 36 });
/** base64url of exactly `bytes` bytes. */
export const B64uBytes = (bytes: number) =>
  Type.String({ pattern: BASE64URL_PATTERN, minLength: Math.ceil((bytes * 4) / 3), maxLength: Math.ceil((bytes * 4) / 3) });
export const B64uSchema = (maxBytes: number) => Type.String({ pattern: BASE64URL_PATTERN, maxLength: Math.ceil((maxBytes * 4) / 3) });
const TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';
/** The schema format of a timestamp that is also a real instant (registered with TypeBox here, with the hub's Ajv in server/app.ts). */
export const TIMESTAMP_FORMAT = 'vigie-timestamp';
/**
 * True for an RFC 3339 UTC timestamp with milliseconds that names a real
 * instant: the pattern, a year from 0001 to 9999 (PostgreSQL has no year 0),
 * and a calendar date and time that `Date.prototype.toISOString()` writes
 * back unchanged — so not `2026-99-99T99:99:99.999Z`, `2026-02-30T…`,
 * `…T24:00:00.000Z` or a leap second.
 *
 * @example
 * isTimestamp('2026-02-28T23:59:59.999Z') // true
 * isTimestamp('2026-02-30T00:00:00.000Z') // false
 */
const TIMESTAMP_SHAPE = new RegExp(TIMESTAMP_PATTERN);

export function isTimestamp(value: string): boolean {
  if (typeof value !== 'string' || value.length !== 24 || !TIMESTAMP_SHAPE.test(value) || value.startsWith('0000')) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}
FormatRegistry.Set(TIMESTAMP_FORMAT, isTimestamp);
export const TimestampSchema = Type.String({
  pattern: TIMESTAMP_PATTERN,
  format: TIMESTAMP_FORMAT,
  maxLength: 24,
  description: 'RFC 3339 UTC timestamp with milliseconds, a real calendar date and time',
});

/** The largest version number of a protocol, an instrument or an inbox key: every integer on the wire has a maximum its column can hold. */
export const MAX_VERSION = 1_000_000;

export const Ed25519PublicKeySchema = B64uBytes(32);
export const X25519PublicKeySchema = B64uBytes(32);
export const SignatureSchema = B64uBytes(64);
export const Sha256Schema = B64uBytes(32);

export const AGENCY_KINDS = ['shelter', 'police', 'prosecution', 'corrections', 'parole_board', 'partner_program'] as const;
/** Agency kinds are extensible: the six partners' kinds, or any other lowercase word. */
export const AGENCY_KIND_PATTERN = '^[a-z][a-z_]{1,39}$';
export const AgencyKindSchema = Type.String({ pattern: AGENCY_KIND_PATTERN });
/** Data categories a message declares: `identity`, `location`, `threat`… */
export const DATA_CATEGORY_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
export const ROLES = ['sender', 'receiver', 'admin', 'auditor'] as const;
export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
export type Role = (typeof ROLES)[number];

export const MESSAGE_TYPES = [
  'danger_alert',
  'cir_activation',
  'risk_assessment',
  'bail_safety_input',
  'release_conditions',
  'condition_breach',
  'custody_event',
  'victim_representation',
  'program_status',
  'note',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const MessageTypeSchema = Type.Union(MESSAGE_TYPES.map((t) => Type.Literal(t)));

export const URGENCIES = ['immediate', 'urgent', 'routine'] as const;
export const UrgencySchema = Type.Union(URGENCIES.map((u) => Type.Literal(u)));

export const LEGAL_BASES = ['consent', 'apprehended_danger', 'legal_obligation'] as const;
export type LegalBasisCode = (typeof LEGAL_BASES)[number];
/** A pseudonymous case reference chosen by the agency serving the victim: never a name. */
export const CASE_REFERENCE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
/** An agency's internal directive, the reference of an apprehended-danger disclosure: a code, never free text. */
export const DIRECTIVE_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$';
/** Purposes, reason codes: lowercase words (protocol/vocabulary.ts lists the known ones). */
export const CODE_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
export const ProtocolIdSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' });

/** The four conditions of the apprehended-danger exception, each attested by the sender. */
export const DangerAttestationSchema = Type.Object(
  {
    reasonableCause: Type.Boolean(),
    seriousRisk: Type.Boolean(),
    identifiablePerson: Type.Boolean(),
    urgency: Type.Boolean(),
  },
  { additionalProperties: false },
);

/**
 * The legal basis of a disclosure, signed in the header:
 * - `consent`: `case` (pseudonymous case reference), `purpose`, optionally the `consent` id;
 * - `apprehended_danger`: `attestation` of the four conditions, a `reason` code and,
 *   in `reference`, the agency's internal directive;
 * - `legal_obligation`: in `reference`, the statute article or court order.
 */
export const LegalBasisSchema = Type.Object(
  {
    code: Type.Union(LEGAL_BASES.map((b) => Type.Literal(b))),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    case: Type.Optional(Type.String({ pattern: CASE_REFERENCE_PATTERN })),
    purpose: Type.Optional(Type.String({ pattern: CODE_PATTERN })),
    consent: Type.Optional(Type.String({ pattern: UUID_PATTERN, maxLength: 36 })),
    attestation: Type.Optional(DangerAttestationSchema),
    reason: Type.Optional(Type.String({ pattern: CODE_PATTERN })),
  },
  { additionalProperties: false },
);
export type LegalBasis = Static<typeof LegalBasisSchema>;

/** An instrument's id, and the ids of its items, answers and levels (protocol/instrument.ts). */
export const INSTRUMENT_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';

/** What the signed header says of an attached risk assessment (protocol/instrument.ts): instrument, version, final level. */
export const AssessmentRefSchema = Type.Object(
  {
    instrument: Type.String({ pattern: INSTRUMENT_ID_PATTERN }),
    version: Type.Integer({ minimum: 1, maximum: MAX_VERSION }),
    level: Type.String({ pattern: INSTRUMENT_ID_PATTERN }),
  },
  { additionalProperties: false },
);
export type AssessmentRef = Static<typeof AssessmentRefSchema>;

export const NamesSchema = Type.Object(
  { fr: Type.String({ minLength: 1, maxLength: 120 }), en: Type.String({ minLength: 1, maxLength: 120 }) },
  { additionalProperties: false },
);

/** Maximum recipients of one message (inboxes, the sender's own excluded). */
export const MAX_RECIPIENTS = 32;
/** Maximum ciphertext size in bytes (padded plaintext + 16-byte tag). */
export const MAX_CIPHERTEXT_BYTES = 256 * 1024;

export const KeyWrapSchema = Type.Object(
  {
    inbox: InboxIdSchema,
    /**
     * The version of the inbox's key the wrap is sealed to (its certificate's
     * `keyVersion`): the hub stores no message whose wrap names a key that is
     * no longer its inbox's current one (INBOX_KEY_ROTATED). The reference
     * SDK names it in every wrap; envelopes of clients older than it name it
     * in none (they read each certificate just before they seal).
     */
    keyVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VERSION })),
    key: B64uBytes(80) /* crypto_box_seal of a 32-byte key */,
  },
  { additionalProperties: false },
);

export const EnvelopeHeaderSchema = Type.Object(
  {
    v: Type.Literal(1),
    id: UuidSchema,
    type: MessageTypeSchema,
    createdAt: TimestampSchema,
    sender: Type.Object(
      { agency: AgencyIdSchema, member: UuidSchema, inbox: InboxIdSchema },
      { additionalProperties: false },
    ),
    recipients: Type.Array(InboxIdSchema, { minItems: 1, maxItems: MAX_RECIPIENTS, uniqueItems: true }),
    urgency: UrgencySchema,
    /** The protocol version the sender invokes; the hub refuses a message without one. */
    protocol: Type.Optional(Type.Object({ id: ProtocolIdSchema, version: Type.Integer({ minimum: 1, maximum: MAX_VERSION }) }, { additionalProperties: false })),
    /** The legal basis of the disclosure; the hub refuses a message without one. */
    legalBasis: Type.Optional(LegalBasisSchema),
    dataCategories: Type.Array(Type.String({ pattern: DATA_CATEGORY_PATTERN }), { maxItems: 32, uniqueItems: true }),
    /** A risk assessment travels in the ciphertext; its instrument and level travel here, signed. */
    assessment: Type.Optional(AssessmentRefSchema),
    replyTo: Type.Optional(UuidSchema),
    content: Type.Object(
      {
        alg: Type.Literal('xchacha20poly1305-ietf'),
        nonce: B64uBytes(24),
        hash: Sha256Schema,
      },
      { additionalProperties: false },
    ),
    wraps: Type.Array(KeyWrapSchema, { minItems: 2, maxItems: MAX_RECIPIENTS + 1 }),
  },
  { additionalProperties: false },
);
export type EnvelopeHeader = Static<typeof EnvelopeHeaderSchema>;

export const EnvelopeSchema = Type.Object(
  {
    header: EnvelopeHeaderSchema,
    signature: SignatureSchema,
    ciphertext: B64uSchema(MAX_CIPHERTEXT_BYTES),
  },
  { additionalProperties: false },
);
export type Envelope = Static<typeof EnvelopeSchema>;

export const InboxCertificateSchema = Type.Object(
  {
    type: Type.Literal('inbox'),
    v: Type.Literal(1),
    agency: AgencyIdSchema,
    inbox: InboxIdSchema,
    names: NamesSchema,
    encryptionKey: X25519PublicKeySchema,
    keyVersion: Type.Integer({ minimum: 1, maximum: MAX_VERSION }),
    issuedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type InboxCertificate = Static<typeof InboxCertificateSchema>;

export const MemberCertificateSchema = Type.Object(
  {
    type: Type.Literal('member'),
    v: Type.Literal(1),
    agency: AgencyIdSchema,
    member: UuidSchema,
    label: Type.String({ minLength: 1, maxLength: 80, description: 'a desk or device label, not a personal name' }),
    signingKey: Ed25519PublicKeySchema,
    encryptionKey: X25519PublicKeySchema,
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
    inboxes: Type.Array(InboxIdSchema, { maxItems: 64, uniqueItems: true }),
    issuedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type MemberCertificate = Static<typeof MemberCertificateSchema>;

export const AgencyRegistrationSchema = Type.Object(
  {
    type: Type.Literal('agency'),
    v: Type.Literal(1),
    agency: AgencyIdSchema,
    kind: AgencyKindSchema,
    names: NamesSchema,
    rootKey: Ed25519PublicKeySchema,
    issuedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type AgencyRegistration = Static<typeof AgencyRegistrationSchema>;

export const MemberRevocationSchema = Type.Object(
  {
    type: Type.Literal('member-revocation'),
    v: Type.Literal(1),
    agency: AgencyIdSchema,
    member: UuidSchema,
    revokedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type MemberRevocation = Static<typeof MemberRevocationSchema>;

/**
 * An administrator invites a person to enrol a device: signed by the agency
 * root key, it names the label, roles and inboxes the device will have and
 * the SHA-256 of a one-time code handed to the person (in a link or aloud).
 * The person's device submits its public keys with the code; the
 * administrator compares the device's fingerprint and approves it by
 * certifying it (POST /v1/agencies/:agency/members).
 */
export const InvitationSchema = Type.Object(
  {
    type: Type.Literal('invitation'),
    v: Type.Literal(1),
    agency: AgencyIdSchema,
    invitation: UuidSchema,
    label: Type.String({ minLength: 1, maxLength: 80, description: 'a desk or device label, not a personal name' }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
    inboxes: Type.Array(InboxIdSchema, { maxItems: 64, uniqueItems: true }),
    codeHash: Sha256Schema,
    expiresAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type Invitation = Static<typeof InvitationSchema>;

/**
 * An agency's root key asks the hub for one of the agency's own lists (its
 * member devices, its invitations): signed for that method and path,
 * at that moment, so it opens nothing else and is good for a few minutes only.
 */
export const AgencyRequestSchema = Type.Object(
  {
    type: Type.Literal('agency-request'),
    v: Type.Literal(1),
    agency: AgencyIdSchema,
    method: Type.Literal('GET'),
    path: Type.String({ minLength: 1, maxLength: 200, pattern: '^/v1/' }),
    at: TimestampSchema,
  },
  { additionalProperties: false },
);
export type AgencyRequest = Static<typeof AgencyRequestSchema>;

export const RECEIPT_KINDS = ['delivered', 'acknowledged'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export const ReceiptSchema = Type.Object(
  {
    type: Type.Literal('receipt'),
    v: Type.Literal(1),
    kind: Type.Union(RECEIPT_KINDS.map((k) => Type.Literal(k))),
    message: UuidSchema,
    /** SHA-256 of the signed header's canonical bytes: the receipt is for this exact header. */
    headerHash: Sha256Schema,
    inbox: InboxIdSchema,
    member: UuidSchema,
    at: TimestampSchema,
  },
  { additionalProperties: false },
);
export type Receipt = Static<typeof ReceiptSchema>;

/** A document and the Ed25519 signature of its signer over the document's signing input. */
export const Signed = <T extends ReturnType<typeof Type.Object>>(doc: T) =>
  Type.Object({ document: doc, signature: SignatureSchema }, { additionalProperties: false });

export const SignedInboxCertificateSchema = Signed(InboxCertificateSchema);
export const SignedMemberCertificateSchema = Signed(MemberCertificateSchema);
export const SignedAgencyRegistrationSchema = Signed(AgencyRegistrationSchema);
export const SignedMemberRevocationSchema = Signed(MemberRevocationSchema);
export const SignedReceiptSchema = Signed(ReceiptSchema);
export const SignedInvitationSchema = Signed(InvitationSchema);
export const SignedAgencyRequestSchema = Signed(AgencyRequestSchema);
export type SignedDocument<T> = { document: T; signature: string };
