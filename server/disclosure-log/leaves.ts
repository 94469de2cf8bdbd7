/**
 * The leaves of the disclosure log: one versioned record per event of
 * invariant 4, canonicalized with RFC 8785. No content and no personal data:
 * ids, agencies, inboxes, types, protocol and legal basis, data categories,
 * hashes and times. docs/audit-log.md defines each type.
 *
 * The log itself carries only each record's salted commitment
 * (protocol/log/commitment.ts): an anonymous reader of the log learns sizes,
 * times and hashes; the record and its salt stay in the authenticated register.
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalize } from '../../protocol/canonical.js';
import { toB64u } from '../../protocol/encoding.js';
import { committedLeaf, SALT_BYTES } from '../../protocol/log/commitment.js';
import { DIRECTIVE_CODE_PATTERN, type EnvelopeHeader, type LegalBasis } from '../../protocol/schemas.js';
import { agencyOfInbox } from '../../protocol/ids.js';
import { DIRECTORY_KINDS, LEAF_TYPES, type LeafType } from '../../protocol/api/log.js';
import type { LeafRecordFields } from '../../protocol/api/leaf-record.js';

// The kinds of leaf are part of the wire (look-ups name them): protocol/api/log.ts holds them.
export { DIRECTORY_KINDS, LEAF_TYPES, type LeafType };

export interface Leaf {
  type: LeafType;
  /** What the leaf is about (message, agency, inbox or member id), for look-ups. */
  subject: string | null;
  /** The leaf as the log carries it: the record's salted commitment. */
  data: string;
  /** The canonical record (authenticated readers only). */
  record: string;
  /** base64url of the 32-byte salt of the commitment. */
  salt: string;
}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

// The fields of each kind are the wire's (protocol/api/leaf-record.ts): what members parse back is what is written here.
function leaf<K extends LeafType>(type: K, subject: string | null, at: Date, fields: LeafRecordFields<K>): Leaf {
  const record = canonicalize({ v: 1, type, at: at.toISOString(), ...fields });
  const salt = randomBytes(SALT_BYTES);
  return { type, subject, data: committedLeaf(sha256, record, salt), record, salt: toB64u(salt) };
}

const DIRECTIVE_CODE = new RegExp(DIRECTIVE_CODE_PATTERN);

/**
 * The legal basis as the register shows it. The case reference stays out of
 * the log: the consent id (chosen by the hub among the agency's consents)
 * links the disclosure to its consent without naming the case. No free text
 * enters a record: an apprehended-danger directive is a code (the policy
 * refuses any other), and any other reference is kept as its SHA-256
 * (`referenceHash`), which the register resolves against the protocol's
 * closed list of statutes and orders.
 */
export function legalBasisRecord(basis: LegalBasis | undefined, consent: string | null) {
  if (!basis) return null;
  const reference = basis.reference;
  const asCode = reference !== undefined && basis.code === 'apprehended_danger' && DIRECTIVE_CODE.test(reference);
  return {
    code: basis.code,
    ...(reference !== undefined ? (asCode ? { reference } : { referenceHash: referenceHash(reference) }) : {}),
    ...(basis.purpose ? { purpose: basis.purpose } : {}),
    ...(consent ? { consent } : {}),
    ...(basis.reason ? { reason: basis.reason } : {}),
    ...(basis.attestation ? { attestation: basis.attestation } : {}),
  };
}

/** base64url SHA-256 of a legal reference's UTF-8 text. */
export const referenceHash = (reference: string) => toB64u(sha256(new TextEncoder().encode(reference)));

export function messageAcceptedLeaf(
  header: EnvelopeHeader,
  headerHash: string,
  recipientAgencies: Map<string, string>,
  at: Date,
  consent: string | null = null,
): Leaf {
  return leaf('message.accepted', header.id, at, {
    message: header.id,
    messageType: header.type,
    urgency: header.urgency,
    sender: header.sender,
    recipients: header.recipients.map((inbox) => ({ inbox, agency: recipientAgencies.get(inbox) ?? null })),
    protocol: header.protocol ?? null,
    legalBasis: legalBasisRecord(header.legalBasis, consent),
    dataCategories: header.dataCategories,
    contentHash: header.content.hash,
    headerHash,
    createdAt: header.createdAt,
  });
}

export interface Refusal {
  message: string | null;
  messageType: string | null;
  sender: { agency: string; member: string; inbox: string | null };
  /** The recipient inboxes as the sender declared them: a claim, not parties to a disclosure. */
  declaredRecipients: string[];
  protocol: { id: string; version: number } | null;
  legalBasis: ReturnType<typeof legalBasisRecord>;
  dataCategories: string[];
  reason: string;
  detail: string | null;
}

export function messageRefusedLeaf(r: Refusal, at: Date): Leaf {
  return leaf('message.refused', r.message, at, { ...r });
}

/** The end of a message's retention: its ciphertext, wraps and case reference were erased; this leaf and the acceptance's remain. */
export function messageErasedLeaf(
  e: {
    message: string;
    messageType: string;
    sender: { agency: string; inbox: string };
    recipients: { inbox: string; agency: string }[];
    protocol: { id: string; version: number } | null;
    retainUntil: string;
    erased: string[];
  },
  at: Date,
): Leaf {
  return leaf('message.erased', e.message, at, e);
}

