import { and, eq, sql, type SQL } from 'drizzle-orm';
import { escalationChain, type EscalationChain } from '../../protocol/escalation-chain.js';
import type { AwaitedMessage } from '../../protocol/escalation-step.js';
import type { Flow } from '../../protocol/protocol-document.js';
import type { Tx } from '../db/connect.js';
import { escalations } from './tables.js';

/** The chain as stored with the message: the protocol's, and what a step says about the message. */
export type StoredChain = EscalationChain & { about: AwaitedMessage };

/** One recipient whose flow makes a person acknowledge the message: its chain, and the deadline. */
export interface AwaitedAcknowledgement {
  inbox: string;
  chain: StoredChain;
  deadlineAt: Date;
}

/** The recipients whose protocol flow makes a person acknowledge this message type, each with its chain. */
export function awaitedAcknowledgements(
  type: string,
  protocol: { id: string; version: number },
  flows: Record<string, Flow>,
  acceptedAt: Date,
  about: AwaitedMessage,
): AwaitedAcknowledgement[] {
  return Object.entries(flows).flatMap(([inbox, flow]) => {
    const ack = flow.acknowledgement;
    if (!ack || !ack.messageTypes.includes(type as never)) return [];
    const chain: StoredChain = { ...escalationChain(ack, { protocol, flow: flow.id, acceptedAt }), about };
    return [{ inbox, chain, deadlineAt: new Date(chain.deadlineAt) }];
  });
}

const col = (c: { name: string }) => sql.identifier(c.name);

/**
 * For a statement of the hot path, prepared once: starts the chains of the
 * awaited acknowledgements (a placeholder, which `chainValues` fills) for
 * each message id the select yields (column `id`). The scheduler finds them
 * by their due time; nothing else is set.
 */
export function chainsFrom(messageIds: SQL): SQL {
  return sql`insert into ${escalations} (${col(escalations.messageId)}, ${col(escalations.inboxId)}, ${col(escalations.chain)}, ${col(escalations.nextAt)}, ${col(escalations.activeId)})
    select x.id, c.inbox, c.chain, c.next_at, gen_random_uuid()
    from (${messageIds}) as x, jsonb_to_recordset(${sql.placeholder('chains')}::jsonb) as c(inbox text, chain jsonb, next_at timestamptz)`;
}

/** The value of chainsFrom's placeholder: the chains of `awaited`. */
export function chainValues(awaited: AwaitedAcknowledgement[]): { chains: string } {
  return { chains: JSON.stringify(awaited.map((a) => ({ inbox: a.inbox, chain: a.chain, next_at: a.deadlineAt.toISOString() }))) };
}

/**
 * Stops the chain of a recipient inbox, inside the transaction that stores a
 * person's acknowledgement: a step waiting on the row's lock then finds it
 * acknowledged and does nothing. False when it was not waiting.
 */
export async function stopChain(tx: Tx, message: string, inbox: string, at: Date): Promise<boolean> {
  const stopped = await tx
    .update(escalations)
    .set({ state: 'acknowledged', acknowledgedAt: at, nextAt: null, updatedAt: at })
    .where(and(eq(escalations.messageId, message), eq(escalations.inboxId, inbox), eq(escalations.state, 'waiting')))
    .returning({ message: escalations.messageId });
  return stopped.length > 0;
}
