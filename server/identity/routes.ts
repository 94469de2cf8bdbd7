import { holdsSecret } from '../auth/bearer.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import {
  AdmissionRequestSchema,
  AdmissionSchema,
  AgencyInboxListSchema,
  AgencyListSchema,
  AgencyParamsSchema,
  AgencyRegisteredSchema,
  AgencyRegistrationRequestSchema,
  AgencyViewSchema,
  InboxMembersSchema,
  InboxParamsSchema,
  InboxRegisteredSchema,
  InboxRotatedSchema,
  InboxRotationSchema,
  InboxViewSchema,
  MemberEnrolledSchema,
  MemberEnrolmentSchema,
  MemberParamsSchema,
  MemberViewSchema,
  MyInboxKeysSchema,
  RevocationRequestSchema,
  RevokedSchema,
} from '../../protocol/api/identity.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { SignedInboxCertificateSchema } from '../../protocol/schemas.js';
import { VigieError } from '../http/errors.js';
import type { Db } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import { agencies, inboxes, inboxKeys, inboxKeyWraps, members } from './tables.js';
import { invitationRoutes } from './invitations.js';
import { agencyReadRoutes } from './agency-reads.js';
import { admitAgency, inboxMembers, registerAgency, registerInbox, registerMember, revokeMember, rotateInbox } from './service.js';


export interface IdentityOptions {
  operatorToken: string;
}

// Read by every sender of an inbox (the SDK keeps what it read until the log names a rotation): a statement parsed once per connection.
const inboxById = preparedOnce((db: Db) =>
  db.select({ id: inboxes.id, agencyId: inboxes.agencyId, certificate: inboxes.certificate }).from(inboxes).where(eq(inboxes.id, sql.placeholder('id'))).prepare('vigie_inbox_by_id'),
);

