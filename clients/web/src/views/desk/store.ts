/**
 * The desk's board, in memory: what the member's stream brought to this
 * device's inboxes — alerts (their signed, verified header only: the content
 * is decrypted again, and shown, only when a person opens one), the hub's
 * notices (a reminder to the recipient, an escalation to a supervisor's
 * inbox), and what arrived but could not be verified. Nothing here is ever
 * written to storage; locking reloads the page and it is gone.
 *
 * The board subscribes before the session opens the member's stream (it is
 * made as the shell renders): the stream's replay of what waited for this
 * device at unlock comes first, then what arrives live.
 */
import type { EnvelopeHeader } from '../../../../../protocol/schemas.js';
import type { EscalationProgress } from '../../../../../protocol/escalation-chain.js';
import type { Urgency } from '../../../../../protocol/vocabulary.js';
import type { OpenedMessage } from '../../../../sdk/client.js';
import type { Notice, VigieStream } from '../../../../sdk/stream.js';
import type { MemberSession } from '../../lib/session.js';

export interface Acknowledgement {
  state: 'unknown' | 'waiting' | 'acknowledged';
  at?: string;
  /** The member id of the device that signed it. */
  by?: string;
}

/** A message to one of this device's inboxes: its header was verified against its sender's certificate. */
export interface AlertEntry {
  kind: 'alert';
  key: string;
  id: string;
  /** The inbox of this device it was addressed to. */
  inbox: string;
  header: EnvelopeHeader;
  /** The certified label of the device that signed it. */
  senderLabel: string;
  acceptedAt: string;
  ack: Acknowledgement;
  /** A person opened it since it arrived or since the hub's last reminder. */
  acted: boolean;
  /** The hub's reminders (`renotify`): the deadline passed and nobody acknowledged. */
  reminders: number;
}

/** The hub told one of this device's inboxes that an alert to another inbox waits for a person. */
export interface EscalationEntry {
  kind: 'escalation';
  key: string;
  id: string;
  /** The inbox whose acknowledgement is awaited. */
  recipient: string;
  /** This device's inbox the chain notified. */
  inbox: string;
  type: string;
  urgency: string;
  sender: { agency: string; inbox: string } | null;
  acceptedAt: string;
  /** The steps that notified this inbox, as the hub said. */
  steps: { step: number; at: string }[];
  progress: EscalationProgress['recipients'][number] | null;
  acted: boolean;
}

/** Something arrived for this device and failed verification: nothing of it is shown. */
export interface InvalidEntry {
  kind: 'invalid';
  key: string;
  id: string | null;
  arrivedAt: string;
}

export type Entry = AlertEntry | EscalationEntry | InvalidEntry;

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, immediate: 2 };
const rankOf = (e: Entry) => (e.kind === 'invalid' ? RANK.immediate : (RANK[(e.kind === 'alert' ? e.header.urgency : e.urgency) as Urgency] ?? RANK.immediate));
const timeOf = (e: Entry) => Date.parse(e.kind === 'invalid' ? e.arrivedAt : e.acceptedAt) || 0;

/** Most pressing first; within an urgency, the newest first. */
export function byUrgencyThenTime(a: Entry, b: Entry): number {
  return rankOf(b) - rankOf(a) || timeOf(b) - timeOf(a);
}

/** The urgency of a danger alert: the one that sounds. */
const isDanger = (urgency: string) => urgency === 'immediate';

/**
 * Whether an entry calls a person now (sound, notification, title): a
 * message of the highest urgency that nobody acknowledged, not opened since
 * it arrived or since the hub's last reminder.
 */
export function isAlarming(e: Entry): boolean {
  if (e.kind === 'alert') return isDanger(e.header.urgency) && e.ack.state === 'waiting' && !e.acted;
  if (e.kind === 'escalation') return isDanger(e.urgency) && !e.acted && (e.progress === null || e.progress.state === 'waiting');
  return false;
}

const STATUS_REFRESH_MS = 20_000;
/** Alerts older than this are not asked about again every round (they were once, when they arrived). */
const REFRESH_WINDOW_MS = 24 * 3600_000;
/** Questions to the hub at once: a catch-up of many messages does not flood it. */
const AT_ONCE = 4;

export class DeskStore {
  private readonly map = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private sorted: Entry[] = [];
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** True once the catch-up has run: until then the board says it is still reading. */
  ready = false;

  constructor(private readonly member: MemberSession) {}

  get client() {
    return this.member.client;
  }

