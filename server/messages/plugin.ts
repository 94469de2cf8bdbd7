import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RawServerDefault } from 'fastify';
import fp from 'fastify-plugin';
import { eq } from 'drizzle-orm';
import { MessageAcceptedSchema, MessageParamsSchema, MessageStatusSchema, ReceiptStoredSchema } from '../../protocol/api/messages.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { EnvelopeSchema, SignedReceiptSchema, type Envelope } from '../../protocol/schemas.js';
import { isVigieError, VigieError } from '../http/errors.js';
import { appendLeaf } from '../audit/append.js';
import { legalBasisRecord, messageRefusedLeaf } from '../audit/leaves.js';
import type { Db } from '../db/connect.js';
import type { ActiveMember } from '../auth/members.js';
import { acceptMessage } from './accept.js';
import { DeliveryPipeline } from './delivery.js';
import { EscalationEngine } from '../escalation/engine.js';
import { escalationProgress } from '../escalation/progress.js';
import { EscalationProgressSchema } from '../../protocol/escalation-chain.js';
import type { Clock } from '../lib/clock.js';
import type { DisclosurePolicy } from './hooks.js';
import { storeReceipt } from './receipts.js';
import { eraseExpired } from './retention.js';
import { InboxDirectory } from '../identity/inbox-directory.js';
import { deliveries, messages } from './tables.js';

declare module 'fastify' {
  interface FastifyInstance {
    delivery: DeliveryPipeline;
    escalation: EscalationEngine;
    /** One watchdog pass (tests call it after moving the injected clock). */
    watchdog(): Promise<{ deliveries: number; escalations: number }>;
    /** One retention sweep at the injected clock's time: erases what the protocols no longer allow to keep. */
    retention(): Promise<number>;
  }
}

export interface MessagesOptions {
  queuePrefix: string;
  outboxPollMs: number;
  watchdogIntervalMs: number;
  watchdogGraceMs: number;
  retentionSweepMs: number;
  clock: Clock;
  clockSkewSeconds: number;
  maxMessageAgeSeconds: number;
  policy: DisclosurePolicy;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const messagesPlugin = fp<MessagesOptions, RawServerDefault, TypeBoxTypeProvider>(
  async (app, opts) => {
    const policy = opts.policy;
    const pipeline = new DeliveryPipeline({
      db: app.db,
      connection: app.redis.bullConnection,
      prefix: opts.queuePrefix,
      log: app.log,
      publish: (inbox, event) => app.realtime.publish(inbox, event),
      outboxPollMs: opts.outboxPollMs,
      onPushed: (at) => app.metrics.observeDelivery((Date.now() - at.getTime()) / 1000),
    });
    const escalation = new EscalationEngine({
      db: app.db,
      connection: app.redis.bullConnection,
      prefix: opts.queuePrefix,
      log: app.log,
      clock: opts.clock,
      publish: (inbox, event) => app.realtime.publish(inbox, event),
      markPushed: (ref) => pipeline.marks.mark('notice', ref),
      onStep: (kind) => {
        app.metrics.escalationStep(kind);
        app.disclosureLog.kick();
      },
    });
    app.decorate('delivery', pipeline);
    app.decorate('escalation', escalation);
    app.metrics.addQueue('delivery', pipeline.queue);
    app.metrics.addQueue('escalation', escalation.queue);

    // The watchdog: every instance, every watchdogIntervalMs, re-drives what is overdue.
    let watching = false;
    async function watchdog() {
      if (watching) return { deliveries: 0, escalations: 0 };
      watching = true;
      try {
        const now = opts.clock.now();
        const deliveries = await pipeline.redriveOverdue(now, opts.watchdogGraceMs);
        const escalations = await escalation.runOverdue(opts.watchdogGraceMs);
        app.metrics.watchdogBeat(opts.clock.now(), { deliveries, escalations });
        return { deliveries, escalations };
      } finally {
        watching = false;
      }
    }
    app.decorate('watchdog', watchdog);
    // Retention: every instance sweeps; a batch skips the rows another instance holds.
    let sweeping = false;
    async function retention() {
      if (sweeping) return 0;
      sweeping = true;
      try {
        let erased = 0;
        for (let n = -1; n !== 0; erased += n) n = await eraseExpired(app.db, opts.clock.now());
        if (erased > 0) app.disclosureLog.kick();
        return erased;
      } finally {
        sweeping = false;
      }
    }
    app.decorate('retention', retention);
    let retentionTimer: NodeJS.Timeout | null = null;
    let watchdogTimer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      pipeline.start();
      escalation.start();
      watchdogTimer = setInterval(() => void watchdog().catch((err: Error) => app.log.warn({ err }, 'watchdog pass failed')), opts.watchdogIntervalMs);
      watchdogTimer.unref();
      retentionTimer = setInterval(() => void retention().catch((err: Error) => app.log.warn({ err }, 'retention sweep failed')), opts.retentionSweepMs);
      retentionTimer.unref();
    });
    app.addHook('onClose', async () => {
      if (watchdogTimer) clearInterval(watchdogTimer);
      if (retentionTimer) clearInterval(retentionTimer);
      await escalation.close();
      await pipeline.close();
    });

