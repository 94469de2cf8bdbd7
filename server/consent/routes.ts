import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { UuidSchema } from '../../protocol/schemas.js';
import { CaseReferenceSchema, ConsentInputSchema, ConsentStateSchema, ConsentViewSchema as ConsentView, type ConsentInput } from '../../protocol/consent.js';
import { getConsent, listConsents, recordConsent, revokeConsent } from './service.js';

const Params = Type.Object({ id: UuidSchema });

/** Consents: recorded, revoked and listed by the agency serving the victim, for its own cases only. */
export const consentRoutes: FastifyPluginAsync = async (app) => {

  app.post(
    '/v1/consents',
    {
      preValidation: app.requireMember('sender', 'admin'),
      schema: {
        tags: ['consent'],
        summary: 'Record a victim’s consent (metadata and the hash of the signed evidence)',
        body: ConsentInputSchema,
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
          { case: Type.Optional(CaseReferenceSchema), state: Type.Optional(ConsentStateSchema) },
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
