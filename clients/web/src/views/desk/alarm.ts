/**
 * What calls a person to a danger alert while nobody has acted on it: a
 * tone made here with WebAudio (no sound file), repeated until the alarm
 * stops; a browser notification (metadata only: it may show on a locked
 * screen); and the tab's title.
 */

export type SoundState = 'off' | 'playing' | 'blocked';

/** Two notes, high then low, every 1.6 s: heard across a room, unlike any system sound. */
const PATTERN = [
  { hz: 880, at: 0, for: 0.22 },
  { hz: 660, at: 0.28, for: 0.22 },
];
const PERIOD_MS = 1600;

export class AlarmSound {
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private wanted = false;
  private readonly listeners = new Set<(s: SoundState) => void>();
  state: SoundState = 'off';

  onChange(listener: (s: SoundState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: SoundState) {
    if (this.state === state) return;
    this.state = state;
    for (const l of this.listeners) l(state);
  }

  /** Starts ringing (again); a browser that will not play without a person's gesture leaves it `blocked` until `unblock()`. */
  async start(): Promise<void> {
    this.wanted = true;
    if (!this.context) {
      this.context = new AudioContext();
      this.context.onstatechange = () => this.follow();
    }
    if (this.context.state !== 'running') await this.context.resume().catch(() => {});
    this.follow();
  }

  /** From a click: the gesture lets the browser play. */
  unblock(): Promise<void> {
    return this.start();
  }

  stop(): void {
    this.wanted = false;
    this.follow();
  }

  private follow(): void {
    const running = this.context?.state === 'running';
    if (this.wanted && running) {
      if (!this.timer) {
        this.ring();
        this.timer = setInterval(() => this.ring(), PERIOD_MS);
      }
      this.set('playing');
      return;
    }
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.set(this.wanted ? 'blocked' : 'off');
  }

  private ring(): void {
    const ctx = this.context;
    if (!ctx || ctx.state !== 'running') return;
    const start = ctx.currentTime + 0.02;
    for (const note of PATTERN) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = note.hz;
      // A short ramp at each end: no click.
      gain.gain.setValueAtTime(0, start + note.at);
      gain.gain.linearRampToValueAtTime(0.2, start + note.at + 0.02);
      gain.gain.setValueAtTime(0.2, start + note.at + note.for - 0.02);
      gain.gain.linearRampToValueAtTime(0, start + note.at + note.for);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + note.at);
      osc.stop(start + note.at + note.for + 0.01);
    }
  }
}

/** One alarm for the page, whichever view is showing. */
export const alarmSound = new AlarmSound();

export type NotificationState = 'unsupported' | 'default' | 'granted' | 'denied';

export function notificationState(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asked from a button, never on load: the person knows why. */
export async function askNotifications(): Promise<NotificationState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** A notification naming what arrived, never its content; clicking it brings the tab and opens the alert. */
export function notify(tag: string, title: string, body: string, lang: string, open: () => void): void {
  if (notificationState() !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag, lang, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      open();
      n.close();
    };
  } catch {
    // Some browsers only notify from a service worker: the sound and the title still call the person.
  }
}