    const deps = { db: app.db, crypto: app.crypto, policy, directory: new InboxDirectory(), clockSkewSeconds: opts.clockSkewSeconds, maxMessageAgeSeconds: opts.maxMessageAgeSeconds };

    /** The message row if this member may see it: sender agency, or a member of a recipient inbox. */
    async function visibleMessage(member: ActiveMember, id: string) {
      const [message] = await app.db.select().from(messages).where(eq(messages.id, id));
      if (!message) throw new VigieError('MESSAGE_UNKNOWN');
      const rows = await app.db.select().from(deliveries).where(eq(deliveries.messageId, id));
      const allowed = message.senderAgency === member.agencyId || rows.some((r) => member.inboxes.includes(r.inboxId));
      // Not 403: whether a message exists is itself information.
      if (!allowed) throw new VigieError('MESSAGE_UNKNOWN');
      return { message, rows };
    }

    app.post(
      ROUTES.messages,
      {
        preValidation: app.requireMember('sender'),
        schema: {
          tags: ['messages'],
          summary: 'Submit an end-to-end encrypted, signed envelope',
          body: EnvelopeSchema,
          response: { 202: MessageAcceptedSchema },
        },
      },
      async (request, reply) => {
        // Nothing is accepted that the log could not record (tampered tree, witnesses refusing): 503 LOG_HALTED.
        app.disclosureLog.halt.assertAccepting();
        const envelope = request.body;
        let accepted;
        try {
          accepted = await acceptMessage(deps, request.member!, envelope, opts.clock.now());
        } catch (err) {
          // A refusal is a disclosure decision too: it goes on the record, with its reason.
          // Recording it must never turn the refusal into a 500: a failure is logged (never the envelope), the refusal still answered.
          if (isVigieError(err) && err.status < 500) {
            await recordRefusal(app.db, request.member!, envelope, err).catch((e: unknown) => request.log.error({ err: e, code: err.code }, 'refusal not recorded'));
          }
          app.disclosureLog.kick();
          throw err;
        }
        app.disclosureLog.kick();
        // Durable first (the transaction committed), then fast: the relay covers a failed enqueue.
        if (!accepted.duplicate) {
          void pipeline.dispatch('deliver', accepted.id);
          for (const e of accepted.escalations) void escalation.schedule(accepted.id, e.inbox, 0, e.activeId, e.at);
        }
        return reply.code(202).send({ id: accepted.id, acceptedAt: accepted.acceptedAt.toISOString(), duplicate: accepted.duplicate });
      },
    );

