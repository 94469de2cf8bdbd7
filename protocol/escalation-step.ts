/**
 * What one step of an escalation chain does, as a pure function of the
 * chain, the message it is about, the recipient and the step: who is told
 * what, and when the next step is due. The hub's escalation engine stores
 * and pushes what this returns; clients may use it to explain a chain.
 *
 * @example
 * planStep(chain, about, 'police-laval/dispatch', 0, now).kind // 'unacknowledged'
 */
import { stepTime, type EscalationChain, type NoticeKind } from './escalation-chain.js';

/** What the accepting hub stores with the chain, so that a step needs nothing else. */
export interface AwaitedMessage {
  type: string;
  urgency: string;
  sender: { agency: string; inbox: string };
  acceptedAt: string;
}

export type StepKind = 'unacknowledged' | 'escalated' | 'exhausted';

export interface PlannedNotice {
  inbox: string;
  notice: { kind: NoticeKind; message: string; recipient: string; step: number; at: string; [k: string]: unknown };
}

export interface StepPlan {
  kind: StepKind;
  /** In the order they go into the feed. */
  notices: PlannedNotice[];
  /** The inboxes this step escalates to (empty for the deadline and the end). */
  notified: string[];
  /** The next step and when it is due, or null at the end of the chain. */
  next: { step: number; at: Date } | null;
}

/**
 * Step 0, the deadline: the sender is told `unacknowledged`. Steps 1..n: the
 * recipient is notified again if the chain says so, the step's inboxes get
 * an `escalation` notice with the message's metadata, and the sender is told
 * `escalated`. Step n+1, the end: the sender is told `escalation_exhausted`.
 */
export function planStep(chain: EscalationChain, about: AwaitedMessage, message: string, recipient: string, step: number, now: Date): StepPlan {
  const last = chain.steps.length + 1;
  if (!Number.isInteger(step) || step < 0 || step > last) throw new RangeError(`step ${step} is outside the chain (0..${last})`);
  const base = { message, recipient, step, at: now.toISOString() };
  const next = step < last ? { step: step + 1, at: stepTime(chain, step + 1)! } : null;
  if (step === 0) {
    return { kind: 'unacknowledged', notices: [{ inbox: about.sender.inbox, notice: { ...base, kind: 'unacknowledged', deadlineAt: chain.deadlineAt } }], notified: [], next };
  }
  if (step < last) {
    const notified = chain.steps[step - 1]!.inboxes;
    const notices: PlannedNotice[] = [];
    if (chain.renotifyRecipients) notices.push({ inbox: recipient, notice: { ...base, kind: 'renotify' } });
    for (const target of notified) notices.push({ inbox: target, notice: { ...base, kind: 'escalation', ...about } });
    notices.push({ inbox: about.sender.inbox, notice: { ...base, kind: 'escalated', notified } });
    return { kind: 'escalated', notices, notified, next };
  }
  return { kind: 'exhausted', notices: [{ inbox: about.sender.inbox, notice: { ...base, kind: 'escalation_exhausted' } }], notified: [], next: null };
}
