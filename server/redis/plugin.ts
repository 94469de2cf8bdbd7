import fp from 'fastify-plugin';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { settleWithin } from '../lib/settle.js';

declare module 'fastify' {
  interface FastifyInstance {
    redis: VigieRedis;
  }
}

export interface VigieRedis {
  /** Commands and publishing. Fails fast while Redis is down: PostgreSQL is the record. */
  command: Redis;
  /** Subscriber connection of the realtime gateway. */
  subscriber: Redis;
  /** Options BullMQ queues and workers connect with (they open their own connections). */
  bullConnection: ConnectionOptions;
  url: string;
}

function optionsFrom(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Reconnect forever with a capped backoff: workers and subscribers recover by themselves.
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  };
}

/** ioredis connections shared by the queues, the relay and the realtime gateway. */
export const redisPlugin = fp<{ redisUrl: string }>(
  async (app, { redisUrl }) => {
    const base = optionsFrom(redisUrl);
    const command = new Redis({ ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    const subscriber = new Redis({ ...base, maxRetriesPerRequest: null, lazyConnect: true });
    for (const [name, conn] of [['command', command], ['subscriber', subscriber]] as const) {
      let down = false;
      conn.on('error', (err: Error) => {
        if (!down) app.log.warn({ connection: name, err: err.message }, 'redis connection error');
        down = true;
      });
      conn.on('ready', () => {
        if (down) app.log.info({ connection: name }, 'redis connection restored');
        down = false;
      });
    }
    app.addHook('onClose', async () => {
      await Promise.all([settleWithin(command.quit(), 1000), settleWithin(subscriber.quit(), 1000)]);
      command.disconnect();
      subscriber.disconnect();
    });
    // The hub starts even when Redis is down: accepted messages wait in the outbox.
    await Promise.allSettled([command.connect(), subscriber.connect()]);
    app.decorate('redis', {
      command,
      subscriber,
      bullConnection: { ...base, maxRetriesPerRequest: null } as ConnectionOptions,
      url: redisUrl,
    });
  },
  { name: 'vigie-redis' },
);
