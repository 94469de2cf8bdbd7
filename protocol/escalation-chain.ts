/**
 * The acknowledgement deadline and escalation chain of one recipient of one
 * message, computed from its protocol flow when the hub accepts the message
 * and stored with it, so that a later protocol version never changes a chain
 * already running.
 *
 * Steps: 0 is the deadline (the sender is told `unacknowledged`); 1..n are
 * the flow's escalation steps (the recipient is notified again, the step's
 * inboxes are notified, the sender is told `escalated`); n+1 is the end of
 * the chain, one more deadline after the last step (`escalation_exhausted`).
 *
 * @example
 * const chain = escalationChain(flow.acknowledgement!, { protocol, flow: flow.id, acceptedAt });
 * stepTime(chain, 0) // the deadline
 */
import type { Acknowledgement } from './protocol-document.js';

export interface EscalationChain {
  protocol: { id: string; version: number };
  flow: string;
  deadlineSeconds: number;
  renotifyRecipients: boolean;
  deadlineAt: string;
  steps: { at: string; inboxes: string[] }[];
  exhaustedAt: string;
}

export type NoticeKind = 'unacknowledged' | 'renotify' | 'escalation' | 'escalated' | 'escalation_exhausted';

/**
 * The chain of one recipient, from its flow's acknowledgement rule.
 *
 * @example
 * escalationChain({ messageTypes: ['danger_alert'], deadlineSeconds: 300, renotifyRecipients: true,
 *   escalation: [{ afterSeconds: 0, inboxes: ['police-laval/supervision'] }] },
 *   { protocol: { id: 'shelter-police', version: 1 }, flow: 'alerte', acceptedAt: new Date(0) }).exhaustedAt
 * // '1970-01-01T00:10:00.000Z'
 */
export function escalationChain(
  ack: Acknowledgement,
  at: { protocol: { id: string; version: number }; flow: string; acceptedAt: Date },
): EscalationChain {
  const deadline = at.acceptedAt.getTime() + ack.deadlineSeconds * 1000;
  const steps = ack.escalation.map((s) => ({ at: new Date(deadline + s.afterSeconds * 1000).toISOString(), inboxes: [...s.inboxes] }));
  const last = deadline + (ack.escalation.at(-1)?.afterSeconds ?? 0) * 1000;
  return {
    protocol: at.protocol,
    flow: at.flow,
    deadlineSeconds: ack.deadlineSeconds,
    renotifyRecipients: ack.renotifyRecipients,
    deadlineAt: new Date(deadline).toISOString(),
    steps,
    exhaustedAt: new Date(last + ack.deadlineSeconds * 1000).toISOString(),
  };
}

/** When a step is due, or null past the end of the chain. */
export function stepTime(chain: EscalationChain, step: number): Date | null {
  if (step === 0) return new Date(chain.deadlineAt);
  if (step >= 1 && step <= chain.steps.length) return new Date(chain.steps[step - 1]!.at);
  if (step === chain.steps.length + 1) return new Date(chain.exhaustedAt);
  return null;
}
