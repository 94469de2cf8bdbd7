import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { headerHash, verifyEnvelope } from '../../protocol/envelope.js';
import type { Envelope } from '../../protocol/schemas.js';
import type { ActiveMember } from '../auth/members.js';
import type { Db } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { inboxes } from '../identity/tables.js';
import { appendLeaf } from '../audit/append.js';
import { messageAcceptedLeaf } from '../audit/leaves.js';
import type { AcceptContext, DisclosurePolicy } from './hooks.js';
import { deliveries, inboxEvents, messages, outbox } from './tables.js';
import { escalations } from '../escalation/tables.js';
import type { AwaitedMessage, StoredChain } from '../escalation/engine.js';
import { escalationChain } from '../../protocol/escalation-chain.js';
import type { Flow } from '../../protocol/protocol-document.js';

/** Recipients whose flow makes a person acknowledge this type, with their chain and first timer. */
function awaitedAcknowledgements(type: string, protocol: { id: string; version: number }, flows: Record<string, Flow>, acceptedAt: Date, about: AwaitedMessage) {
  return Object.entries(flows).flatMap(([inbox, flow]) => {
    const ack = flow.acknowledgement;
    if (!ack || !ack.messageTypes.includes(type as never)) return [];
    const chain: StoredChain = { ...escalationChain(ack, { protocol, flow: flow.id, acceptedAt }), about };
    return [{ inbox, chain, at: new Date(chain.deadlineAt), activeId: randomUUID() }];
  });
}

export interface AcceptDeps {
  db: Db;
  crypto: CryptoPort;
  policy: DisclosurePolicy;
  clockSkewSeconds: number;
  maxMessageAgeSeconds: number;
}

export interface Accepted {
  id: string;
  acceptedAt: Date;
  /** True when this exact envelope had already been accepted: nothing new was stored. */
  duplicate: boolean;
  /** The acknowledgements awaited, whose first timer the caller schedules after the commit. */
  escalations: { inbox: string; activeId: string; at: Date }[];
}

function checkSender(sender: ActiveMember, envelope: Envelope) {
  const { sender: declared, recipients } = envelope.header;
  if (declared.member !== sender.id || declared.agency !== sender.agencyId) throw new VigieError('SENDER_MISMATCH');
  if (!sender.inboxes.includes(declared.inbox)) throw new VigieError('INBOX_FORBIDDEN');
  if (recipients.includes(declared.inbox)) throw new VigieError('RECIPIENT_IS_SENDER');
}

function checkFreshness(createdAt: string, now: Date, deps: AcceptDeps) {
  const t = Date.parse(createdAt);
  if (Number.isNaN(t) || t > now.getTime() + deps.clockSkewSeconds * 1000 || t < now.getTime() - deps.maxMessageAgeSeconds * 1000) {
    throw new VigieError('MESSAGE_STALE');
  }
}

async function existing(db: Db, id: string, hash: string): Promise<Accepted | null> {
  const [row] = await db.select({ headerHash: messages.headerHash, acceptedAt: messages.acceptedAt }).from(messages).where(eq(messages.id, id));
  if (!row) return null;
  // Same id with another header is an attempt to overwrite history.
  if (row.headerHash !== hash) throw new VigieError('MESSAGE_ID_CONFLICT');
  return { id, acceptedAt: row.acceptedAt, duplicate: true, escalations: [] };
}

/**
 * Accepts an envelope: checks the sender, the signature over the canonical
 * header, the ciphertext hash and the recipients, then stores in ONE
 * transaction the message, a delivery row and a feed event per recipient
 * inbox, an outbox row and the log leaf (invariants 2 and 4). Only then may the caller answer 202.
 */
export async function acceptMessage(deps: AcceptDeps, sender: ActiveMember, envelope: Envelope, now = new Date()): Promise<Accepted> {
  const { header } = envelope;
  checkSender(sender, envelope);
  checkFreshness(header.createdAt, now, deps);
  if (!verifyEnvelope(deps.crypto, envelope, fromB64u(sender.signingKey))) throw new VigieError('SIGNATURE_INVALID');
  const hash = toB64u(headerHash(deps.crypto, header));
  const seen = await existing(deps.db, header.id, hash);
  if (seen) return seen;

  const accepted = await deps.db.transaction(async (tx) => {
    const found = await tx.select({ id: inboxes.id, agencyId: inboxes.agencyId }).from(inboxes).where(inArray(inboxes.id, header.recipients));
    if (found.length !== header.recipients.length) {
      const known = new Set(found.map((r) => r.id));
      throw new VigieError('RECIPIENT_UNKNOWN', { detail: header.recipients.filter((r) => !known.has(r)).join(', ') });
    }
    const ctx: AcceptContext = {
      header,
      headerHash: hash,
      sender,
      recipientAgencies: new Map(found.map((r) => [r.id, r.agencyId])),
      now,
    };
    const authorization = await deps.policy.authorize(tx, ctx);
    const [row] = await tx
      .insert(messages)
      .values({
        id: header.id,
        type: header.type,
        urgency: header.urgency,
        senderAgency: header.sender.agency,
        senderMember: header.sender.member,
        senderInbox: header.sender.inbox,
        header,
        headerHash: hash,
        signature: envelope.signature,
        ciphertext: envelope.ciphertext,
        acceptedAt: now,
      })
      .onConflictDoNothing()
      .returning({ acceptedAt: messages.acceptedAt });
    // A concurrent request stored the same id between our check and our insert.
    if (!row) return null;
    await tx.insert(deliveries).values(header.recipients.map((inboxId) => ({ messageId: header.id, inboxId })));
    await tx.insert(inboxEvents).values(header.recipients.map((inboxId) => ({ inboxId, kind: 'message', messageId: header.id })));
    await tx.insert(outbox).values({ topic: 'deliver', ref: header.id });
    await appendLeaf(tx, messageAcceptedLeaf(header, hash, ctx.recipientAgencies, now, authorization.consent));
    // Silence is an event (invariant 6): snapshot each awaited acknowledgement's chain with the message.
    const about = { type: header.type, urgency: header.urgency, sender: { agency: header.sender.agency, inbox: header.sender.inbox }, acceptedAt: now.toISOString() };
    const awaited = header.protocol ? awaitedAcknowledgements(header.type, header.protocol, authorization.flows, now, about) : [];
    if (awaited.length > 0) await tx.insert(escalations).values(awaited.map((e) => ({ messageId: header.id, inboxId: e.inbox, chain: e.chain, nextAt: e.at, activeId: e.activeId })));
    return { id: header.id, acceptedAt: row.acceptedAt, duplicate: false, escalations: awaited.map(({ inbox, activeId, at }) => ({ inbox, activeId, at })) };
  });
  return accepted ?? (await existing(deps.db, header.id, hash))!;
}
