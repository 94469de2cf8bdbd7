import fp from 'fastify-plugin';
import { LivenessSchema, ReadinessSchema } from '../../protocol/api/operations.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { orTimeout } from '../lib/settle.js';


/** Liveness and readiness for load balancers and orchestrators. */
export const healthPlugin = fp(
  async (app) => {
    app.get(ROUTES.healthz, { config: { rateLimit: false }, schema: { tags: ['operations'], summary: 'Process is alive', response: { 200: LivenessSchema } } }, async () => ({
      status: 'ok' as const,
    }));

    app.get(
      ROUTES.readyz,
      {
        config: { rateLimit: false },
        schema: {
          tags: ['operations'],
          summary: 'PostgreSQL and Redis reachable, migrations applied, disclosure log not halted',
          response: { 200: ReadinessSchema, 503: ReadinessSchema },
        },
      },
      async (_request, reply) => {
        const [postgres, redis, migrations] = await Promise.all([
          orTimeout(app.database.ping(), 2000).then(() => 'ok' as const, () => 'down' as const),
          orTimeout(app.redis.command.ping(), 2000).then(() => 'ok' as const, () => 'down' as const),
          orTimeout(app.database.migrationsApplied(), 2000).then((ok) => (ok ? ('ok' as const) : ('down' as const)), () => 'down' as const),
        ]);
        // A hub that cannot keep its record refuses messages, and says so here.
        const halt = app.hasDecorator('disclosureLog') ? app.disclosureLog.halt.status() : null;
        const log = halt?.halted ? ('halted' as const) : ('ok' as const);
        const witnesses = halt && halt.witnessAlarms.length > 0 ? ('alarm' as const) : ('ok' as const);
        const ready = postgres === 'ok' && redis === 'ok' && migrations === 'ok' && log === 'ok';
        return reply
          .code(ready ? 200 : 503)
          .send({ status: ready ? 'ready' : 'not_ready', postgres, redis, migrations, log, ...(halt?.halted ? { logHalt: halt.reasons } : {}), witnesses });
      },
    );
  },
  { name: 'vigie-health', dependencies: ['vigie-db', 'vigie-redis'] },
);
