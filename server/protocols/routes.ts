import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProtocolParamsSchema, ProtocolVersionParamsSchema, ProtocolViewListSchema } from '../../protocol/api/catalogue.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { ProtocolRetirementSchema, ProtocolViewSchema as ProtocolView, SignedProtocolSchema } from '../../protocol/protocol-document.js';
import { Signed } from '../../protocol/schemas.js';
import { listProtocols, protocolViews, retireProtocol, signedProtocol, submitProtocol } from './service.js';

/**
 * Protocols: parties submit a version with the root-key signatures they
 * gathered; it is in force once every party signed, from its effective date.
 * Agreements between public bodies are public, like the agency directory.
 */
export const protocolRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    ROUTES.protocols,
    {
      schema: {
        tags: ['protocols'],
        summary: 'Submit a protocol version with party root-key signatures (adds to those already stored)',
        body: SignedProtocolSchema,
        response: { 200: ProtocolView },
      },
    },
    async (request) => submitProtocol(app.db, app.crypto, request.body, app.instruments),
  );

  app.get(ROUTES.protocols, { schema: { tags: ['protocols'], summary: 'Every protocol version and its status', response: { 200: ProtocolViewListSchema } } }, async () =>
    listProtocols(app.db),
  );

  app.get(
    ROUTES.protocol,
    {
      schema: { tags: ['protocols'], summary: 'The versions of one protocol', params: ProtocolParamsSchema, response: { 200: ProtocolViewListSchema } },
    },
    async (request) => protocolViews(app.db, request.params.id),
  );

  app.get(
    ROUTES.protocolVersion,
    {
      schema: {
        tags: ['protocols'],
        summary: 'One version: the exact document and the party signatures',
        params: ProtocolVersionParamsSchema,
        response: { 200: SignedProtocolSchema },
      },
    },
    async (request) => {
      const { id, version } = request.params;
      return signedProtocol(app.db, id, version);
    },
  );

  app.post(
    ROUTES.protocolRetirement,
    {
      schema: {
        tags: ['protocols'],
        summary: 'A party retires a protocol (signed by its root key): no new message under any version',
        params: ProtocolParamsSchema,
        body: Signed(ProtocolRetirementSchema),
        response: { 200: ProtocolViewListSchema },
      },
    },
    async (request) => retireProtocol(app.db, app.crypto, request.params.id, request.body),
  );
};
