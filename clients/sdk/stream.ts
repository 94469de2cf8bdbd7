/**
 * The live stream of a device's inboxes over WebSocket: reconnects with
 * backoff, resumes from its cursor, de-duplicates by message id (delivery is
 * at least once; the effect is exactly once), verifies and decrypts each
 * message and each receipt, and by default signs a `delivered` receipt.
 *
 * @example
 * const stream = client.stream();
 * stream.on('message', async (m) => { show(m.content); await client.acknowledge(m); });
 * stream.on('receipt', (r) => console.log(r.receipt.kind, r.receipt.inbox));
 * await stream.open();
 */
import { ROUTES } from '../../protocol/api/routes.js';
import { StreamFrameSchema, type NoticeBody, type StreamFrame } from '../../protocol/api/stream-events.js';
import type { OpenedMessage, VerifiedReceipt, VigieClient } from './client.js';
import { STREAM_CLOSE, streamSubprotocols } from '../../protocol/stream.js';
import { checkWire, ProtocolMismatchError } from './wire-check.js';

/** Messages a stream opens and signs `delivered` for (and receipts it verifies) at once, ahead of telling them in order. */
const OPENING_AT_ONCE = 8;

export interface StreamOptions {
  client: VigieClient;
  /** Resume after this cursor (from a previous session). */
  after?: string;
  inboxes?: string[];
  /** Sign a `delivered` receipt for each new message (default true). */
  autoDelivered?: boolean;
  /** How many message ids to remember for de-duplication. */
  dedupeWindow?: number;
  /** Keys remembered by a previous stream (`seenKeys()`), saved with its cursor. */
  seen?: Iterable<string>;
  /** How long to wait before trying again when the hub refuses a stream because this member holds too many (default 30 s). */
  retryAfterLimitMs?: number;
}

export { STREAM_CLOSE };

/**
 * The hub refused this stream: the member already holds the most streams the
 * hub allows it (another window or process, or a dead connection the hub has
 * not yet timed out). The stream tries again after `retryAfterLimitMs`.
 */
export class StreamLimitError extends Error {
  readonly code = 'STREAM_LIMIT';
  constructor() {
    super(`stream refused: this member has too many open streams (${STREAM_CLOSE.tooManyStreams})`);
  }
}

/**
 * What the hub says about a message's acknowledgement (protocol/api/stream-events.ts
 * NoticeSchema), with the inbox it was addressed to.
 */
export type Notice = NoticeBody & {
  /** The inbox this notice was addressed to. */
  inbox: string;
};

type Events = {
  message: OpenedMessage;
  receipt: VerifiedReceipt;
  notice: Notice;
  ready: { cursor: string };
  invalid: { id: string | undefined; error: Error };
  error: Error;
  disconnected: { code: number; reason: string };
};
type Listener<T> = (value: T) => void | Promise<void>;

interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

async function webSocketClass(): Promise<new (url: string, protocols: string[]) => SocketLike> {
  const g = globalThis as unknown as { WebSocket?: new (url: string, protocols: string[]) => SocketLike };
  if (g.WebSocket) return g.WebSocket;
  const ws = await import('ws');
  return ws.WebSocket as unknown as new (url: string, protocols: string[]) => SocketLike;
}

/** What was thrown, as an Error (a listener may throw anything). */
const toError = (thrown: unknown): Error => (thrown instanceof Error ? thrown : new Error(String(thrown)));

