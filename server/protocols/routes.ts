import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ProtocolRetirementSchema, ProtocolViewSchema as ProtocolView, SignedProtocolSchema, type ProtocolRetirement, type SignedProtocol } from '../../protocol/protocol-document.js';
import { ProtocolIdSchema, Signed, type SignedDocument } from '../../protocol/schemas.js';
import { listProtocols, protocolViews, retireProtocol, signedProtocol, submitProtocol } from './service.js';

/**
 * Protocols: parties submit a version with the root-key signatures they
 * gathered; it is in force once every party signed, from its effective date.
 * Agreements between public bodies are public, like the agency directory.
 */
export const protocolRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/protocols',
    {
      schema: {
        tags: ['protocols'],
        summary: 'Submit a protocol version with party root-key signatures (adds to those already stored)',
        body: SignedProtocolSchema,
        response: { 200: ProtocolView },
      },
    },
    async (request) => submitProtocol(app.db, app.crypto, request.body as SignedProtocol, app.instruments),
  );

  app.get('/v1/protocols', { schema: { tags: ['protocols'], summary: 'Every protocol version and its status', response: { 200: Type.Array(ProtocolView) } } }, async () =>
    listProtocols(app.db),
  );

  app.get(
    '/v1/protocols/:id',
    {
      schema: { tags: ['protocols'], summary: 'The versions of one protocol', params: Type.Object({ id: ProtocolIdSchema }), response: { 200: Type.Array(ProtocolView) } },
    },
    async (request) => protocolViews(app.db, (request.params as { id: string }).id),
  );

  app.get(
    '/v1/protocols/:id/:version',
    {
      schema: {
        tags: ['protocols'],
        summary: 'One version: the exact document and the party signatures',
        params: Type.Object({ id: ProtocolIdSchema, version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        response: { 200: SignedProtocolSchema },
      },
    },
    async (request) => {
      const { id, version } = request.params as { id: string; version: number };
      return signedProtocol(app.db, id, version);
    },
  );

  app.post(
    '/v1/protocols/:id/retirement',
    {
      schema: {
        tags: ['protocols'],
        summary: 'A party retires a protocol (signed by its root key): no new message under any version',
        params: Type.Object({ id: ProtocolIdSchema }),
        body: Signed(ProtocolRetirementSchema),
        response: { 200: Type.Array(ProtocolView) },
      },
    },
    async (request) => retireProtocol(app.db, app.crypto, (request.params as { id: string }).id, request.body as SignedDocument<ProtocolRetirement>),
  );
};
