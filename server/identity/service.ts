import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { canonicalize, documentHash } from '../../protocol/canonical.js';
import { fromB64u } from '../../protocol/encoding.js';
import type {
  AgencyRegistration,
  InboxCertificate,
  MemberCertificate,
  MemberRevocation,
  SignedDocument,
} from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import { appendLeaf } from '../disclosure-log/append.js';
import { agencyRegisteredLeaf, inboxRegisteredLeaf, keyRotatedLeaf, memberRegisteredLeaf, memberRevokedLeaf } from '../disclosure-log/leaves.js';
import type { Db, Tx } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { admissions, agencies, inboxes, inboxKeys, inboxKeyWraps, memberInboxes, members } from './tables.js';
import { inboxLockOrder } from './inbox-directory.js';
import { approveInvitation } from './invitations.js';
import type { InboxRotation } from '../../protocol/api/identity.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
/** SHA-256 of a signed document's canonical form (protocol/canonical.ts): what a key leaf commits to. */
export const hashOfDocument = (signed: unknown) => documentHash((data) => createHash('sha256').update(data).digest(), signed);

export interface AdmissionInput {
  agency: string;
  kind: string;
  names: { fr: string; en: string };
  validHours: number;
}

/** Hub operator: lets one agency id register once, with a one-time code handed to its administrator. */
export async function admitAgency(db: Db, input: AdmissionInput, now = new Date()) {
  // Hex, so that the code never starts with '-' and is never taken for an option on a command line.
  const code = randomBytes(24).toString('hex');
  const expiresAt = new Date(now.getTime() + input.validHours * 3600_000);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, input.agency));
    if (existing) throw new VigieError('AGENCY_EXISTS');
    const row = { kind: input.kind, nameFr: input.names.fr, nameEn: input.names.en, codeHash: sha256(code), expiresAt, usedAt: null };
    await tx
      .insert(admissions)
      .values({ agencyId: input.agency, ...row })
      .onConflictDoUpdate({ target: admissions.agencyId, set: { ...row, createdAt: now } });
    return { agency: input.agency, code, expiresAt };
  });
}

/** Agency administrator: registers the root key, proving possession by a self-signature. */
export async function registerAgency(
  db: Db,
  crypto: CryptoPort,
  code: string,
  registration: SignedDocument<AgencyRegistration>,
  now = new Date(),
) {
  const doc = registration.document;
  if (!verifyDocument(crypto, 'agency-registration', registration, fromB64u(doc.rootKey))) {
    throw new VigieError('CERTIFICATE_INVALID');
  }
  return db.transaction(async (tx) => {
    const [admission] = await tx
      .update(admissions)
      .set({ usedAt: now })
      .where(and(eq(admissions.codeHash, sha256(code)), isNull(admissions.usedAt), gt(admissions.expiresAt, now)))
      .returning();
    if (!admission || admission.agencyId !== doc.agency) throw new VigieError('ADMISSION_INVALID');
    if (admission.kind !== doc.kind || admission.nameFr !== doc.names.fr || admission.nameEn !== doc.names.en) {
      throw new VigieError('ADMISSION_INVALID', { detail: 'kind or names differ from the admission' });
    }
    const inserted = await tx
      .insert(agencies)
      .values({ id: doc.agency, kind: doc.kind, nameFr: doc.names.fr, nameEn: doc.names.en, rootKey: doc.rootKey, registration })
      .onConflictDoNothing()
      .returning({ id: agencies.id });
    if (inserted.length === 0) throw new VigieError('AGENCY_EXISTS');
    await appendLeaf(tx, agencyRegisteredLeaf({ agency: doc.agency, kind: doc.kind, rootKey: doc.rootKey, registrationHash: hashOfDocument(registration) }, now));
    return { agency: doc.agency };
  });
}

async function rootKeyOf(db: Db | Tx, agencyId: string): Promise<Uint8Array> {
  const [agency] = await db.select({ rootKey: agencies.rootKey }).from(agencies).where(eq(agencies.id, agencyId));
  if (!agency) throw new VigieError('AGENCY_UNKNOWN');
  return fromB64u(agency.rootKey);
}

// jsonb reorders keys: compare canonical forms, not JSON.stringify.
const sameDocument = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