    app.get(
      ROUTES.message,
      {
        preValidation: app.requireMember(),
        schema: { tags: ['messages'], summary: 'The envelope of a message', params: MessageParamsSchema, response: { 200: EnvelopeSchema } },
      },
      async (request) => {
        const { message } = await visibleMessage(request.member!, request.params.id);
        if (message.erasedAt) throw new VigieError('MESSAGE_ERASED');
        return { header: message.header as Envelope['header'], signature: message.signature, ciphertext: message.ciphertext };
      },
    );

    app.get(
      ROUTES.messageStatus,
      {
        preValidation: app.requireMember(),
        schema: { tags: ['messages'], summary: 'Delivery and acknowledgement of each recipient inbox', params: MessageParamsSchema, response: { 200: MessageStatusSchema } },
      },
      async (request) => {
        const member = request.member!;
        const { message, rows } = await visibleMessage(member, request.params.id);
        // The sender's agency sees every recipient; a recipient agency only its own inboxes and devices.
        const shown = message.senderAgency === member.agencyId ? rows : rows.filter((r) => r.inboxId.startsWith(`${member.agencyId}/`));
        return {
          id: message.id,
          type: message.type,
          acceptedAt: message.acceptedAt.toISOString(),
          recipients: shown
            .sort((a, b) => a.inboxId.localeCompare(b.inboxId))
            .map((r) => ({
              inbox: r.inboxId,
              state: r.acknowledgedAt ? ('acknowledged' as const) : r.deliveredAt ? ('delivered' as const) : r.pushedAt ? ('pushed' as const) : ('accepted' as const),
              pushedAt: iso(r.pushedAt),
              deliveredAt: iso(r.deliveredAt),
              deliveredBy: r.deliveredBy,
              acknowledgedAt: iso(r.acknowledgedAt),
              acknowledgedBy: r.acknowledgedBy,
            })),
        };
      },
    );

    app.get(
      ROUTES.messageEscalation,
      {
        preValidation: app.requireMember(),
        schema: {
          tags: ['messages'],
          summary: 'Where the acknowledgement deadline and escalation chain of each recipient stand',
          description:
            'For the sender’s agency (every recipient), a member of a recipient inbox (its own agency’s recipients), or a member of an inbox the chain has notified (the chains that reached it). Metadata only.',
          params: MessageParamsSchema,
          response: { 200: EscalationProgressSchema },
        },
      },
      async (request) => escalationProgress(app.db, request.member!, request.params.id),
    );

    app.post(
      ROUTES.messageReceipts,
      {
        preValidation: app.requireMember('receiver'),
        schema: {
          tags: ['messages'],
          summary: 'A signed receipt: delivered (device) or acknowledged (person)',
          params: MessageParamsSchema,
          body: SignedReceiptSchema,
          response: { 200: ReceiptStoredSchema },
        },
      },
      async (request) => {
        const stored = await storeReceipt(deps, request.member!, request.params.id, request.body, opts.clock.now());
        if (stored) {
          app.disclosureLog.kick();
          void pipeline.dispatch('receipt', stored.ref);
          if (stored.kind === 'acknowledged') app.metrics.observeAcknowledgement((stored.at.getTime() - stored.acceptedAt.getTime()) / 1000);
        }
        return { stored: stored !== null };
      },
    );
  },
  { name: 'vigie-messages', dependencies: ['vigie-db', 'vigie-redis', 'vigie-auth', 'vigie-crypto', 'vigie-realtime', 'vigie-audit', 'vigie-metrics'] },
);

async function recordRefusal(db: Db, member: ActiveMember, envelope: Envelope, err: VigieError): Promise<void> {
  const h = envelope.header;
  await appendLeaf(
    db,
    messageRefusedLeaf(
      {
        message: h.id,
        messageType: h.type,
        sender: { agency: member.agencyId, member: member.id, inbox: h.sender.inbox },
        declaredRecipients: h.recipients,
        protocol: h.protocol ?? null,
        legalBasis: legalBasisRecord(h.legalBasis, null),
        dataCategories: h.dataCategories,
        reason: err.code,
        detail: err.detail ?? null,
      },
      new Date(),
    ),
  );
}
