import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import { AgencyParamsSchema, DeviceSubmissionSchema, InvitationParamsSchema, InvitationViewSchema, type InvitationStateCode, type InvitedDevice } from '../../protocol/api/identity.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { SignedInvitationSchema, type Invitation, type SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { Db, Tx } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { agencies, inboxes, invitations } from './tables.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest();
const MAX_DAYS = 30;

type Row = typeof invitations.$inferSelect;

/** An invitation as the administrator and the invited person read it: its state, and the device that answered. */
export function invitationView(row: Row, now: Date) {
  const doc = (row.invitation as SignedDocument<Invitation>).document;
  const state = row.approvedAt ? 'approved' : row.device ? 'submitted' : row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'waiting';
  return {
    invitation: row.id,
    agency: row.agencyId,
    label: doc.label,
    roles: doc.roles,
    inboxes: doc.inboxes,
    expiresAt: row.expiresAt.toISOString(),
    state: state as InvitationStateCode,
    device: (row.device as InvitedDevice | null) ?? null,
    signed: row.invitation as SignedDocument<Invitation>,
  };
}

/** Stores an invitation the agency's root key signed. Idempotent for the same document. */
export async function createInvitation(db: Db, crypto: CryptoPort, agencyId: string, signed: SignedDocument<Invitation>, now = new Date()) {
  const doc = signed.document;
  if (doc.agency !== agencyId || doc.inboxes.some((i) => !i.startsWith(`${agencyId}/`))) throw new VigieError('AGENCY_FORBIDDEN');
  const [agency] = await db.select({ rootKey: agencies.rootKey }).from(agencies).where(eq(agencies.id, agencyId));
  if (!agency) throw new VigieError('AGENCY_UNKNOWN');
  if (!verifyDocument(crypto, 'invitation', signed, fromB64u(agency.rootKey))) throw new VigieError('CERTIFICATE_INVALID');
  const expiresAt = new Date(doc.expiresAt);
  if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + MAX_DAYS * 86_400_000) {
    throw new VigieError('INVITATION_INVALID', { detail: `expires within ${MAX_DAYS} days` });
  }
  if (doc.inboxes.length > 0) {
    const found = await db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.agencyId, agencyId));
    if (doc.inboxes.some((i) => !found.some((f) => f.id === i))) throw new VigieError('INBOX_UNKNOWN');
  }
  const [inserted] = await db.insert(invitations).values({ id: doc.invitation, agencyId, invitation: signed, expiresAt }).onConflictDoNothing().returning();
  if (!inserted) {
    const [existing] = await db.select().from(invitations).where(eq(invitations.id, doc.invitation));
    if (!existing || JSON.stringify((existing.invitation as SignedDocument<Invitation>).signature) !== JSON.stringify(signed.signature)) throw new VigieError('INVITATION_INVALID', { detail: 'id in use' });
    return invitationView(existing, now);
  }
  return invitationView(inserted, now);
}

/** The person's device answers an invitation with its public keys and the one-time code; once. */
export async function submitDevice(db: Db, id: string, code: string, device: InvitedDevice, agencyOf: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(invitations).where(eq(invitations.id, id)).for('update');
    const doc = row ? (row.invitation as SignedDocument<Invitation>).document : null;
    // One answer for a wrong code, an unknown id or an expired invitation: no oracle.
    const ok = row && doc && timingSafeEqual(sha256(code), Buffer.from(fromB64u(doc.codeHash))) && row.expiresAt.getTime() > now.getTime();
    if (!ok || row.agencyId !== agencyOf) throw new VigieError('INVITATION_INVALID');
    if (row.device) {
      if (JSON.stringify(row.device) === JSON.stringify(device)) return invitationView(row, now);
      throw new VigieError('INVITATION_INVALID', { detail: 'already answered' });
    }
    const [updated] = await tx
      .update(invitations)
      .set({ device, submittedAt: now })
      .where(and(eq(invitations.id, id), isNull(invitations.device)))
      .returning();
    return invitationView(updated!, now);
  });
}

/** Marks an invitation approved when its device is certified (called in the enrolling transaction). */
export async function approveInvitation(tx: Tx, agencyId: string, member: string, now = new Date()) {
  await tx
    .update(invitations)
    .set({ memberId: member, approvedAt: now })
    .where(and(eq(invitations.agencyId, agencyId), isNull(invitations.approvedAt), sql`${invitations.device}->>'member' = ${member}`));
}

/**
 * Invitations: created by an administrator's root key, answered by the
 * person's device with the code, read by both while they wait. Reading one
 * needs its id (a random UUID known to the administrator and the person);
 * answering needs the code besides.
 */
export const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    ROUTES.agencyInvitations,
    {
      schema: {
        tags: ['identity'],
        summary: 'Administrator: invite a person to enrol a device (signed by the agency root key)',
        params: AgencyParamsSchema,
        body: SignedInvitationSchema,
        response: { 201: InvitationViewSchema },
      },
    },
    async (request, reply) => {
      return reply.code(201).send(await createInvitation(app.db, app.crypto, request.params.agency, request.body));
    },
  );

  app.post(
    ROUTES.invitationDevice,
    {
      schema: {
        tags: ['identity'],
        summary: 'The invited person’s device: its public keys, with the one-time code',
        params: InvitationParamsSchema,
        body: DeviceSubmissionSchema,
        response: { 200: InvitationViewSchema },
      },
    },
    async (request) => {
      const { code, agency, device } = request.body;
      return submitDevice(app.db, request.params.invitation, code, device, agency);
    },
  );

  app.get(
    ROUTES.invitation,
    {
      schema: {
        tags: ['identity'],
        summary: 'An invitation’s state and the device that answered it (for the administrator to compare fingerprints and approve)',
        params: InvitationParamsSchema,
        response: { 200: InvitationViewSchema },
      },
    },
    async (request) => {
      const { invitation } = request.params;
      const [row] = await app.db.select().from(invitations).where(eq(invitations.id, invitation));
      if (!row) throw new VigieError('INVITATION_INVALID');
      return invitationView(row, new Date());
    },
  );
};
