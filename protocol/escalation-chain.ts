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
import { Type, type Static } from '@sinclair/typebox';
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

/** What a notice of the stream says (protocol/api/stream-events.ts). */
export type { NoticeKind } from './api/stream-events.js';

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

/** Where one awaited acknowledgement stands: still waited for, given by a person, or past the end of its chain. */
export const ESCALATION_STATES = ['waiting', 'acknowledged', 'exhausted'] as const;
export type EscalationState = (typeof ESCALATION_STATES)[number];

// Times as the hub writes them (toISOString).
const Iso = Type.String();

/**
 * `GET /v1/messages/:id/escalation`: the chain of each recipient whose
 * acknowledgement a protocol awaits — what the sender's agency, the
 * recipient's agency and the escalation inboxes it reached may see of it.
 * Metadata only (the hub has nothing else).
 *
 * @example
 * const p = await client.escalation(id);
 * p.recipients[0] // { inbox: 'police-laval/dispatch', state: 'waiting', nextStep: 2, steps: [{ step: 1, reached: true, … }], … }
 */
export const EscalationProgressSchema = Type.Object(
  {
    message: Type.String(),
    type: Type.String(),
    urgency: Type.String(),
    sender: Type.Object({ agency: Type.String(), inbox: Type.String() }),
    acceptedAt: Iso,
    recipients: Type.Array(
      Type.Object({
        inbox: Type.String(),
        state: Type.Union(ESCALATION_STATES.map((s) => Type.Literal(s))),
        /** The acknowledgement deadline (step 0). */
        deadlineAt: Iso,
        acknowledgedAt: Type.Union([Iso, Type.Null()]),
        /** The step the hub waits for next: 0 the deadline, 1..n a step, n+1 the end of the chain. */
        nextStep: Type.Integer({ minimum: 0 }),
        nextAt: Type.Union([Iso, Type.Null()]),
        steps: Type.Array(Type.Object({ step: Type.Integer({ minimum: 1 }), at: Iso, inboxes: Type.Array(Type.String()), reached: Type.Boolean() })),
        exhaustedAt: Iso,
      }),
    ),
  },
  { additionalProperties: false },
);
export type EscalationProgress = Static<typeof EscalationProgressSchema>;