/** Registers an inbox certified by its agency's root key. Idempotent for the same certificate. */
export async function registerInbox(db: Db, crypto: CryptoPort, agencyId: string, signed: SignedDocument<InboxCertificate>) {
  const doc = signed.document;
  if (doc.agency !== agencyId || !doc.inbox.startsWith(`${agencyId}/`)) throw new VigieError('AGENCY_FORBIDDEN');
  if (!verifyDocument(crypto, 'inbox-certificate', signed, await rootKeyOf(db, agencyId))) throw new VigieError('CERTIFICATE_INVALID');
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(inboxes)
      .values({ id: doc.inbox, agencyId, encryptionKey: doc.encryptionKey, keyVersion: doc.keyVersion, certificate: signed })
      .onConflictDoNothing()
      .returning({ id: inboxes.id });
    if (inserted.length === 0) {
      const [existing] = await tx.select({ certificate: inboxes.certificate }).from(inboxes).where(eq(inboxes.id, doc.inbox));
      if (!existing || !sameDocument(existing.certificate, signed)) throw new VigieError('INBOX_EXISTS');
      return { inbox: doc.inbox, created: false };
    }
    await tx.insert(inboxKeys).values({ inboxId: doc.inbox, keyVersion: doc.keyVersion, encryptionKey: doc.encryptionKey, certificate: signed });
    const leaf = { agency: agencyId, inbox: doc.inbox, encryptionKey: doc.encryptionKey, keyVersion: doc.keyVersion, certificateHash: hashOfDocument(signed) };
    await appendLeaf(tx, inboxRegisteredLeaf(leaf, new Date()));
    return { inbox: doc.inbox, created: true };
  });
}

export interface MemberEnrolment {
  certificate: SignedDocument<MemberCertificate>;
  /** The inbox private key sealed to the member's X25519 key, for every inbox the certificate names. */
  inboxKeys: { inbox: string; wrappedKey: string }[];
}

/** Enrols a member device certified by its agency's root key. Idempotent for the same certificate. */
export async function registerMember(db: Db, crypto: CryptoPort, agencyId: string, enrolment: MemberEnrolment) {
  const signed = enrolment.certificate;
  const doc = signed.document;
  if (doc.agency !== agencyId) throw new VigieError('AGENCY_FORBIDDEN');
  if (!verifyDocument(crypto, 'member-certificate', signed, await rootKeyOf(db, agencyId))) throw new VigieError('CERTIFICATE_INVALID');
  const wraps = new Map(enrolment.inboxKeys.map((k) => [k.inbox, k.wrappedKey]));
  for (const inbox of doc.inboxes) {
    if (!inbox.startsWith(`${agencyId}/`)) throw new VigieError('AGENCY_FORBIDDEN');
    if (!wraps.has(inbox)) throw new VigieError('KEY_WRAP_MISSING', { detail: inbox });
  }
  return db.transaction(async (tx) => {
    // The wraps are of each inbox's current key (the administrator holds it): locked, so that no rotation slips in between.
    const found = doc.inboxes.length > 0 ? await tx.select({ id: inboxes.id, keyVersion: inboxes.keyVersion }).from(inboxes).where(inArray(inboxes.id, doc.inboxes)).for('share') : [];
    if (found.length !== doc.inboxes.length) throw new VigieError('INBOX_UNKNOWN');
    const inserted = await tx
      .insert(members)
      .values({
        id: doc.member,
        agencyId,
        signingKey: doc.signingKey,
        encryptionKey: doc.encryptionKey,
        roles: doc.roles,
        certificate: signed,
      })
      .onConflictDoNothing()
      .returning({ id: members.id });
    if (inserted.length === 0) {
      const [existing] = await tx.select({ certificate: members.certificate }).from(members).where(eq(members.id, doc.member));
      if (!existing || !sameDocument(existing.certificate, signed)) throw new VigieError('MEMBER_EXISTS');
      return { member: doc.member, created: false };
    }
    await appendLeaf(
      tx,
      memberRegisteredLeaf(
        {
          agency: agencyId,
          member: doc.member,
          signingKey: doc.signingKey,
          encryptionKey: doc.encryptionKey,
          roles: doc.roles,
          inboxes: doc.inboxes,
          certificateHash: hashOfDocument(signed),
        },
        new Date(),
      ),
    );
    // A device that answered an invitation is approved by being certified.
    await approveInvitation(tx, agencyId, doc.member);
    if (doc.inboxes.length > 0) {
      await tx.insert(memberInboxes).values(doc.inboxes.map((inbox) => ({ memberId: doc.member, inboxId: inbox, wrappedKey: wraps.get(inbox)! })));
      await tx
        .insert(inboxKeyWraps)
        .values(found.map((i) => ({ memberId: doc.member, inboxId: i.id, keyVersion: i.keyVersion, wrappedKey: wraps.get(i.id)! })));
    }
    return { member: doc.member, created: true };
  });
}