/** A signed receipt, on the record at the hub's time (`receiptAt`); the device's own claim is `signedAt`. */
export function receiptLeaf(
  kind: 'delivered' | 'acknowledged',
  r: { message: string; inbox: string; agency: string; member: string; receiptAt: Date; signedAt: string },
  at: Date,
): Leaf {
  return leaf(kind === 'delivered' ? 'message.delivered' : 'message.acknowledged', r.message, at, {
    message: r.message,
    inbox: r.inbox,
    agency: r.agency,
    member: r.member,
    receiptAt: r.receiptAt.toISOString(),
    signedAt: r.signedAt,
  });
}

export function agencyRegisteredLeaf(a: { agency: string; kind: string; rootKey: string; registrationHash: string }, at: Date): Leaf {
  return leaf('key.agency_registered', a.agency, at, a);
}

export function inboxRegisteredLeaf(i: { agency: string; inbox: string; encryptionKey: string; keyVersion: number; certificateHash: string }, at: Date): Leaf {
  return leaf('key.inbox_registered', i.inbox, at, i);
}

export function memberRegisteredLeaf(
  m: { agency: string; member: string; signingKey: string; encryptionKey: string; roles: string[]; inboxes: string[]; certificateHash: string },
  at: Date,
): Leaf {
  return leaf('key.member_registered', m.member, at, m);
}

/**
 * An inbox key rotated: the new key and version, certified by the root key,
 * and why (a member removed, or a scheduled rotation). Monitors check that
 * every inbox key after the first is explained by such a leaf.
 */
export function keyRotatedLeaf(
  r: {
    agency: string;
    inbox: string;
    encryptionKey: string;
    keyVersion: number;
    previousKeyVersion: number;
    certificateHash: string;
    reason: 'member_revoked' | 'scheduled';
    member: string | null;
    /** The devices the new key was sealed to: a monitor checks none was revoked. */
    sealedTo: string[];
  },
  at: Date,
): Leaf {
  return leaf('key.rotated', r.inbox, at, r);
}

export function memberRevokedLeaf(m: { agency: string; member: string; revocationHash: string }, at: Date): Leaf {
  return leaf('key.member_revoked', m.member, at, m);
}

export function registerReadLeaf(r: { auditor: string; agency: string; filters: Record<string, string | null>; rows: number; format: string }, at: Date): Leaf {
  return leaf('register.read', r.auditor, at, r);
}

export function protocolSignedLeaf(p: { protocol: string; version: number; agency: string; documentHash: string }, at: Date): Leaf {
  return leaf('protocol.signed', p.protocol, at, p);
}

export function protocolActivatedLeaf(
  p: { protocol: string; version: number; documentHash: string; parties: string[]; effectiveFrom: string },
  at: Date,
): Leaf {
  return leaf('protocol.activated', p.protocol, at, p);
}

/** A new version was stored, pending its signatures (or replaced a pending draft of the same version). */
export function protocolSubmittedLeaf(
  p: { protocol: string; version: number; documentHash: string; parties: string[]; requiredSigners: string[]; replaces: string | null },
  at: Date,
): Leaf {
  return leaf('protocol.submitted', p.protocol, at, p);
}

/** A version in force gives way to a later one, from the later one's effective date. */
export function protocolSupersededLeaf(p: { protocol: string; version: number; by: number; effectiveFrom: string }, at: Date): Leaf {
  return leaf('protocol.superseded', p.protocol, at, p);
}

/**
 * A governance request refused: a submission or retirement that an agency's
 * root key signed, with the reason. Unsigned noise is refused without a leaf.
 */
export function protocolRefusedLeaf(
  p: { protocol: string; version: number | null; action: 'submission' | 'retirement'; agencies: string[]; documentHash: string; reason: string; detail: string | null },
  at: Date,
): Leaf {
  return leaf('protocol.refused', p.protocol, at, p);
}

export function protocolRetiredLeaf(p: { protocol: string; agency: string; retiredAt: string; retirementHash: string }, at: Date): Leaf {
  return leaf('protocol.retired', p.protocol, at, p);
}

export interface ConsentRecord {
  consent: string;
  agency: string;
  recipients: string[];
  purposes: string[];
  dataCategories: string[];
  validFrom: string;
  validUntil: string | null;
  evidenceHash: string;
  member: string;
}

/** No case reference: the consent id is what links a disclosure to its consent. */
export function consentRecordedLeaf(c: ConsentRecord, at: Date): Leaf {
  return leaf('consent.recorded', c.consent, at, { ...c });
}

export function consentRevokedLeaf(c: { consent: string; agency: string; member: string; revokedAt: string }, at: Date): Leaf {
  return leaf('consent.revoked', c.consent, at, c);
}

/**
 * A step of an acknowledgement deadline: `unacknowledged` (the deadline
 * passed), `escalated` (the chain's inboxes were notified), `exhausted`.
 */
export function messageEscalatedLeaf(
  e: {
    message: string;
    messageType: string;
    sender: { agency: string; inbox: string };
    recipient: string;
    step: number;
    kind: 'unacknowledged' | 'escalated' | 'exhausted';
    notified: string[];
    protocol: { id: string; version: number };
    events: number;
  },
  at: Date,
): Leaf {
  return leaf('message.escalated', e.message, at, {
    ...e,
    recipients: [{ inbox: e.recipient, agency: agencyOfInbox(e.recipient) }],
  });
}
