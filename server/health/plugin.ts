import { Type } from '@sinclair/typebox';
import fp from 'fastify-plugin';
import { orTimeout } from '../lib/settle.js';


/** Liveness and readiness for load balancers and orchestrators. */
export const healthPlugin = fp(
  async (app) => {
    app.get('/healthz', { config: { rateLimit: false }, schema: { tags: ['operations'], summary: 'Process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));

    const Check = Type.Union([Type.Literal('ok'), Type.Literal('down')]);
    const Ready = Type.Object({
      status: Type.String(),
      postgres: Check,
      redis: Check,
      migrations: Check,
      /** `halted` while new messages are refused (503 LOG_HALTED); `logHalt` says why. */
      log: Type.Union([Type.Literal('ok'), Type.Literal('halted')]),
      logHalt: Type.Optional(Type.Array(Type.String())),
      /** `alarm` while a configured witness has refused a checkpoint as a fork or an invalid proof. */
      witnesses: Type.Union([Type.Literal('ok'), Type.Literal('alarm')]),
    });
    app.get(
      '/readyz',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['operations'],
          summary: 'PostgreSQL and Redis reachable, migrations applied, disclosure log not halted',
          response: { 200: Ready, 503: Ready },
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
