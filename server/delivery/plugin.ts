import fp from 'fastify-plugin';
import type { Clock } from '../lib/clock.js';
import { DeliveryPipeline } from './pipeline.js';
import { Watchdog } from './watchdog.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The outbox, its relay and the delivery queue: owners register the handler of their topic. */
    delivery: DeliveryPipeline;
    /** The watchdog: owners register the scan of what they may leave overdue; `pass()` runs one now. */
    watchdog: Watchdog;
  }
}

export interface DeliveryPluginOptions {
  queuePrefix: string;
  outboxPollMs: number;
  watchdogIntervalMs: number;
  watchdogGraceMs: number;
  clock: Clock;
}

/** Delivery: the transactional outbox, its relay, the delivery queue's worker and the watchdog. */
export const deliveryPlugin = fp<DeliveryPluginOptions>(
  async (app, opts) => {
    const pipeline = new DeliveryPipeline({ db: app.db, connection: app.redis.bullConnection, prefix: opts.queuePrefix, log: app.log, outboxPollMs: opts.outboxPollMs });
    const watchdog = new Watchdog({
      clock: opts.clock,
      log: app.log,
      intervalMs: opts.watchdogIntervalMs,
      graceMs: opts.watchdogGraceMs,
      onBeat: (at, overdue) => app.metrics.watchdogBeat(at, overdue),
    });
    app.decorate('delivery', pipeline);
    app.decorate('watchdog', watchdog);
    app.metrics.addQueue('delivery', pipeline.queue);
    app.addHook('onReady', async () => {
      pipeline.start();
      watchdog.start();
    });
    app.addHook('onClose', async () => {
      watchdog.stop();
      await pipeline.close();
    });
  },
  { name: 'vigie-delivery', dependencies: ['vigie-db', 'vigie-redis', 'vigie-metrics'] },
);
