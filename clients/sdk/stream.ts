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

export class VigieStream {
  cursor: string;
  private socket: SocketLike | null = null;
  private closed = false;
  private backoff = 250;
  private readonly seen = new Set<string>();
  private readonly listeners: { [K in keyof Events]?: Listener<Events[K]>[] } = {};
  private queue: Promise<void> = Promise.resolve();
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
        this.queue = this.queue.then(() => this.handle(text)).catch((err) => this.emit('error', toError(err)));
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

  private async handle(text: string): Promise<void> {
    // A frame the contract does not allow is the hub's fault, not a message's: said, never acted on, the cursor left where it was.
    const event = this.frameOf(text);
    if (event instanceof ProtocolMismatchError) return this.emit('error', event);
    if (event.type === 'ready') {
      this.advance(event.cursor);
      this.backoff = 250;
      this.firstReady?.resolve();
      this.firstReady = null;
      await this.emit('ready', { cursor: this.cursor });
      return;
    }
    if (event.type === 'message') {
      const id = event.envelope.header.id;
      const key = `m:${id}:${event.inbox}`;
      if (this.remember(key)) {
        let opened: OpenedMessage | null = null;
        try {
          // Opening may need the directory: a hub that is briefly unavailable is waited for.
          opened = await this.untilAnswered(() => this.opts.client.open(event.envelope, event.inbox));
          // When the hub accepted it: a receipt is never dated before.
          opened.acceptedAt = event.acceptedAt;
        } catch (err) {
          if (isTransient(err)) {
            // Not invalid, only unreachable: a later replay of this event may open it.
            this.seen.delete(key);
            await this.emit('error', toError(err));
          } else {
            await this.emit('invalid', { id, error: toError(err) });
          }
        }
        if (opened) {
          // The device has it before a person reads it: `delivered` goes first. A hub that
          // cannot store the receipt right now must not keep a danger alert from the person.
          if (this.opts.autoDelivered !== false) {
            const receipt = opened;
            await this.opts.client.receipt(receipt, 'delivered').catch((err) => {
              if (!isTransient(err)) return this.emit('error', toError(err));
              void this.untilAnswered(() => this.opts.client.receipt(receipt, 'delivered'), 120_000).catch((e) => this.emit('error', toError(e)));
            });
          }
          await this.emit('message', opened);
        }
      }
    } else if (event.type === 'notice') {
      const n = event.notice;
      if (this.remember(`n:${n.message}:${n.recipient}:${n.step}:${n.kind}:${event.inbox}`)) await this.emit('notice', { ...n, inbox: event.inbox });
    } else {
      const d = event.receipt.document;
      if (this.remember(`r:${d.message}:${d.inbox}:${d.member}:${d.kind}`)) {
        try {
          await this.emit('receipt', await this.opts.client.verifyReceipt(event.receipt));
        } catch (err) {
          await this.emit('invalid', { id: d.message, error: toError(err) });
        }
      }
    }
    this.advance(event.seq);
  }

  /** Stops for good: no reconnect. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'bye');
    await this.queue;
  }
}