  start(): void {
    const { stream } = this.member;
    // Before the stream's `ready`, what it brings is the replay of what waited for this device; after, live.
    let live = false;
    stream.on('ready', () => {
      live = true;
      this.ready = true;
      this.changed();
    });
    stream.on('message', (m) => this.onMessage(m, live));
    stream.on('notice', (n) => this.onNotice(n));
    stream.on('invalid', ({ id }) => this.onInvalid(id ?? null));
    this.refreshTimer = setInterval(() => void this.refreshAll(), STATUS_REFRESH_MS);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  entries(): Entry[] {
    return this.sorted;
  }

  get(key: string): Entry | undefined {
    return this.map.get(key);
  }

  /** The alert of this id addressed to one of this device's inboxes. */
  alert(id: string): AlertEntry | undefined {
    return this.sorted.find((e): e is AlertEntry => e.kind === 'alert' && e.id === id);
  }

  escalation(id: string): EscalationEntry | undefined {
    return this.sorted.find((e): e is EscalationEntry => e.kind === 'escalation' && e.id === id);
  }

  alarming(): Entry[] {
    return this.sorted.filter(isAlarming);
  }

  private changed(): void {
    this.sorted = [...this.map.values()].sort(byUrgencyThenTime);
    for (const l of this.listeners) l();
  }

  private update<E extends Entry>(key: string, patch: Partial<E>): void {
    const e = this.map.get(key);
    if (!e) return;
    this.map.set(key, { ...e, ...patch } as Entry);
    this.changed();
  }

  private onMessage(m: OpenedMessage, live: boolean): void {
    const key = `a:${m.id}:${m.inbox}`;
    if (this.map.has(key)) return;
    // The signed header and who signed it; the content is not kept.
    this.map.set(key, {
      kind: 'alert',
      key,
      id: m.id,
      inbox: m.inbox,
      header: m.header,
      senderLabel: m.sender.label,
      acceptedAt: m.acceptedAt ?? m.header.createdAt,
      // Live: nobody can have acknowledged it yet. Replayed: the hub says.
      ack: { state: live ? 'waiting' : 'unknown' },
      acted: false,
      reminders: 0,
    });
    this.changed();
    void this.refreshAlert(key);
  }

  private onNotice(n: Notice): void {
    if (n.kind === 'renotify') {
      const key = `a:${n.message}:${n.recipient}`;
      const e = this.map.get(key);
      if (e?.kind === 'alert' && e.ack.state !== 'acknowledged') this.update<AlertEntry>(key, { acted: false, reminders: e.reminders + 1 });
      if (e) void this.refreshAlert(key);
      return;
    }
    if (n.kind !== 'escalation') return;
    const key = `e:${n.message}:${n.recipient}:${n.inbox}`;
    const known = this.map.get(key);
    if (known?.kind === 'escalation') {
      if (!known.steps.some((s) => s.step === n.step)) this.update<EscalationEntry>(key, { steps: [...known.steps, { step: n.step, at: n.at }].sort((a, b) => a.step - b.step), acted: false });
    } else {
      this.map.set(key, {
        kind: 'escalation',
        key,
        id: n.message,
        recipient: n.recipient,
        inbox: n.inbox,
        type: n.type ?? '',
        urgency: n.urgency ?? 'immediate',
        sender: n.sender ?? null,
        acceptedAt: n.acceptedAt ?? n.at,
        steps: [{ step: n.step, at: n.at }],
        progress: null,
        acted: false,
      });
      this.changed();
    }
    void this.refreshEscalation(key);
  }

  private onInvalid(id: string | null): void {
    const key = `x:${id ?? crypto.randomUUID()}`;
    if (this.map.has(key)) return;
    this.map.set(key, { kind: 'invalid', key, id, arrivedAt: new Date().toISOString() });
    this.changed();
  }

  /** Runs `ask` when fewer than AT_ONCE questions are out. */
  private async limited<T>(ask: () => Promise<T>): Promise<T> {
    if (this.running >= AT_ONCE) await new Promise<void>((go) => this.waiting.push(go));
    this.running += 1;
    try {
      return await ask();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  /** Asks the hub whether a person of this agency acknowledged the alert (another device may have). */
  async refreshAlert(key: string): Promise<void> {
    const e = this.map.get(key);
    if (e?.kind !== 'alert' || e.ack.state === 'acknowledged') return;
    try {
      const status = await this.limited(() => this.member.client.status(e.id));
      const mine = status.recipients.find((r) => r.inbox === e.inbox);
      if (!mine) return;
      const current = this.map.get(key) as AlertEntry;
      if (mine.acknowledgedAt) this.update<AlertEntry>(key, { ack: { state: 'acknowledged', at: mine.acknowledgedAt, ...(mine.acknowledgedBy ? { by: mine.acknowledgedBy } : {}) } });
      else if (current.ack.state === 'unknown') this.update<AlertEntry>(key, { ack: { state: 'waiting' } });
    } catch {
      // The hub does not answer now: the next refresh asks again; an unknown state never silences an alert that arrived live.
    }
  }

  /** Asks the hub where the chain stands (acknowledged, the next step, exhausted). */
  async refreshEscalation(key: string): Promise<void> {
    const e = this.map.get(key);
    if (e?.kind !== 'escalation' || e.progress?.state === 'acknowledged' || e.progress?.state === 'exhausted') return;
    try {
      const progress = await this.limited(() => this.member.client.escalation(e.id));
      const mine = progress.recipients.find((r) => r.inbox === e.recipient) ?? null;
      this.update<EscalationEntry>(key, { progress: mine, ...(e.sender ? {} : { sender: progress.sender }) });
    } catch {
      // Shown from the hub's notices alone until it answers.
    }
  }

  private async refreshAll(): Promise<void> {
    const since = Date.now() - REFRESH_WINDOW_MS;
    for (const e of [...this.map.values()]) {
      if (e.kind === 'invalid' || Date.parse(e.acceptedAt) < since) continue;
      if (e.kind === 'alert' && e.ack.state !== 'acknowledged') await this.refreshAlert(e.key);
      if (e.kind === 'escalation') await this.refreshEscalation(e.key);
    }
  }

  /** A person opened it: its alarm stops (until the hub reminds again). */
  markActed(key: string): void {
    const e = this.map.get(key);
    if (e && e.kind !== 'invalid' && !e.acted) this.update(key, { acted: true });
  }

  markAcknowledged(key: string, at: string, by: string): void {
    this.update<AlertEntry>(key, { ack: { state: 'acknowledged', at, by }, acted: true });
  }

  stop(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.listeners.clear();
  }
}

const stores = new WeakMap<VigieStream, DeskStore>();

/** The board of this session's member (one per unlocked session; gone with the page). */
export function deskStore(member: MemberSession): DeskStore {
  let store = stores.get(member.stream);
  if (!store) {
    store = new DeskStore(member);
    stores.set(member.stream, store);
    store.start();
  }
  return store;
}
