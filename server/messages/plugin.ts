import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest, RawServerDefault } from 'fastify';
import fp from 'fastify-plugin';
import { eq } from 'drizzle-orm';
import { MessageAcceptedSchema, MessageParamsSchema, MessageStatusSchema, ReceiptStoredSchema } from '../../protocol/api/messages.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { EnvelopeSchema, SignedReceiptSchema, type Envelope } from '../../protocol/schemas.js';
import { isVigieError, VigieError } from '../http/errors.js';
import { appendLeaf } from '../disclosure-log/append.js';
import { legalBasisRecord, messageRefusedLeaf } from '../disclosure-log/leaves.js';
import type { Db } from '../db/connect.js';
import type { ActiveMember } from '../auth/members.js';
import { acceptMessage, SenderChanged } from './accept.js';
import { escalationProgress } from './escalation-progress.js';
import { MessagePush, redriveUnpushed } from './push.js';
import { EscalationProgressSchema } from '../../protocol/escalation-chain.js';
import type { Clock } from '../lib/clock.js';
import type { DisclosurePolicy } from './hooks.js';
import { storeReceipt } from './receipts.js';
import { eraseExpired } from './retention.js';
import { InboxDirectory } from '../identity/inbox-directory.js';
import { deliveries, messages } from './tables.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** One retention sweep at the injected clock's time: erases what the protocols no longer allow to keep. */
    retention(): Promise<number>;
  }
}

export interface MessagesOptions {
  retentionSweepMs: number;
  /** Acceptances in flight on this instance beyond which a new one is refused at once (HUB_BUSY). */
  maxAcceptsInFlight: number;
  clock: Clock;
  clockSkewSeconds: number;
  maxMessageAgeSeconds: number;
  policy: DisclosurePolicy;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const messagesPlugin = fp<MessagesOptions, RawServerDefault, TypeBoxTypeProvider>(
  async (app, opts) => {
    const policy = opts.policy;
    const pipeline = app.delivery;
    const push = new MessagePush({
      db: app.db,
      log: app.log,
      publish: (inbox, event) => app.realtime.publish(inbox, event),
      markDispatched: (ref) => pipeline.marks.mark(ref),
      onPushed: (seconds) => app.metrics.observeDelivery(seconds),
      newestCheckpoint: async () => (await app.disclosureLog.newestCheckpoint()).note,
    });
    pipeline.handle('deliver', (ref) => push.deliver(ref));
    pipeline.handle('receipt', (ref) => push.receipt(ref));
    // What this instance pushed and has yet to record (a batch under way) is recorded before the scan judges it unpushed.
    app.watchdog.watch('deliveries', async (now, graceMs) => {
      await push.flush();
      return redriveUnpushed(app.db, now, graceMs, (ref) => pipeline.redrive(ref));
    });

    // Retention: every instance sweeps; a batch skips the rows another instance holds.
    let sweeping = false;
    async function retention() {
      if (sweeping) return 0;
      sweeping = true;
      try {
        let erased = 0;
        for (let n = -1; n !== 0; erased += n) n = await eraseExpired(app.db, opts.clock.now());
        return erased;
      } finally {
        sweeping = false;
      }
    }
    app.decorate('retention', retention);
    let retentionTimer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      retentionTimer = setInterval(() => void retention().catch((err: Error) => app.log.warn({ err }, 'retention sweep failed')), opts.retentionSweepMs);
      retentionTimer.unref();
    });
    app.addHook('onClose', async () => {
      if (retentionTimer) clearInterval(retentionTimer);
      await push.flush();
    });

    let inFlight = 0;
    const deps = { db: app.db, log: app.log, crypto: app.crypto, policy, directory: new InboxDirectory(), clockSkewSeconds: opts.clockSkewSeconds, maxMessageAgeSeconds: opts.maxMessageAgeSeconds };

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

    /** Accepts the request's envelope for its sender, within this instance's capacity; a refusal goes on the record. */
    const accept = async (request: FastifyRequest, envelope: Envelope) => {
      // Nothing is accepted that the log could not record (tampered tree, witnesses refusing): 503 LOG_HALTED.
      app.disclosureLog.halt.assertAccepting();
      // Beyond capacity, a prompt refusal the client retries, not a wait of seconds for a connection.
      if (inFlight >= opts.maxAcceptsInFlight) {
        app.metrics.acceptShed();
        throw new VigieError('HUB_BUSY');
      }
      inFlight++;
      try {
        return await acceptMessage(deps, request.member!, request.memberRow!.version, envelope, opts.clock.now());
      } catch (err) {
        // A refusal is a disclosure decision too: it goes on the record, with its reason (never the envelope in the operator's log).
        // Recording it must never turn the refusal into a 500: a failure is logged, the refusal still answered.
        // Not INBOX_KEY_ROTATED: no decision on the message, whose sender seals it again to the current key (same id).
        if (isVigieError(err) && err.status < 500 && err.code !== 'INBOX_KEY_ROTATED') {
          // Only a sender whose row is still the one read: a revoked device's refusal is MEMBER_REVOKED, not on the record.
          if (!request.memberRow!.fresh) await app.recheckMember(request);
          await recordRefusal(app.db, request.member!, envelope, err).catch((e: unknown) => request.log.error({ err: e, code: err.code }, 'refusal not recorded'));
        }
        throw err;
      } finally {
        inFlight--;
      }
    };

    app.post(
      ROUTES.messages,
      {
        // The sender as this instance last read it: the acceptance statement checks its row again.
        preValidation: app.requireMemberRechecked('sender'),
        attachValidation: true,
        schema: {
          tags: ['messages'],
          summary: 'Submit an end-to-end encrypted, signed envelope',
          body: EnvelopeSchema,
          response: { 202: MessageAcceptedSchema },
        },
      },
      async (request, reply) => {
        // No answer but a new message's 202 is given on the word of the sender's row as read before (requireMemberRechecked):
        // a revoked device hears MEMBER_REVOKED, not why its envelope would be refused nor that it was a duplicate.
        // A 503 (busy, log halted) says nothing of the sender and stays cheap.
        const freshSender = async () => {
          if (!request.memberRow!.fresh) await app.recheckMember(request);
        };
        let accepted;
        try {
          if (request.validationError) throw request.validationError;
          accepted = await accept(request, request.body).catch(async (err: unknown) => {
            if (!(err instanceof SenderChanged)) throw err;
            // The sender's row changed since it was read: read again (MEMBER_REVOKED, ROLE_REQUIRED), then once more on that version.
            await app.recheckMember(request);
            return accept(request, request.body).catch((again: unknown) => {
              throw again instanceof SenderChanged ? new VigieError('SERVICE_UNAVAILABLE') : again;
            });
          });
          if (accepted.duplicate) await freshSender();
        } catch (err) {
          const status = isVigieError(err) ? err.status : ((err as { statusCode?: number }).statusCode ?? 500);
          if (status < 500) await freshSender();
          throw err;
        }
        // Durable first (the transaction committed), then fast: published at once; the outbox relay covers a failed push.
        void push.afterAccept(accepted, request.body);
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
          void pipeline.dispatch(stored.ref);
          if (stored.kind === 'acknowledged') app.metrics.observeAcknowledgement((stored.at.getTime() - stored.acceptedAt.getTime()) / 1000);
        }
        return { stored: stored !== null };
      },
    );
  },
  { name: 'vigie-messages', dependencies: ['vigie-db', 'vigie-auth', 'vigie-crypto', 'vigie-realtime', 'vigie-disclosure-log', 'vigie-delivery', 'vigie-escalation', 'vigie-metrics'] },
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
