import { Type } from '@sinclair/typebox';
import fp from 'fastify-plugin';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** Liveness and readiness for load balancers and orchestrators. */
export const healthPlugin = fp(
  async (app) => {
    app.get('/healthz', { config: { rateLimit: false }, schema: { tags: ['operations'], summary: 'Process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
      status: 'ok' as const,
    }));

    const Check = Type.Union([Type.Literal('ok'), Type.Literal('down')]);
    app.get(
      '/readyz',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['operations'],
          summary: 'PostgreSQL and Redis reachable, migrations applied',
          response: {
            200: Type.Object({ status: Type.String(), postgres: Check, redis: Check, migrations: Check }),
            503: Type.Object({ status: Type.String(), postgres: Check, redis: Check, migrations: Check }),
          },
        },
      },
      async (_request, reply) => {
        const [postgres, redis, migrations] = await Promise.all([
          withTimeout(app.database.ping(), 2000).then(() => 'ok' as const, () => 'down' as const),
          withTimeout(app.redis.command.ping(), 2000).then(() => 'ok' as const, () => 'down' as const),
          withTimeout(app.database.migrationsApplied(), 2000).then((ok) => (ok ? ('ok' as const) : ('down' as const)), () => 'down' as const),
        ]);
        const ready = postgres === 'ok' && redis === 'ok' && migrations === 'ok';
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', postgres, redis, migrations });
      },
    );
  },
  { name: 'vigie-health', dependencies: ['vigie-db', 'vigie-redis'] },
);
