import { holdsSecret } from '../auth/bearer.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { and, asc, desc, eq } from 'drizzle-orm';
import {
  AgencyIdSchema,
  AgencyKindSchema,
  B64uSchema,
  InboxIdSchema,
  NamesSchema,
  SignedAgencyRegistrationSchema,
  SignedInboxCertificateSchema,
  SignedMemberCertificateSchema,
  SignedMemberRevocationSchema,
  UuidSchema,
} from '../../protocol/schemas.js';
import { VigieError } from '../http/errors.js';
import { agencies, inboxes, inboxKeys, inboxKeyWraps, members } from './tables.js';
import { invitationRoutes } from './invitations.js';
import { agencyReadRoutes } from './agency-reads.js';
import { admitAgency, inboxMembers, registerAgency, registerInbox, registerMember, revokeMember, rotateInbox, type InboxRotation } from './service.js';


export interface IdentityOptions {
  operatorToken: string;
}

const AgencyParams = Type.Object({ agency: AgencyIdSchema });
const InboxParams = Type.Object({ agency: AgencyIdSchema, desk: AgencyIdSchema });
/** A new inbox key: its certificate (next version) and the key sealed to each remaining member device. */
const RotationSchema = Type.Object(
  {
    certificate: SignedInboxCertificateSchema,
    wraps: Type.Array(Type.Object({ member: UuidSchema, wrappedKey: B64uSchema(128) }, { additionalProperties: false }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
const AgencyView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  names: NamesSchema,
  rootKey: Type.String(),
  registration: Type.Unknown(),
});

/** Agencies, inboxes and members: every key is certified by its agency's root key, checked here. */
export const identityRoutes: FastifyPluginAsync<IdentityOptions> = async (app, opts) => {
  await app.register(invitationRoutes);
  await app.register(agencyReadRoutes);

  const isOperator = holdsSecret(opts.operatorToken);
  const requireOperator = async (request: FastifyRequest) => {
    if (!isOperator(request)) throw new VigieError('OPERATOR_TOKEN_INVALID');
  };

  app.post(
    '/v1/admissions',
    {
      preValidation: requireOperator,
      schema: {
        tags: ['identity'],
        summary: 'Hub operator: admit a new agency once (one-time registration code)',
        body: Type.Object(
          {
            agency: AgencyIdSchema,
            kind: AgencyKindSchema,
            names: NamesSchema,
            validHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ agency: Type.String(), code: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const body = request.body as { agency: string; kind: string; names: { fr: string; en: string }; validHours?: number };
      const admission = await admitAgency(app.db, { ...body, validHours: body.validHours ?? 72 });
      return reply.code(201).send({ ...admission, expiresAt: admission.expiresAt.toISOString() });
    },
  );

  app.post(
    '/v1/agencies',
    {
      schema: {
        tags: ['identity'],
        summary: 'Agency administrator: register the agency root key with the admission code',
        body: Type.Object(
          { admissionCode: Type.String({ minLength: 16, maxLength: 64 }), registration: SignedAgencyRegistrationSchema },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ agency: Type.String() }) },
      },
    },
    async (request, reply) => {
      const body = request.body as { admissionCode: string; registration: Parameters<typeof registerAgency>[3] };
      return reply.code(201).send(await registerAgency(app.db, app.crypto, body.admissionCode, body.registration));
    },
  );

  app.get('/v1/agencies', { schema: { tags: ['identity'], summary: 'Agency directory', response: { 200: Type.Array(AgencyView) } } }, async () => {
    const rows = await app.db.select().from(agencies).orderBy(asc(agencies.id));
    return rows.map((a) => ({ id: a.id, kind: a.kind, names: { fr: a.nameFr, en: a.nameEn }, rootKey: a.rootKey, registration: a.registration }));
  });

  app.get(
    '/v1/agencies/:agency',
    { schema: { tags: ['identity'], summary: 'One agency and its root key', params: AgencyParams, response: { 200: AgencyView } } },
    async (request) => {
      const { agency } = request.params as { agency: string };
      const [a] = await app.db.select().from(agencies).where(eq(agencies.id, agency));
      if (!a) throw new VigieError('AGENCY_UNKNOWN');
      return { id: a.id, kind: a.kind, names: { fr: a.nameFr, en: a.nameEn }, rootKey: a.rootKey, registration: a.registration };
    },
  );

  app.post(
    '/v1/agencies/:agency/inboxes',
    {
      schema: {
        tags: ['identity'],
        summary: 'Register an inbox certified by the agency root key',
        params: AgencyParams,
        body: SignedInboxCertificateSchema,
        response: { 201: Type.Object({ inbox: Type.String() }), 200: Type.Object({ inbox: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { agency } = request.params as { agency: string };
      const result = await registerInbox(app.db, app.crypto, agency, request.body as Parameters<typeof registerInbox>[3]);
      return reply.code(result.created ? 201 : 200).send({ inbox: result.inbox });
    },
  );

  app.get(
    '/v1/inboxes/:agency/:desk',
    {
      schema: {
        tags: ['identity'],
        summary: 'An inbox and its certified encryption key',
        params: Type.Object({ agency: AgencyIdSchema, desk: AgencyIdSchema }),
        response: { 200: Type.Object({ inbox: Type.String(), agency: Type.String(), certificate: SignedInboxCertificateSchema }) },
      },
    },
    async (request) => {
      const { agency, desk } = request.params as { agency: string; desk: string };
      const [row] = await app.db.select().from(inboxes).where(eq(inboxes.id, `${agency}/${desk}`));
      if (!row) throw new VigieError('INBOX_UNKNOWN');
      return { inbox: row.id, agency: row.agencyId, certificate: row.certificate as never };
    },
  );

  // The directory of an agency's desks, public like each inbox's certificate: a sender
  // chooses a recipient desk by its names; the key it encrypts to is still checked
  // against the root key its protocol names (clients/sdk/directory.ts).
  app.get(
    '/v1/agencies/:agency/inboxes',
    {
      schema: {
        tags: ['identity'],
        summary: 'The inboxes of an agency, with their names and current key version',
        params: AgencyParams,
        response: { 200: Type.Array(Type.Object({ inbox: Type.String(), names: NamesSchema, keyVersion: Type.Integer() })) },
      },
    },
    async (request) => {
      const { agency } = request.params as { agency: string };
      const [a] = await app.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, agency));
      if (!a) throw new VigieError('AGENCY_UNKNOWN');
      const rows = await app.db.select().from(inboxes).where(eq(inboxes.agencyId, agency)).orderBy(asc(inboxes.id));
      return rows.map((r) => ({ inbox: r.id, names: (r.certificate as { document: { names: { fr: string; en: string } } }).document.names, keyVersion: r.keyVersion }));
    },
  );

  app.post(
    '/v1/agencies/:agency/members',
    {
      schema: {
        tags: ['identity'],
        summary: 'Enrol a member device certified by the agency root key',
        params: AgencyParams,
        body: Type.Object(
          {
            certificate: SignedMemberCertificateSchema,
            inboxKeys: Type.Array(Type.Object({ inbox: InboxIdSchema, wrappedKey: B64uSchema(128) }, { additionalProperties: false }), {
              maxItems: 64,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ member: Type.String() }), 200: Type.Object({ member: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { agency } = request.params as { agency: string };
      const result = await registerMember(app.db, app.crypto, agency, request.body as Parameters<typeof registerMember>[3]);
      return reply.code(result.created ? 201 : 200).send({ member: result.member });
    },
  );

  app.get(
    '/v1/members/:member',
    {
      schema: {
        tags: ['identity'],
        summary: 'A member device certificate (to verify a sender)',
        params: Type.Object({ member: UuidSchema }),
        response: {
          200: Type.Object({ member: Type.String(), agency: Type.String(), certificate: SignedMemberCertificateSchema, revokedAt: Type.Union([Type.String(), Type.Null()]) }),
        },
      },
    },
    async (request) => {
      const { member } = request.params as { member: string };
      const [row] = await app.db.select().from(members).where(eq(members.id, member));
      if (!row) throw new VigieError('MEMBER_UNKNOWN');
      return { member: row.id, agency: row.agencyId, certificate: row.certificate as never, revokedAt: row.revokedAt?.toISOString() ?? null };
    },
  );

  app.get(
    '/v1/me/inbox-keys',
    {
      preValidation: app.requireMember(),
      schema: {
        tags: ['identity'],
        summary: 'Every inbox key version sealed to the authenticated device, with its certificate (the newest is the current key)',
        response: {
          200: Type.Array(Type.Object({ inbox: Type.String(), keyVersion: Type.Integer(), wrappedKey: Type.String(), certificate: SignedInboxCertificateSchema })),
        },
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
    '/v1/inboxes/:agency/:desk/members',
    {
      schema: {
        tags: ['identity'],
        summary: 'The active member devices of an inbox and their certificates: those its administrator seals a new key to',
        params: InboxParams,
        response: { 200: Type.Array(Type.Object({ member: Type.String(), certificate: SignedMemberCertificateSchema })) },
      },
    },
    async (request) => {
      const { agency, desk } = request.params as { agency: string; desk: string };
      const [row] = await app.db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, `${agency}/${desk}`));
      if (!row) throw new VigieError('INBOX_UNKNOWN');
      return (await inboxMembers(app.db, row.id)).map((m) => ({ member: m.member, certificate: m.certificate as never }));
    },
  );

  app.post(
    '/v1/inboxes/:agency/:desk/rotations',
    {
      schema: {
        tags: ['identity'],
        summary: 'A new inbox key certified by the agency root key and sealed to every remaining member (the next key version)',
        params: InboxParams,
        body: RotationSchema,
        response: { 200: Type.Object({ inbox: Type.String(), keyVersion: Type.Integer() }) },
      },
    },
    async (request) => {
      const { agency, desk } = request.params as { agency: string; desk: string };
      return rotateInbox(app.db, app.crypto, agency, `${agency}/${desk}`, request.body as InboxRotation);
    },
  );

  app.post(
    '/v1/agencies/:agency/revocations',
    {
      schema: {
        tags: ['identity'],
        summary: 'Revoke a member device (signed by the agency root key), rotating every inbox key it could read',
        params: AgencyParams,
        body: Type.Object(
          { ...SignedMemberRevocationSchema.properties, rotations: Type.Optional(Type.Array(RotationSchema, { maxItems: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ member: Type.String(), rotated: Type.Array(Type.String()) }) },
      },
    },
    async (request) => {
      const { agency } = request.params as { agency: string };
      const { rotations, ...signed } = request.body as Parameters<typeof revokeMember>[3] & { rotations?: InboxRotation[] };
      const result = await revokeMember(app.db, app.crypto, agency, signed, rotations ?? []);
      await app.realtime.disconnectMember(result.member);
      return result;
    },
  );
};
