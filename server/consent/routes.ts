import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConsentListSchema, ConsentParamsSchema, ConsentQuerySchema } from '../../protocol/api/catalogue.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { ConsentInputSchema, ConsentViewSchema as ConsentView } from '../../protocol/consent.js';
import { getConsent, listConsents, recordConsent, revokeConsent } from './service.js';

/** Consents: recorded, revoked and listed by the agency serving the victim, for its own cases only. */
export const consentRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.post(
    ROUTES.consents,
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
      const { consent, created } = await recordConsent(app.db, request.member!, request.body);
      return reply.code(created ? 201 : 200).send(consent);
    },
  );

  app.post(
    ROUTES.consentRevocation,
    {
      preValidation: app.requireMember('sender', 'admin'),
      schema: { tags: ['consent'], summary: 'Revoke a consent, effective at once', params: ConsentParamsSchema, response: { 200: ConsentView } },
    },
    async (request) => revokeConsent(app.db, request.member!, request.params.id),
  );

  app.get(
    ROUTES.consents,
    {
      preValidation: app.requireMember('sender', 'admin', 'auditor'),
      schema: {
        tags: ['consent'],
        summary: 'The consents your agency recorded',
        querystring: ConsentQuerySchema,
        response: { 200: ConsentListSchema },
      },
    },
    async (request) => listConsents(app.db, request.member!, request.query),
  );

  app.get(
    ROUTES.consent,
    {
      preValidation: app.requireMember('sender', 'admin', 'auditor'),
      schema: { tags: ['consent'], summary: 'One consent your agency recorded', params: ConsentParamsSchema, response: { 200: ConsentView } },
    },
    async (request) => getConsent(app.db, request.member!, request.params.id),
  );
};
