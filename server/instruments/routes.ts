import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { InstrumentSchema } from '../../protocol/instrument.js';
import { INSTRUMENT_ID_PATTERN } from '../../protocol/schemas.js';
import { VigieError } from '../http/errors.js';
import { PATHS } from '../paths.js';
import type { InstrumentRegistry } from './registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    instruments: InstrumentRegistry;
  }
}

export const DEFAULT_INSTRUMENTS_DIR = PATHS.instruments;

/** The risk instruments the hub enforces levels of: public, like protocols. */
export const instrumentRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/v1/instruments',
    {
      schema: {
        tags: ['instruments'],
        summary: 'Risk instruments: id, version, titles, levels',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              version: Type.Integer(),
              titles: Type.Object({ fr: Type.String(), en: Type.String() }),
              status: Type.String(),
              levels: Type.Array(Type.String()),
            }),
          ),
        },
      },
    },
    async () => app.instruments.list().map((i) => ({ id: i.id, version: i.version, titles: i.titles, status: i.status, levels: i.levels.map((l) => l.id) })),
  );

  app.get(
    '/v1/instruments/:id/:version',
    {
      schema: {
        tags: ['instruments'],
        summary: 'One risk instrument, whole',
        params: Type.Object({ id: Type.String({ pattern: INSTRUMENT_ID_PATTERN }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }),
        response: { 200: InstrumentSchema },
      },
    },
    async (request) => {
      const { id, version } = request.params as { id: string; version: number };
      const found = app.instruments.get(id, version);
      if (!found) throw new VigieError('INSTRUMENT_UNKNOWN');
      return found;
    },
  );
};
