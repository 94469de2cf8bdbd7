import fp from 'fastify-plugin';
import type { Clock } from '../lib/clock.js';
import { noticeEventsOfStep } from '../realtime/feed.js';
import { EscalationEngine } from './engine.js';

declare module 'fastify' {
  interface FastifyInstance {
    escalation: EscalationEngine;
  }
}

export interface EscalationPluginOptions {
  clock: Clock;
  pollMs: number;
}

/**
 * Escalation: runs the chains messages/ starts (chains.ts) when their steps
 * are due, pushes their notices through realtime, and re-pushes them from
 * the outbox (topic `notice`) when a push failed.
 */
export const escalationPlugin = fp<EscalationPluginOptions>(
  async (app, opts) => {
    const engine = new EscalationEngine({
      db: app.db,
      log: app.log,
      clock: opts.clock,
      pollMs: opts.pollMs,
      publish: (inbox, event) => app.realtime.publish(inbox, event),
      markPushed: (ref) => app.delivery.marks.mark(ref),
      onStep: (kind) => app.metrics.escalationStep(kind),
    });
    app.decorate('escalation', engine);
    app.delivery.handle('notice', async (ref) => engine.publishUnlessAcknowledged([ref], await noticeEventsOfStep(app.db, ref.message, ref.inbox, ref.step)));
    app.watchdog.watch('escalations', (_now, graceMs) => engine.runDue(graceMs));
    app.addHook('onReady', async () => engine.start());
    app.addHook('onClose', async () => engine.close());
  },
  { name: 'vigie-escalation', dependencies: ['vigie-db', 'vigie-delivery', 'vigie-realtime', 'vigie-disclosure-log', 'vigie-metrics'] },
);