/** Agencies, inboxes and members: every key is certified by its agency's root key, checked here. */
export const identityRoutes: FastifyPluginAsyncTypebox<IdentityOptions> = async (app, opts) => {
  await app.register(invitationRoutes);
  await app.register(agencyReadRoutes);

  const isOperator = holdsSecret(opts.operatorToken);
  const requireOperator = async (request: FastifyRequest) => {
    if (!isOperator(request)) throw new VigieError('OPERATOR_TOKEN_INVALID');
  };

  app.post(
    ROUTES.admissions,
    {
      preValidation: requireOperator,
      schema: {
        tags: ['identity'],
        summary: 'Hub operator: admit a new agency once (one-time registration code)',
        body: AdmissionRequestSchema,
        response: { 201: AdmissionSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const admission = await admitAgency(app.db, { ...body, validHours: body.validHours ?? 72 });
      return reply.code(201).send({ ...admission, expiresAt: admission.expiresAt.toISOString() });
    },
  );

  app.post(
    ROUTES.agencies,
    {
      schema: {
        tags: ['identity'],
        summary: 'Agency administrator: register the agency root key with the admission code',
        body: AgencyRegistrationRequestSchema,
        response: { 201: AgencyRegisteredSchema },
      },
    },
    async (request, reply) => {
      const { admissionCode, registration } = request.body;
      return reply.code(201).send(await registerAgency(app.db, app.crypto, admissionCode, registration));
    },
  );

  app.get(ROUTES.agencies, { schema: { tags: ['identity'], summary: 'Agency directory', response: { 200: AgencyListSchema } } }, async () => {
    const rows = await app.db.select().from(agencies).orderBy(asc(agencies.id));
    return rows.map((a) => ({ id: a.id, kind: a.kind, names: { fr: a.nameFr, en: a.nameEn }, rootKey: a.rootKey, registration: a.registration }));
  });

  app.get(
    ROUTES.agency,
    { schema: { tags: ['identity'], summary: 'One agency and its root key', params: AgencyParamsSchema, response: { 200: AgencyViewSchema } } },
    async (request) => {
      const { agency } = request.params;
      const [a] = await app.db.select().from(agencies).where(eq(agencies.id, agency));
      if (!a) throw new VigieError('AGENCY_UNKNOWN');
      return { id: a.id, kind: a.kind, names: { fr: a.nameFr, en: a.nameEn }, rootKey: a.rootKey, registration: a.registration };
    },
  );

  app.post(
    ROUTES.agencyInboxes,
    {
      schema: {
        tags: ['identity'],
        summary: 'Register an inbox certified by the agency root key',
        params: AgencyParamsSchema,
        body: SignedInboxCertificateSchema,
        response: { 201: InboxRegisteredSchema, 200: InboxRegisteredSchema },
      },
    },
    async (request, reply) => {
      const { agency } = request.params;
      const result = await registerInbox(app.db, app.crypto, agency, request.body);
      return reply.code(result.created ? 201 : 200).send({ inbox: result.inbox });
    },
  );

  app.get(
    ROUTES.inbox,
    {
      schema: {
        tags: ['identity'],
        summary: 'An inbox and its certified encryption key',
        params: InboxParamsSchema,
        response: { 200: InboxViewSchema },
      },
    },
    async (request) => {
      const { agency, desk } = request.params;
      // The newest checkpoint sent along: the sender checks the certificate against it without asking for it.
      const [[row], checkpoint] = await Promise.all([inboxById(app.db).execute({ id: `${agency}/${desk}` }), app.disclosureLog.newestCheckpoint().catch(() => null)]);
      if (!row) throw new VigieError('INBOX_UNKNOWN');
      return { inbox: row.id, agency: row.agencyId, certificate: row.certificate as never, ...(checkpoint ? { checkpoint: checkpoint.note } : {}) };
    },
  );

  // The directory of an agency's desks, public like each inbox's certificate: a sender
  // chooses a recipient desk by its names; the key it encrypts to is still checked
  // against the root key its protocol names (clients/sdk/directory.ts).
  app.get(
    ROUTES.agencyInboxes,
    {
      schema: {
        tags: ['identity'],
        summary: 'The inboxes of an agency, with their names and current key version',
        params: AgencyParamsSchema,
        response: { 200: AgencyInboxListSchema },
      },
    },
    async (request) => {
      const { agency } = request.params;
      const [a] = await app.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, agency));
      if (!a) throw new VigieError('AGENCY_UNKNOWN');
      const rows = await app.db.select().from(inboxes).where(eq(inboxes.agencyId, agency)).orderBy(asc(inboxes.id));
      return rows.map((r) => ({ inbox: r.id, names: (r.certificate as { document: { names: { fr: string; en: string } } }).document.names, keyVersion: r.keyVersion }));
    },
  );

  app.post(
    ROUTES.agencyMembers,
    {
      schema: {
        tags: ['identity'],
        summary: 'Enrol a member device certified by the agency root key',
        params: AgencyParamsSchema,
        body: MemberEnrolmentSchema,
        response: { 201: MemberEnrolledSchema, 200: MemberEnrolledSchema },
      },
    },
    async (request, reply) => {
      const { agency } = request.params;
      const result = await registerMember(app.db, app.crypto, agency, request.body);
      return reply.code(result.created ? 201 : 200).send({ member: result.member });
    },
  );

  app.get(
    ROUTES.member,
    {
      schema: {
        tags: ['identity'],
        summary: 'A member device certificate (to verify a sender)',
        params: MemberParamsSchema,
        response: { 200: MemberViewSchema },
      },
    },
    async (request) => {
      const { member } = request.params;
      const [row] = await app.db.select().from(members).where(eq(members.id, member));
      if (!row) throw new VigieError('MEMBER_UNKNOWN');
      return { member: row.id, agency: row.agencyId, certificate: row.certificate as never, revokedAt: row.revokedAt?.toISOString() ?? null };
    },
  );

  app.get(
    ROUTES.myInboxKeys,
    {
      preValidation: app.requireMember(),
      schema: {
        tags: ['identity'],
        summary: 'Every inbox key version sealed to the authenticated device, with its certificate (the newest is the current key)',
        response: { 200: MyInboxKeysSchema },
      },
    },
    async (request) => {
      const member = request.member!;
      const rows = await app.db
        .select({ inbox: inboxKeyWraps.inboxId, keyVersion: inboxKeyWraps.keyVersion, wrappedKey: inboxKeyWraps.wrappedKey, certificate: inboxKeys.certificate })
        .from(inboxKeyWraps)
        .innerJoin(inboxKeys, and(eq(inboxKeys.inboxId, inboxKeyWraps.inboxId), eq(inboxKeys.keyVersion, inboxKeyWraps.keyVersion)))
        .where(eq(inboxKeyWraps.memberId, member.id))
        .orderBy(asc(inboxKeyWraps.inboxId), desc(inboxKeyWraps.keyVersion));
      // Only the inboxes the device still reads.
      return rows.filter((r) => member.inboxes.includes(r.inbox)).map((r) => ({ ...r, certificate: r.certificate as never }));
    },
  );

  app.get(
    ROUTES.inboxMembers,
    {
      schema: {
        tags: ['identity'],
        summary: 'The active member devices of an inbox and their certificates: those its administrator seals a new key to',
        params: InboxParamsSchema,
        response: { 200: InboxMembersSchema },
      },
    },
    async (request) => {
      const { agency, desk } = request.params;
      const [row] = await app.db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, `${agency}/${desk}`));
      if (!row) throw new VigieError('INBOX_UNKNOWN');
      return (await inboxMembers(app.db, row.id)).map((m) => ({ member: m.member, certificate: m.certificate as never }));
    },
  );

  app.post(
    ROUTES.inboxRotations,
    {
      schema: {
        tags: ['identity'],
        summary: 'A new inbox key certified by the agency root key and sealed to every remaining member (the next key version)',
        params: InboxParamsSchema,
        body: InboxRotationSchema,
        response: { 200: InboxRotatedSchema },
      },
    },
    async (request) => {
      const { agency, desk } = request.params;
      return rotateInbox(app.db, app.crypto, agency, `${agency}/${desk}`, request.body);
    },
  );

  app.post(
    ROUTES.agencyRevocations,
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke a member device (signed by the agency root key), rotating every inbox key it could read',
        params: AgencyParamsSchema,
        body: RevocationRequestSchema,
        response: { 200: RevokedSchema },
      },
    },
    async (request) => {
      const { agency } = request.params;
      const { rotations, ...signed } = request.body;
      const result = await revokeMember(app.db, app.crypto, agency, signed, rotations ?? []);
      await app.realtime.disconnectMember(result.member);
      return result;
    },
  );
};