/**
 * A new key for an inbox: its certificate (signed by the agency root key,
 * the next key version) and the new private key sealed to every member
 * device that still reads the inbox — and to no other.
 */
export type { InboxRotation };

/** The active member devices of an inbox, with their certificates: those an administrator seals a new key to. */
export async function inboxMembers(db: Db | Tx, inboxId: string, except: string[] = []) {
  const rows = await db
    .select({ member: members.id, certificate: members.certificate })
    .from(memberInboxes)
    .innerJoin(members, eq(members.id, memberInboxes.memberId))
    .where(and(eq(memberInboxes.inboxId, inboxId), isNull(members.revokedAt)));
  return rows.filter((r) => !except.includes(r.member));
}

/**
 * Rotates an inbox key inside the caller's transaction: the certificate is
 * the next version, certified by the root key; the wraps are for exactly the
 * inbox's remaining members. Senders encrypt to the new key from then on; the
 * old one still opens old messages for the members who keep it. A
 * `key.rotated` leaf records it.
 */
async function applyRotation(
  tx: Tx,
  crypto: CryptoPort,
  agencyId: string,
  rootKey: Uint8Array,
  rotation: InboxRotation,
  why: { reason: 'member_revoked' | 'scheduled'; member: string | null },
  now: Date,
): Promise<string> {
  const doc = rotation.certificate.document;
  if (doc.agency !== agencyId || !doc.inbox.startsWith(`${agencyId}/`)) throw new VigieError('AGENCY_FORBIDDEN');
  if (!verifyDocument(crypto, 'inbox-certificate', rotation.certificate, rootKey)) throw new VigieError('CERTIFICATE_INVALID');
  const [current] = await tx.select().from(inboxes).where(eq(inboxes.id, doc.inbox)).for('update');
  if (!current || current.agencyId !== agencyId) throw new VigieError('INBOX_UNKNOWN');
  if (doc.keyVersion !== current.keyVersion + 1 || doc.encryptionKey === current.encryptionKey) {
    throw new VigieError('KEY_ROTATION_INVALID', { detail: `${doc.inbox}: the next key version is ${current.keyVersion + 1}, with a new key` });
  }
  const remaining = (await inboxMembers(tx, doc.inbox, why.member ? [why.member] : [])).map((m) => m.member).sort();
  const wrapped = rotation.wraps.map((w) => w.member).sort();
  if (new Set(wrapped).size !== wrapped.length || remaining.join() !== wrapped.join()) {
    throw new VigieError('KEY_WRAP_MISSING', { detail: `${doc.inbox}: the new key must be sealed to each remaining member, and to no one else` });
  }
  await tx.update(inboxes).set({ encryptionKey: doc.encryptionKey, keyVersion: doc.keyVersion, certificate: rotation.certificate }).where(eq(inboxes.id, doc.inbox));
  await tx.insert(inboxKeys).values({ inboxId: doc.inbox, keyVersion: doc.keyVersion, encryptionKey: doc.encryptionKey, certificate: rotation.certificate, createdAt: now });
  if (rotation.wraps.length > 0) {
    await tx.insert(inboxKeyWraps).values(rotation.wraps.map((w) => ({ memberId: w.member, inboxId: doc.inbox, keyVersion: doc.keyVersion, wrappedKey: w.wrappedKey })));
    // The current wrap of each membership follows the current key.
    for (const w of rotation.wraps) {
      await tx.update(memberInboxes).set({ wrappedKey: w.wrappedKey }).where(and(eq(memberInboxes.memberId, w.member), eq(memberInboxes.inboxId, doc.inbox)));
    }
  }
  await appendLeaf(
    tx,
    keyRotatedLeaf(
      {
        agency: agencyId,
        inbox: doc.inbox,
        encryptionKey: doc.encryptionKey,
        keyVersion: doc.keyVersion,
        previousKeyVersion: current.keyVersion,
        certificateHash: hashOfDocument(rotation.certificate),
        reason: why.reason,
        member: why.member,
        sealedTo: wrapped,
      },
      now,
    ),
  );
  return doc.inbox;
}

