import { eq } from 'drizzle-orm';
import type { EscalationProgress } from '../../protocol/escalation-chain.js';
import type { ActiveMember } from '../auth/members.js';
import type { Db } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import type { StoredChain } from '../escalation/chains.js';
import { escalations } from '../escalation/tables.js';
import { inboxesEscalatedTo } from '../realtime/feed.js';
import { deliveries, messages } from './tables.js';

/**
 * The escalation chains of a message, for a member who may see them: the
 * sender's agency (every recipient), a member of a recipient inbox (the
 * recipients of its own agency), or a member of an inbox a step of the chain
 * has already notified — a supervisor or a duty officer, who sees only the
 * chains that reached one of its inboxes, and nothing of the content.
 * Anyone else is told the message is unknown: whether it exists is itself
 * information.
 */
export async function escalationProgress(db: Db, member: ActiveMember, id: string): Promise<EscalationProgress> {
  const [message] = await db
    .select({ type: messages.type, urgency: messages.urgency, senderAgency: messages.senderAgency, senderInbox: messages.senderInbox, acceptedAt: messages.acceptedAt })
    .from(messages)
    .where(eq(messages.id, id));
  if (!message) throw new VigieError('MESSAGE_UNKNOWN');
  const [rows, recipients, reached] = await Promise.all([
    db.select().from(escalations).where(eq(escalations.messageId, id)),
    db.select({ inbox: deliveries.inboxId }).from(deliveries).where(eq(deliveries.messageId, id)),
    inboxesEscalatedTo(db, id),
  ]);
  const mine = (inbox: string) => member.inboxes.includes(inbox);
  const sender = message.senderAgency === member.agencyId;
  const recipient = recipients.some((r) => mine(r.inbox));
  const notifiedFor = new Set(reached.filter((r) => mine(r.inbox)).map((r) => r.recipient));
  if (!sender && !recipient && notifiedFor.size === 0) throw new VigieError('MESSAGE_UNKNOWN');

  const shown = rows.filter((r) => sender || (recipient && r.inboxId.startsWith(`${member.agencyId}/`)) || notifiedFor.has(r.inboxId));
  return {
    message: id,
    type: message.type,
    urgency: message.urgency,
    sender: { agency: message.senderAgency, inbox: message.senderInbox },
    acceptedAt: message.acceptedAt.toISOString(),
    recipients: shown
      .sort((a, b) => a.inboxId.localeCompare(b.inboxId))
      .map((r) => {
        const chain = r.chain as StoredChain;
        return {
          inbox: r.inboxId,
          state: r.state === 'acknowledged' || r.state === 'exhausted' ? r.state : 'waiting',
          deadlineAt: chain.deadlineAt,
          acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
          nextStep: r.nextStep,
          nextAt: r.state === 'waiting' ? (r.nextAt?.toISOString() ?? null) : null,
          steps: chain.steps.map((s, i) => ({ step: i + 1, at: s.at, inboxes: s.inboxes, reached: r.nextStep > i + 1 })),
          exhaustedAt: chain.exhaustedAt,
        };
      }),
  };
}