/** A failure the hub may not repeat: no answer (fetch's "fetch failed"), or a 5xx / 429 answer. */
function isTransient(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return status >= 500 || status === 429;
  // Node says "fetch failed", browsers "Failed to fetch" or "NetworkError when attempting to fetch…".
  return err instanceof TypeError && /fetch/i.test(err.message);
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
/** A promise's outcome as a value: started now, looked at later, never an unhandled rejection meanwhile. */
function settled<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Runs at most `max` tasks at once; the others wait their turn, in order. */
class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A task that ends hands its slot to the next waiting one.
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

export class VigieStream {
  cursor: string;
  private socket: SocketLike | null = null;
  private closed = false;
  private backoff = 250;
  private readonly seen = new Set<string>();
  private readonly listeners: { [K in keyof Events]?: Listener<Events[K]>[] } = {};
  private queue: Promise<void> = Promise.resolve();
  /** `delivered` receipts retried in the background (the hub could not store them when the message was shown). */
  private readonly retrying = new Set<Promise<unknown>>();
  /** Messages being opened and receipts being verified ahead of their turn. */
  private readonly opening = new Limiter(OPENING_AT_ONCE);
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private firstReady: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly opts: StreamOptions) {
    this.cursor = opts.after ?? '0';
    for (const key of opts.seen ?? []) this.seen.add(key);
  }

  /** What this stream has already handled, to carry over to a later stream with `cursor`. */
  seenKeys(): string[] {
    return [...this.seen];
  }

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    ((this.listeners[event] ??= []) as Listener<Events[K]>[]).push(listener);
    return this;
  }

  private async emit<K extends keyof Events>(event: K, value: Events[K]): Promise<void> {
    for (const l of this.listeners[event] ?? []) {
      try {
        await l(value);
      } catch (err) {
        if (event !== 'error') void this.emit('error', toError(err));
      }
    }
  }

  /** Connects; resolves once the missed events have been replayed and the stream is live. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstReady = { resolve, reject };
      void this.connect();
    });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    try {
      const token = await this.opts.client.accessToken();
      const Ws = await webSocketClass();
      const url = new URL(ROUTES.stream, this.opts.client.http.baseUrl.replace(/^http/, 'ws'));
      url.searchParams.set('after', this.cursor);
      for (const inbox of this.opts.inboxes ?? []) url.searchParams.append('inbox', inbox);
      const socket = new Ws(url.toString(), streamSubprotocols(token));
      this.socket = socket;
      socket.onmessage = (ev) => {
        const text = typeof ev.data === 'string' ? ev.data : String(ev.data);
        // Opened as it arrives (several at once), told in the order the hub sent.
        const tell = this.begin(text);
        this.queue = this.queue.then(tell).catch((err) => this.emit('error', toError(err)));
      };
      socket.onerror = () => {};
      socket.onclose = (ev) => {
        this.socket = null;
        void this.emit('disconnected', { code: ev.code, reason: ev.reason });
        if (ev.code === STREAM_CLOSE.revoked || ev.code === STREAM_CLOSE.policy) {
          // Revoked or refused: retrying would not help.
          this.firstReady?.reject(new Error(`stream refused (${ev.code})`));
          this.firstReady = null;
          this.closed = true;
          return;
        }
        if (ev.code === STREAM_CLOSE.tooManyStreams) {
          // Not a hot loop: a slot frees only when another stream of this member closes or times out.
          void this.emit('error', new StreamLimitError());
          this.scheduleReconnect(Math.max(this.opts.retryAfterLimitMs ?? 30_000, this.backoff));
          return;
        }
        this.scheduleReconnect();
      };
    } catch (err) {
      void this.emit('error', toError(err));
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(after?: number) {
    if (this.closed || this.reconnectTimer) return;
    const delay = after ?? this.backoff;
    this.backoff = Math.min(this.backoff * 2, 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
  }

  /** Calls `attempt` again, with backoff, while it fails transiently (network, 5xx), for at most `withinMs`. */
  private async untilAnswered<T>(attempt: () => Promise<T>, withinMs = 30_000): Promise<T> {
    const giveUpAt = Date.now() + withinMs;
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
      try {
        return await attempt();
      } catch (err) {
        if (!isTransient(err) || this.closed || Date.now() + delay > giveUpAt) throw err;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private remember(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const max = this.opts.dedupeWindow ?? 50_000;
    if (this.seen.size > max) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  private advance(seq: string | undefined) {
    if (seq && /^\d+$/.test(seq) && BigInt(seq) > BigInt(this.cursor)) this.cursor = seq;
  }

  /** The frame, checked against the contract, or the ProtocolMismatchError FRAME_INVALID that says it is not one. */
  private frameOf(text: string): StreamFrame | ProtocolMismatchError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    try {
      return checkWire(StreamFrameSchema, parsed, 'FRAME_INVALID', ROUTES.stream);
    } catch (err) {
      if (err instanceof ProtocolMismatchError) return err;
      throw err;
    }
  }

  /**
   * Starts the work a frame needs at once — opening a message (its sender's
   * certificate and revocation are asked of the hub), verifying a receipt —
   * at most OPENING_AT_ONCE at a time, and returns what tells the listeners,
   * which the caller runs in the order frames arrived: listeners see the
   * stream's order, and the cursor only moves past what they were told.
   */
  private begin(text: string): () => Promise<void> {
    // A frame the contract does not allow is the hub's fault, not a message's: said, never acted on, the cursor left where it was.
    const event = this.frameOf(text);
    if (event instanceof ProtocolMismatchError) return () => this.emit('error', event);
    if (event.type === 'ready') {
      return async () => {
        this.advance(event.cursor);
        this.backoff = 250;
        this.firstReady?.resolve();
        this.firstReady = null;
        await this.emit('ready', { cursor: this.cursor });
      };
    }
    if (event.type === 'message') {
      const key = `m:${event.envelope.header.id}:${event.inbox}`;
      if (!this.remember(key)) return async () => this.advance(event.seq);
      // Opening may need the directory: a hub that is briefly unavailable is waited for.
      const opening = settled(
        this.opening.run(async () => {
          const opened = await this.untilAnswered(() => this.opts.client.open(event.envelope, event.inbox, event.checkpoint));
          // When the hub accepted it: a receipt is never dated before.
          opened.acceptedAt = event.acceptedAt;
          if (this.opts.autoDelivered !== false) await this.sendDelivered(opened);
          return opened;
        }),
      );
      return async () => {
        await this.tellMessage(event.envelope.header.id, key, await opening);
        this.advance(event.seq);
      };
    }
    if (event.type === 'notice') {
      const n = event.notice;
      return async () => {
        if (this.remember(`n:${n.message}:${n.recipient}:${n.step}:${n.kind}:${event.inbox}`)) await this.emit('notice', { ...n, inbox: event.inbox });
        this.advance(event.seq);
      };
    }
    const d = event.receipt.document;
    if (!this.remember(`r:${d.message}:${d.inbox}:${d.member}:${d.kind}`)) return async () => this.advance(event.seq);
    const verifying = settled(this.opening.run(() => this.opts.client.verifyReceipt(event.receipt)));
    return async () => {
      const verified = await verifying;
      if (verified.ok) await this.emit('receipt', verified.value);
      else await this.emit('invalid', { id: d.message, error: toError(verified.error) });
      this.advance(event.seq);
    };
  }

  /**
   * The device has it before a person reads it: `delivered` is stored before
   * the message is shown. A hub that cannot store the receipt right now must
   * not keep a danger alert from the person: then it is retried meanwhile,
   * and an acknowledgement of this message waits for it (client.ts).
   */
  private async sendDelivered(opened: OpenedMessage): Promise<void> {
    await this.opts.client.receipt(opened, 'delivered').catch(async (err) => {
      if (!isTransient(err)) return this.emit('error', toError(err));
      const retrying = this.untilAnswered(() => this.opts.client.receipt(opened, 'delivered'), 120_000).catch((e) => this.emit('error', toError(e)));
      this.opts.client.deliveredOnItsWay(opened, retrying);
      this.retrying.add(retrying);
      void retrying.finally(() => this.retrying.delete(retrying));
    });
  }

  private async tellMessage(id: string, key: string, result: Settled<OpenedMessage>): Promise<void> {
    if (!result.ok) {
      if (isTransient(result.error)) {
        // Not invalid, only unreachable: a later replay of this event may open it.
        this.seen.delete(key);
        await this.emit('error', toError(result.error));
      } else {
        await this.emit('invalid', { id, error: toError(result.error) });
      }
      return;
    }
    await this.emit('message', result.value);
  }

  /** Stops for good: no reconnect. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'bye');
    await this.queue;
    await Promise.allSettled([...this.retrying]);
  }
}
