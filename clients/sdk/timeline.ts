/**
 * What happened to a sent message, recipient by recipient, as the sender must
 * be able to trust it: accepted by the hub, pushed, received by a device,
 * acknowledged by a person — or the deadline passed, each escalation step and
 * whom it notified, and the end of the chain, when nobody acknowledged and
 * the sender must call for help herself. Built from the hub's record
 * (`status`, `escalation`) and the notices that came on the stream since.
 *
 * @example
 * const timeline = messageTimeline(await client.status(id), await client.escalation(id), notices);
 * if (timeline.state === 'exhausted') showCall911();
 */
import type { MessageStatus } from '../../protocol/api/messages.js';
import type { EscalationProgress } from '../../protocol/escalation-chain.js';
import type { Notice } from './stream.js';

/** The hub's notices to the sender of a message whose acknowledgement is awaited. */
export const SENDER_NOTICE_KINDS = ['unacknowledged', 'escalated', 'escalation_exhausted'] as const;
export type SenderNoticeKind = (typeof SENDER_NOTICE_KINDS)[number];
export const isSenderNotice = (n: Pick<Notice, 'kind'>): n is Notice & { kind: SenderNoticeKind } => (SENDER_NOTICE_KINDS as readonly string[]).includes(n.kind);

/** Where one recipient stands, from the most reassuring to the most alarming (see ALARM_ORDER). */
export const TIMELINE_STATES = ['acknowledged', 'delivered', 'pushed', 'accepted', 'unacknowledged', 'escalated', 'exhausted'] as const;
export type TimelineState = (typeof TIMELINE_STATES)[number];

/** The status of a message as GET /v1/messages/:id/status gives it (VigieClient.status): what a timeline is built from. */
export type StatusLike = Pick<MessageStatus, 'acceptedAt' | 'recipients'>;

type ChainProgress = EscalationProgress['recipients'][number];
/** The chains of a message as GET /v1/messages/:id/escalation gives them (VigieClient.escalation): what a timeline reads of them. */
export interface EscalationLike {
  recipients: Pick<ChainProgress, 'inbox' | 'state' | 'deadlineAt' | 'nextStep' | 'nextAt' | 'steps' | 'exhaustedAt'>[];
}

/** One line of a recipient's timeline; `due` lines have not happened yet (a deadline, a step to come). */
export type TimelineEvent =
  | { kind: 'accepted'; at: string }
  | { kind: 'pushed'; at: string }
  | { kind: 'delivered'; at: string; member: string | null }
  | { kind: 'acknowledged'; at: string; member: string | null }
  | { kind: 'deadline'; at: string; due: boolean }
  | { kind: 'escalated'; at: string; step: number; inboxes: string[]; due: boolean }
  | { kind: 'exhausted'; at: string; due: boolean };

export interface RecipientTimeline {
  inbox: string;
  state: TimelineState;
  events: TimelineEvent[];
}

export interface MessageTimeline {
  acceptedAt: string;
  /** The most alarming state among the recipients: what the sender must see first. */
  state: TimelineState;
  recipients: RecipientTimeline[];
}

const alarm = (s: TimelineState) => TIMELINE_STATES.indexOf(s);

/**
 * Merges the hub's record and the notices received since into one timeline
 * per recipient. A notice can only move a recipient forward; an
 * acknowledgement, even after the end of the chain, wins: a person acted.
 */
export function messageTimeline(status: StatusLike, escalation: EscalationLike | null, notices: readonly Notice[] = []): MessageTimeline {
  const recipients = status.recipients.map((r): RecipientTimeline => {
    const chain = escalation?.recipients.find((c) => c.inbox === r.inbox);
    const heard = notices.filter((n) => n.recipient === r.inbox && isSenderNotice(n));
    const events: TimelineEvent[] = [{ kind: 'accepted', at: status.acceptedAt }];
    if (r.pushedAt) events.push({ kind: 'pushed', at: r.pushedAt });
    if (r.deliveredAt) events.push({ kind: 'delivered', at: r.deliveredAt, member: r.deliveredBy });
    const acknowledged = r.state === 'acknowledged' || chain?.state === 'acknowledged';
    const exhausted = !acknowledged && (chain?.state === 'exhausted' || heard.some((n) => n.kind === 'escalation_exhausted'));
    let state: TimelineState = acknowledged ? 'acknowledged' : r.state;
    if (chain) {
      // nextStep: 0 the deadline is awaited, 1..n that step is, n+1 the end of the chain.
      const deadlinePassed = chain.nextStep > 0 || chain.state === 'exhausted' || heard.length > 0;
      // An acknowledgement in time leaves no deadline to speak of; a late one keeps the deadline it missed.
      if (deadlinePassed || !acknowledged) events.push({ kind: 'deadline', at: chain.deadlineAt, due: !deadlinePassed });
      for (const s of chain.steps) {
        const reached = s.reached || chain.state === 'exhausted' || heard.some((n) => n.kind !== 'unacknowledged' && n.step >= s.step);
        if (reached || !acknowledged) events.push({ kind: 'escalated', at: s.at, step: s.step, inboxes: s.inboxes, due: !reached });
      }
      if (exhausted || !acknowledged) events.push({ kind: 'exhausted', at: chain.exhaustedAt, due: !exhausted });
      if (!acknowledged) {
        if (exhausted) state = 'exhausted';
        else if (events.some((e) => e.kind === 'escalated' && !e.due)) state = 'escalated';
        else if (deadlinePassed) state = 'unacknowledged';
      }
    } else if (!acknowledged && heard.length > 0) {
      // Notices without the chain (the hub's record not read yet): what they say.
      for (const n of heard) {
        if (n.kind === 'unacknowledged') events.push({ kind: 'deadline', at: n.deadlineAt ?? n.at, due: false });
        if (n.kind === 'escalated') events.push({ kind: 'escalated', at: n.at, step: n.step, inboxes: n.notified ?? [], due: false });
        if (n.kind === 'escalation_exhausted') events.push({ kind: 'exhausted', at: n.at, due: false });
      }
      state = exhausted ? 'exhausted' : heard.some((n) => n.kind === 'escalated') ? 'escalated' : 'unacknowledged';
    }
    if (r.acknowledgedAt) events.push({ kind: 'acknowledged', at: r.acknowledgedAt, member: r.acknowledgedBy });
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { inbox: r.inbox, state, events };
  });
  const state = recipients.length === 0 ? 'accepted' : recipients.reduce<TimelineState>((worst, r) => (alarm(r.state) > alarm(worst) ? r.state : worst), 'acknowledged');
  return { acceptedAt: status.acceptedAt, state, recipients };
}
