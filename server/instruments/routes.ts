import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InstrumentListSchema, InstrumentParamsSchema } from '../../protocol/api/catalogue.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { InstrumentSchema } from '../../protocol/instrument.js';
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
export const instrumentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    ROUTES.instruments,
    {
      schema: {
        tags: ['instruments'],
        summary: 'Risk instruments: id, version, titles, levels',
        response: { 200: InstrumentListSchema },
      },
    },
    async () => app.instruments.list().map((i) => ({ id: i.id, version: i.version, titles: i.titles, status: i.status, levels: i.levels.map((l) => l.id) })),
  );

  app.get(
    ROUTES.instrument,
    {
      schema: {
        tags: ['instruments'],
        summary: 'One risk instrument, whole',
        params: InstrumentParamsSchema,
        response: { 200: InstrumentSchema },
      },
    },
    async (request) => {
      const { id, version } = request.params;
      const found = app.instruments.get(id, version);
      if (!found) throw new VigieError('INSTRUMENT_UNKNOWN');
      return found;
    },
  );
};
