/**
 * An agency's own lists, for its administrators: its member devices (active
 * and revoked) and the invitations it issued (its inboxes are public). A
 * stranger has no business knowing who works at an agency, nor who is being
 * invited: each list is read with the agency's root key (a request it signed for this
 * path, a few minutes old at most) or by one of its members holding the
 * admin role. Certificates are returned as signed, for the reader to check.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import { asc, desc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AGENCY_REQUEST_WINDOW_SECONDS, parseAgencyRequestHeader } from '../../protocol/agency-request.js';
import { fromB64u } from '../../protocol/encoding.js';
import { AgencyInvitationsSchema, AgencyMembersSchema, AgencyParamsSchema, type AgencyParams } from '../../protocol/api/identity.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { SignedAgencyRequestSchema } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import { bearerOf } from '../auth/bearer.js';
import { VigieError } from '../http/errors.js';
import { invitationView } from './invitations.js';
import { agencies, invitations, members } from './tables.js';

const MAX_INVITATIONS = 500;

/**
 * preValidation: the request is the agency's own — signed by its root key
 * for this method and path (AGENCY_PROOF_INVALID otherwise), or made by an
 * active member of the agency with the admin role.
 */
function requireAgencyReader(app: FastifyInstance) {
  return async function agencyReader(request: FastifyRequest<{ Params: AgencyParams }>) {
    const { agency } = request.params;
    const header = request.headers.authorization;
    if (!header || header.startsWith('Bearer ')) {
      const member = await app.authenticateToken(bearerOf(request));
      if (member.agencyId !== agency) throw new VigieError('AGENCY_FORBIDDEN');
      if (!member.roles.includes('admin')) throw new VigieError('ROLE_REQUIRED');
      return;
    }
    const signed = parseAgencyRequestHeader(header);
    if (!signed || !Value.Check(SignedAgencyRequestSchema, signed)) throw new VigieError('AGENCY_PROOF_INVALID');
    const doc = signed.document;
    const skew = Math.abs(Date.now() - Date.parse(doc.at)) / 1000;
    if (doc.agency !== agency || doc.method !== request.method || doc.path !== request.url.split('?')[0] || !(skew <= AGENCY_REQUEST_WINDOW_SECONDS)) {
      throw new VigieError('AGENCY_PROOF_INVALID');
    }
    const [row] = await app.db.select({ rootKey: agencies.rootKey }).from(agencies).where(eq(agencies.id, agency));
    if (!row || !verifyDocument(app.crypto, 'agency-request', signed, fromB64u(row.rootKey))) throw new VigieError('AGENCY_PROOF_INVALID');
  };
}

export const agencyReadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const preValidation = requireAgencyReader(app);

  app.get(
    ROUTES.agencyMembers,
    {
      preValidation,
      schema: {
        tags: ['identity'],
        summary: 'The agency’s member devices, active and revoked, with their certificates (root key or admin role)',
        params: AgencyParamsSchema,
        response: { 200: AgencyMembersSchema },
      },
    },
    async (request) => {
      const { agency } = request.params;
      const rows = await app.db.select().from(members).where(eq(members.agencyId, agency)).orderBy(asc(members.createdAt), asc(members.id));
      return rows.map((r) => ({ member: r.id, certificate: r.certificate as never, enrolledAt: r.createdAt.toISOString(), revokedAt: r.revokedAt?.toISOString() ?? null }));
    },
  );

  app.get(
    ROUTES.agencyInvitations,
    {
      preValidation,
      schema: {
        tags: ['identity'],
        summary: 'The invitations the agency issued, newest first, and each one’s state (root key or admin role)',
        params: AgencyParamsSchema,
        response: { 200: AgencyInvitationsSchema },
      },
    },
    async (request) => {
      const { agency } = request.params;
      const rows = await app.db.select().from(invitations).where(eq(invitations.agencyId, agency)).orderBy(desc(invitations.createdAt)).limit(MAX_INVITATIONS);
      const now = new Date();
      return rows.map((r) => ({ ...invitationView(r, now), createdAt: r.createdAt.toISOString() }));
    },
  );
};
