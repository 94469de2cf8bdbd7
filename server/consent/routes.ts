import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  AgencyIdSchema,
  CASE_REFERENCE_PATTERN,
  CODE_PATTERN,
  DATA_CATEGORY_PATTERN,
  Sha256Schema,
  TimestampSchema,
  UuidSchema,
} from '../../protocol/schemas.js';
import { getConsent, listConsents, recordConsent, revokeConsent, type ConsentInput } from './service.js';

const CaseSchema = Type.String({ pattern: CASE_REFERENCE_PATTERN, description: 'pseudonymous case reference, never a name' });
const ConsentView = Type.Object({
  id: Type.String(),
  agency: Type.String(),
  case: Type.String(),
  recipients: Type.Array(Type.String()),
  purposes: Type.Array(Type.String()),
  dataCategories: Type.Array(Type.String()),
  validFrom: Type.String(),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  evidenceHash: Type.String(),
  recordedBy: Type.String(),
  recordedAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union(['active', 'pending', 'expired', 'revoked'].map((s) => Type.Literal(s))),
});
const Params = Type.Object({ id: UuidSchema });

/** Consents: recorded, revoked and listed by the agency serving the victim, for its own cases only. */
export const consentRoutes: FastifyPluginAsync = async (app) => {
  // Consent events are log leaves: integrate them now rather than at the next tick.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'POST' && reply.statusCode < 300) app.disclosureLog.kick();
  });

  app.post(
    '/v1/consents',
    {
      preValidation: app.requireMember('sender', 'admin'),
      schema: {
        tags: ['consent'],
        summary: 'Record a victim’s consent (metadata and the hash of the signed evidence)',
        body: Type.Object(
          {
            id: UuidSchema,
            case: CaseSchema,
            recipients: Type.Array(AgencyIdSchema, { minItems: 1, maxItems: 32, uniqueItems: true }),
            purposes: Type.Array(Type.String({ pattern: CODE_PATTERN }), { minItems: 1, maxItems: 16, uniqueItems: true }),
            dataCategories: Type.Array(Type.String({ pattern: DATA_CATEGORY_PATTERN }), { minItems: 1, maxItems: 32, uniqueItems: true }),
            validFrom: Type.Optional(TimestampSchema),
            validUntil: Type.Optional(Type.Union([TimestampSchema, Type.Null()])),
            evidenceHash: Sha256Schema,
          },
          { additionalProperties: false },
        ),
        response: { 201: ConsentView, 200: ConsentView },
      },
    },
    async (request, reply) => {
      const { consent, created } = await recordConsent(app.db, request.member!, request.body as ConsentInput);
      return reply.code(created ? 201 : 200).send(consent);
    },
  );

  app.post(
    '/v1/consents/:id/revocation',
    {
      preValidation: app.requireMember('sender', 'admin'),
      schema: { tags: ['consent'], summary: 'Revoke a consent, effective at once', params: Params, response: { 200: ConsentView } },
    },
    async (request) => revokeConsent(app.db, request.member!, (request.params as { id: string }).id),
  );

  app.get(
    '/v1/consents',
    {
      preValidation: app.requireMember('sender', 'admin', 'auditor'),
      schema: {
        tags: ['consent'],
        summary: 'The consents your agency recorded',
        querystring: Type.Object(
          { case: Type.Optional(CaseSchema), state: Type.Optional(Type.Union(['active', 'pending', 'expired', 'revoked'].map((s) => Type.Literal(s)))) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ConsentView) },
      },
    },
    async (request) => listConsents(app.db, request.member!, request.query as { case?: string; state?: 'active' }),
  );

  app.get(
    '/v1/consents/:id',
    {
      preValidation: app.requireMember('sender', 'admin', 'auditor'),
      schema: { tags: ['consent'], summary: 'One consent your agency recorded', params: Params, response: { 200: ConsentView } },
    },
    async (request) => getConsent(app.db, request.member!, (request.params as { id: string }).id),
  );
};
