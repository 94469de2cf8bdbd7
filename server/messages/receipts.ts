import { and, eq, isNull } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import type { Receipt, SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { ActiveMember } from '../auth/members.js';
import type { Db } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { appendLeaf } from '../disclosure-log/append.js';
import { receiptLeaf } from '../disclosure-log/leaves.js';
import { addToOutbox, type OutboxRef } from '../delivery/outbox.js';
import { stopChain } from '../escalation/chains.js';
import { addReceiptEvent } from '../realtime/feed.js';
import { deliveries, messages, receipts } from './tables.js';

export interface StoredReceipt {
  /** The outbox ref to dispatch. */
  ref: OutboxRef;
  kind: Receipt['kind'];
  /** When the hub stored it (its clock, not the device's). */
  at: Date;
  /** When the hub accepted the message. */
  acceptedAt: Date;
}

export interface ReceiptDeps {
  db: Db;
  crypto: CryptoPort;
  clockSkewSeconds: number;
}

/**
 * Stores a receipt signed by a recipient device: `delivered` when the device
 * has it, `acknowledged` when a person has read it. One transaction updates
 * the delivery, adds the receipt to the sender inbox's feed and the outbox.
 * Returns the outbox ref to dispatch, with the receipt's kind and time and
 * the message's acceptance (for metrics), or null for a receipt already stored.
 */
export async function storeReceipt(
  deps: ReceiptDeps,
  member: ActiveMember,
  messageId: string,
  signed: SignedDocument<Receipt>,
  now = new Date(),
): Promise<StoredReceipt | null> {
  const doc = signed.document;
  if (doc.message !== messageId || doc.member !== member.id) throw new VigieError('RECEIPT_INVALID');
  if (!member.inboxes.includes(doc.inbox)) throw new VigieError('INBOX_FORBIDDEN');
  // The time on the record is the hub's; the signed time must only be plausible: within the clock window.
  const signedAt = Date.parse(doc.at);
  if (Number.isNaN(signedAt) || Math.abs(signedAt - now.getTime()) > deps.clockSkewSeconds * 1000) {
    throw new VigieError('RECEIPT_INVALID', { detail: 'dated outside the hub’s clock window' });
  }
  if (!verifyDocument(deps.crypto, 'receipt', signed, fromB64u(member.signingKey))) throw new VigieError('SIGNATURE_INVALID');

  return deps.db.transaction(async (tx) => {
    const [message] = await tx
      .select({ headerHash: messages.headerHash, senderInbox: messages.senderInbox, acceptedAt: messages.acceptedAt, erasedAt: messages.erasedAt })
      .from(messages)
      .where(eq(messages.id, messageId));
    if (!message) throw new VigieError('MESSAGE_UNKNOWN');
    if (message.erasedAt) throw new VigieError('MESSAGE_ERASED');
    if (message.headerHash !== doc.headerHash) throw new VigieError('RECEIPT_INVALID');
    if (signedAt < message.acceptedAt.getTime()) throw new VigieError('RECEIPT_INVALID', { detail: 'dated before the message was accepted' });
    const [delivery] = await tx
      .select({ inboxId: deliveries.inboxId })
      .from(deliveries)
      .where(and(eq(deliveries.messageId, messageId), eq(deliveries.inboxId, doc.inbox)));
    if (!delivery) throw new VigieError('NOT_DELIVERED_TO_INBOX');

    const [stored] = await tx
      .insert(receipts)
      .values({ messageId, inboxId: doc.inbox, memberId: member.id, kind: doc.kind, document: doc, signature: signed.signature, receivedAt: now })
      .onConflictDoNothing()
      .returning({ id: receipts.id });
    if (!stored) return null;

    const where = and(eq(deliveries.messageId, messageId), eq(deliveries.inboxId, doc.inbox));
    const atDate = now;
    await tx.update(deliveries).set({ deliveredAt: atDate, deliveredBy: member.id }).where(and(where, isNull(deliveries.deliveredAt)));
    if (doc.kind === 'acknowledged') {
      await tx.update(deliveries).set({ acknowledgedAt: atDate, acknowledgedBy: member.id }).where(and(where, isNull(deliveries.acknowledgedAt)));
      // In this transaction: a step waiting on the escalation's lock then finds it acknowledged.
      await stopChain(tx, messageId, doc.inbox, now);
    }
    await addReceiptEvent(tx, message.senderInbox, messageId, stored.id);
    const ref: OutboxRef = { topic: 'receipt', message: messageId, receipt: stored.id };
    await addToOutbox(tx, ref);
    await appendLeaf(tx, receiptLeaf(doc.kind, { message: messageId, inbox: doc.inbox, agency: member.agencyId, member: member.id, receiptAt: atDate, signedAt: doc.at }, now));
    return { ref, kind: doc.kind, at: atDate, acceptedAt: message.acceptedAt };
  });
}