/** An administrator rotates an inbox key (e.g. on a schedule): see applyRotation. */
export async function rotateInbox(db: Db, crypto: CryptoPort, agencyId: string, inboxId: string, rotation: InboxRotation) {
  if (rotation.certificate.document.inbox !== inboxId) throw new VigieError('INVALID_REQUEST', { detail: 'inbox differs from the path' });
  const root = await rootKeyOf(db, agencyId);
  return db.transaction(async (tx) => ({ inbox: await applyRotation(tx, crypto, agencyId, root, rotation, { reason: 'scheduled', member: null }, new Date()), keyVersion: rotation.certificate.document.keyVersion }));
}

/**
 * Revokes a member device on its agency's root-key signature, effective on
 * the next request, and in the same transaction rotates every inbox key the
 * device could read (its certificate's inboxes): a revocation without those
 * rotations is refused, so that a removed device never reads what is sent next.
 */
export async function revokeMember(
  db: Db,
  crypto: CryptoPort,
  agencyId: string,
  signed: SignedDocument<MemberRevocation>,
  rotations: InboxRotation[] = [],
) {
  const doc = signed.document;
  if (doc.agency !== agencyId) throw new VigieError('AGENCY_FORBIDDEN');
  const root = await rootKeyOf(db, agencyId);
  if (!verifyDocument(crypto, 'member-revocation', signed, root)) throw new VigieError('CERTIFICATE_INVALID');
  const [row] = await db
    .select({ agencyId: members.agencyId, revokedAt: members.revokedAt, certificate: members.certificate })
    .from(members)
    .where(eq(members.id, doc.member));
  if (!row || row.agencyId !== agencyId) throw new VigieError('MEMBER_UNKNOWN');
  if (row.revokedAt) return { member: doc.member, rotated: [] as string[] };
  // What the device could read is what its certificate (signed by the root key) says, not a table anyone could edit.
  const certificate = row.certificate as SignedDocument<MemberCertificate>;
  if (!verifyDocument(crypto, 'member-certificate', certificate, root) || certificate.document.member !== doc.member) {
    throw new VigieError('CERTIFICATE_INVALID', { detail: 'the stored certificate of this device does not verify' });
  }
  return db.transaction(async (tx) => {
    const now = new Date();
    const readable = [...certificate.document.inboxes].sort();
    const rotating = rotations.map((r) => r.certificate.document.inbox).sort();
    if (readable.join() !== rotating.join()) {
      throw new VigieError('KEY_ROTATION_REQUIRED', { detail: `rotate exactly: ${readable.join(', ') || '(no inbox)'}` });
    }
    const [updated] = await tx
      .update(members)
      .set({ revokedAt: now, revocation: signed })
      .where(and(eq(members.id, doc.member), isNull(members.revokedAt)))
      .returning({ id: members.id });
    if (!updated) return { member: doc.member, rotated: [] as string[] };
    await appendLeaf(tx, memberRevokedLeaf({ agency: agencyId, member: doc.member, revocationHash: hashOfDocument(signed) }, now));
    const rotated: string[] = [];
    // In the order acceptances lock inbox rows (inboxKeysCurrent): a message to two of these inboxes never waits in a cycle with this.
    const inOrder = [...rotations].sort((a, b) => inboxLockOrder(a.certificate.document.inbox, b.certificate.document.inbox));
    for (const rotation of inOrder) rotated.push(await applyRotation(tx, crypto, agencyId, root, rotation, { reason: 'member_revoked', member: doc.member }, now));
    return { member: doc.member, rotated };
  });
}
