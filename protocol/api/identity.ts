/**
 * The identity routes' requests and answers: admissions, agencies, inboxes,
 * member devices, inbox keys, rotations, revocations and invitations.
 * Certificates travel as their signers signed them; the reader checks them.
 *
 * @example
 * import { TypeCompiler } from '@sinclair/typebox/compiler';
 * TypeCompiler.Compile(AgencyViewSchema).Check(answer);
 */
import { Type, type Static } from '@sinclair/typebox';
import { CheckpointNoteSchema } from './log.js';
import {
  AgencyIdSchema,
  AgencyKindSchema,
  B64uSchema,
  Ed25519PublicKeySchema,
  InboxIdSchema,
  NamesSchema,
  RoleSchema,
  SignedAgencyRegistrationSchema,
  SignedInboxCertificateSchema,
  SignedInvitationSchema,
  SignedMemberCertificateSchema,
  SignedMemberRevocationSchema,
  UuidSchema,
  X25519PublicKeySchema,
} from '../schemas.js';

export const AgencyParamsSchema = Type.Object({ agency: AgencyIdSchema });
export type AgencyParams = Static<typeof AgencyParamsSchema>;
export const InboxParamsSchema = Type.Object({ agency: AgencyIdSchema, desk: AgencyIdSchema });
export const MemberParamsSchema = Type.Object({ member: UuidSchema });
export const InvitationParamsSchema = Type.Object({ invitation: UuidSchema });

/** The hub operator admits an agency once: it gets a one-time registration code. */
export const AdmissionRequestSchema = Type.Object(
  {
    agency: AgencyIdSchema,
    kind: AgencyKindSchema,
    names: NamesSchema,
    validHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })),
  },
  { additionalProperties: false },
);
export type AdmissionRequest = Static<typeof AdmissionRequestSchema>;
export const AdmissionSchema = Type.Object({ agency: Type.String(), code: Type.String(), expiresAt: Type.String() });
export type Admission = Static<typeof AdmissionSchema>;

export const AgencyRegistrationRequestSchema = Type.Object(
  { admissionCode: Type.String({ minLength: 16, maxLength: 64 }), registration: SignedAgencyRegistrationSchema },
  { additionalProperties: false },
);
export const AgencyRegisteredSchema = Type.Object({ agency: Type.String() });

/** An agency in the public directory: its root key and the registration it signed. */
export const AgencyViewSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  names: NamesSchema,
  rootKey: Type.String(),
  registration: Type.Unknown(),
});
export type AgencyView = Static<typeof AgencyViewSchema>;
export const AgencyListSchema = Type.Array(AgencyViewSchema);

export const InboxRegisteredSchema = Type.Object({ inbox: Type.String() });
export const InboxViewSchema = Type.Object({
  inbox: Type.String(),
  agency: Type.String(),
  certificate: SignedInboxCertificateSchema,
  /** The log's newest checkpoint, as GET /v1/log/checkpoint serves it now: a sender checks the certificate against it without asking for it. */
  checkpoint: Type.Optional(CheckpointNoteSchema),
});
export type InboxView = Static<typeof InboxViewSchema>;
/** An agency's desks, with their names and current key version (public, like each certificate). */
export const AgencyInboxSchema = Type.Object({ inbox: Type.String(), names: NamesSchema, keyVersion: Type.Integer() });
export type AgencyInbox = Static<typeof AgencyInboxSchema>;
export const AgencyInboxListSchema = Type.Array(AgencyInboxSchema);

export const MemberEnrolmentSchema = Type.Object(
  {
    certificate: SignedMemberCertificateSchema,
    inboxKeys: Type.Array(Type.Object({ inbox: InboxIdSchema, wrappedKey: B64uSchema(128) }, { additionalProperties: false }), { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type MemberEnrolment = Static<typeof MemberEnrolmentSchema>;
export const MemberEnrolledSchema = Type.Object({ member: Type.String() });

export const MemberViewSchema = Type.Object({
  member: Type.String(),
  agency: Type.String(),
  certificate: SignedMemberCertificateSchema,
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type MemberView = Static<typeof MemberViewSchema>;

/** Every inbox key version sealed to the authenticated device, the newest first per inbox. */
export const MyInboxKeysSchema = Type.Array(
  Type.Object({ inbox: Type.String(), keyVersion: Type.Integer(), wrappedKey: Type.String(), certificate: SignedInboxCertificateSchema }),
);
export type MyInboxKeys = Static<typeof MyInboxKeysSchema>;

/** The active devices of an inbox: those its administrator seals a new key to. */
export const InboxMembersSchema = Type.Array(Type.Object({ member: Type.String(), certificate: SignedMemberCertificateSchema }));

/** A new inbox key: its certificate (next version) and the key sealed to each remaining member device. */
export const InboxRotationSchema = Type.Object(
  {
    certificate: SignedInboxCertificateSchema,
    wraps: Type.Array(Type.Object({ member: UuidSchema, wrappedKey: B64uSchema(128) }, { additionalProperties: false }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type InboxRotation = Static<typeof InboxRotationSchema>;
export const InboxRotatedSchema = Type.Object({ inbox: Type.String(), keyVersion: Type.Integer() });

/** A revocation the agency root key signed, with the rotation of every inbox key the device could read. */
export const RevocationRequestSchema = Type.Object(
  { ...SignedMemberRevocationSchema.properties, rotations: Type.Optional(Type.Array(InboxRotationSchema, { maxItems: 64 })) },
  { additionalProperties: false },
);
export type RevocationRequest = Static<typeof RevocationRequestSchema>;
export const RevokedSchema = Type.Object({ member: Type.String(), rotated: Type.Array(Type.String()) });

/** The agency's member devices, active and revoked (root key or admin role). */
export const AgencyMembersSchema = Type.Array(
  Type.Object({ member: Type.String(), certificate: SignedMemberCertificateSchema, enrolledAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]) }),
);
export type AgencyMembers = Static<typeof AgencyMembersSchema>;

/** The device's public half, as the person's browser or the CLI submits it with the code. */
export const InvitedDeviceSchema = Type.Object(
  { member: UuidSchema, signingKey: Ed25519PublicKeySchema, encryptionKey: X25519PublicKeySchema },
  { additionalProperties: false },
);
export type InvitedDevice = Static<typeof InvitedDeviceSchema>;
export const DeviceSubmissionSchema = Type.Object(
  { code: Type.String({ minLength: 16, maxLength: 128 }), agency: AgencyIdSchema, device: InvitedDeviceSchema },
  { additionalProperties: false },
);

export const INVITATION_STATES = ['waiting', 'submitted', 'approved', 'expired'] as const;
export type InvitationStateCode = (typeof INVITATION_STATES)[number];
/** An invitation as the administrator and the invited person read it: its state, and the device that answered. */
export const InvitationViewSchema = Type.Object({
  invitation: Type.String(),
  agency: Type.String(),
  label: Type.String(),
  roles: Type.Array(RoleSchema),
  inboxes: Type.Array(Type.String()),
  expiresAt: Type.String(),
  state: Type.Union(INVITATION_STATES.map((s) => Type.Literal(s))),
  device: Type.Union([InvitedDeviceSchema, Type.Null()]),
  /** The invitation as the root key signed it: the administrator's device certifies from this, never from the fields above. */
  signed: SignedInvitationSchema,
});
export type InvitationView = Static<typeof InvitationViewSchema>;
export const AgencyInvitationsSchema = Type.Array(Type.Object({ ...InvitationViewSchema.properties, createdAt: Type.String() }));
