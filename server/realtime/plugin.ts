import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RawServerDefault } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import type { ActiveMember } from '../auth/members.js';
import { bearerOf } from '../auth/bearer.js';
import { VigieError } from '../http/errors.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { StreamQuerySchema } from '../../protocol/api/stream-events.js';
import { resumeFloor, type FeedPage } from './feed.js';
import { STREAM_CLOSE } from '../../protocol/stream.js';

declare module 'fastify' {
  interface FastifyInstance {
    realtime: {
      /** Publishes a serialised stream event to every hub instance serving this inbox. */
      publish(inbox: string, event: string): Promise<void>;
      /** Closes, on every instance, the sockets of a revoked member. */
      disconnectMember(member: string): Promise<void>;
      /** Sockets open on this instance. */
      connections(): number;
      /** What this instance holds for each of its streams. */
      streams(): StreamStats[];
    };
  }
}

export interface RealtimeOptions {
  queuePrefix: string;
  /** See resumeFloor. */
  resumeLookbackMs?: number;
  /** Simultaneous streams of one member on this instance; one more is closed with CLOSE_TOO_MANY_STREAMS. */
  maxStreamsPerMember: number;
  /** A replay page: the feed's events after a cursor, with their payloads (messages/ renders them; wired in app.ts). */
  page: FeedPage;
}

/** What the hub holds for one stream (tests and operators read it through `app.realtime.streams()`). */
export interface StreamStats {
  member: string;
  /** `replaying` from PostgreSQL, `waiting` for a reader that does not read, or `live`. */
  state: 'replaying' | 'waiting' | 'live';
  /** Bytes written to the socket and not yet taken by the kernel (ws `bufferedAmount`). */
  socketBytes: number;
  /** Bytes of live events held while the replay runs. */
  heldLiveBytes: number;
  /** Live events not held (the replay read them again from PostgreSQL instead). */
  liveDropped: number;
}

interface Session {
  socket: WebSocket;
  member: ActiveMember;
  inboxes: string[];
  cursor: bigint;
  /**
   * While replaying from PostgreSQL, live events wait here, up to
   * MAX_HELD_LIVE_BYTES; beyond, they are dropped (`overflowed`) and the
   * replay runs again from the cursor, which finds them in PostgreSQL.
   */
  buffer: string[] | null;
  heldBytes: number;
  overflowed: boolean;
  dropped: number;
  /** A replay is running; `replayAgain` asks it for one more pass (Redis came back meanwhile). */
  replaying: boolean;
  replayAgain: boolean;
  waiting: boolean;
}

/** The largest stream position (PostgreSQL int8). */
const MAX_CURSOR = 2n ** 63n - 1n;
const REPLAY_PAGE = 100;
/** A replay writes no further while its socket holds more than this: it waits for the reader (backpressure). */
const REPLAY_HIGH_WATER_BYTES = 1024 * 1024;
/** Live events held during a replay, at most; beyond, the replay runs again instead. */
const MAX_HELD_LIVE_BYTES = 1024 * 1024;
/** Replay passes after which a reader that still cannot keep up is closed (1013: try again later). */
const MAX_REPLAY_PASSES = 4;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const PING_MS = 25_000;
/**
 * Close codes clients act on (docs/wire-format.md §15): expired → reconnect
 * with a new token; revoked → stop; too many streams → this member already
 * has `maxStreamsPerMember` streams open on this hub instance: wait before trying again.
 */
export const CLOSE_TOKEN_EXPIRED = STREAM_CLOSE.tokenExpired;
export const CLOSE_REVOKED = STREAM_CLOSE.revoked;
export const CLOSE_TOO_MANY_STREAMS = STREAM_CLOSE.tooManyStreams;
const tokenExpiry = new WeakMap<object, number>();

/**
 * The WebSocket gateway: `/v1/stream` streams the events of the member's
 * inboxes, first those missed since its cursor (from PostgreSQL, in order),
 * then live ones fanned out through Redis pub/sub from any hub instance.
 */
export const realtimePlugin = fp<RealtimeOptions, RawServerDefault, TypeBoxTypeProvider>(
  async (app, opts) => {
    const inboxChannel = (inbox: string) => `${opts.queuePrefix}:inbox:${inbox}`;
    const controlChannel = `${opts.queuePrefix}:control`;
    const channelPrefix = `${opts.queuePrefix}:inbox:`;
    // A minute: a transaction held up by a saturated pool or a restarting database commits late, with an early position.
    const lookbackMs = opts.resumeLookbackMs ?? 60_000;
    const byInbox = new Map<string, Set<Session>>();
    const sessions = new Set<Session>();
    const { subscriber, command } = app.redis;

    void subscriber.subscribe(controlChannel).catch(() => {});
    subscriber.on('message', (channel: string, payload: string) => {
      if (channel === controlChannel) {
        const msg = safeParse(payload) as { type?: string; member?: string } | null;
        if (msg?.type === 'member-revoked') {
          for (const s of sessions) if (s.member.id === msg.member) s.socket.close(CLOSE_REVOKED, 'revoked');
        }
        return;
      }
      if (!channel.startsWith(channelPrefix)) return;
      const local = byInbox.get(channel.slice(channelPrefix.length));
      if (!local) return;
      for (const session of local) send(session, payload);
    });
    // ioredis re-subscribes after a reconnect; events published meanwhile are caught up from PostgreSQL.
    let subscriberWasDown = false;
    subscriber.on('close', () => (subscriberWasDown = true));
    subscriber.on('ready', () => {
      if (!subscriberWasDown) return;
      subscriberWasDown = false;
      for (const s of sessions) void replay(s).catch(() => {});
    });

    function send(session: Session, payload: string) {
      if (session.buffer) {
        if (session.overflowed) {
          session.dropped++;
          return;
        }
        if (session.heldBytes + payload.length > MAX_HELD_LIVE_BYTES) {
          // Held no further: the replay's next pass reads these from PostgreSQL.
          session.dropped += session.buffer.length + 1;
          session.buffer = [];
          session.heldBytes = 0;
          session.overflowed = true;
          return;
        }
        session.buffer.push(payload);
        session.heldBytes += payload.length;
        return;
      }
      if (session.socket.readyState !== session.socket.OPEN) return;
      // A reader that cannot keep up resumes from its cursor rather than growing our memory.
      if (session.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        session.socket.close(1013, 'slow consumer');
        return;
      }
      const seq = seqOf(payload);
      if (seq !== null && seq > session.cursor) session.cursor = seq;
      session.socket.send(payload);
    }

    const isOpen = (session: Session) => session.socket.readyState === session.socket.OPEN;

    /**
     * Writes one replayed event; when the socket already holds more than
     * REPLAY_HIGH_WATER_BYTES, resolves only once the kernel took it all (or
     * the socket closed): a reader that does not read holds up its own
     * replay, never the hub's memory.
     */
    function sendPaced(session: Session, payload: string): Promise<void> {
      const { socket } = session;
      if (socket.bufferedAmount + payload.length <= REPLAY_HIGH_WATER_BYTES) {
        socket.send(payload);
        return Promise.resolve();
      }
      session.waiting = true;
      return new Promise<void>((resolve) => {
        const done = () => {
          socket.off('close', done);
          session.waiting = false;
          resolve();
        };
        socket.once('close', done);
        socket.send(payload, done);
      });
    }

    /** One pass from the cursor (less the resume window) to the end of the feed; false when the socket closed. */
    async function replayPass(session: Session): Promise<boolean> {
      let after = await resumeFloor(app.db, session.cursor, lookbackMs);
      for (;;) {
        const page = await opts.page(app.db, session.inboxes, after, REPLAY_PAGE);
        for (const event of page) {
          if (!isOpen(session)) return false;
          await sendPaced(session, JSON.stringify(event));
          after = BigInt(event.seq);
          if (after > session.cursor) session.cursor = after;
        }
        if (page.length < REPLAY_PAGE) return isOpen(session);
      }
    }

    /**
     * Catch-up from PostgreSQL, page by page at the reader's pace, with the
     * live events of meanwhile held (bounded) and sent after it, then `ready`.
     */
    async function replay(session: Session) {
      if (session.replaying) {
        session.replayAgain = true;
        return;
      }
      session.replaying = true;
      session.buffer ??= [];
      try {
        for (let pass = 1; ; pass++) {
          session.overflowed = false;
          session.replayAgain = false;
          if (!(await replayPass(session))) return;
          if (!session.overflowed && !session.replayAgain) break;
          if (pass >= MAX_REPLAY_PASSES) {
            session.socket.close(1013, 'slow consumer');
            return;
          }
        }
      } finally {
        session.replaying = false;
        const waiting = session.buffer ?? [];
        session.buffer = null;
        session.heldBytes = 0;
        for (const payload of waiting) send(session, payload);
        if (isOpen(session)) session.socket.send(JSON.stringify({ type: 'ready', cursor: session.cursor.toString() }));
      }
    }

    function attach(session: Session) {
      sessions.add(session);
      for (const inbox of session.inboxes) {
        let set = byInbox.get(inbox);
        if (!set) {
          set = new Set();
          byInbox.set(inbox, set);
          void subscriber.subscribe(inboxChannel(inbox)).catch(() => {});
        }
        set.add(session);
      }
    }

    function detach(session: Session) {
      sessions.delete(session);
      for (const inbox of session.inboxes) {
        const set = byInbox.get(inbox);
        if (!set) continue;
        set.delete(session);
        if (set.size === 0) {
          byInbox.delete(inbox);
          void subscriber.unsubscribe(inboxChannel(inbox)).catch(() => {});
        }
      }
    }

    app.decorate('realtime', {
      async publish(inbox: string, event: string) {
        await command.publish(inboxChannel(inbox), event);
      },
      async disconnectMember(member: string) {
        for (const s of sessions) if (s.member.id === member) s.socket.close(CLOSE_REVOKED, 'revoked');
        await command.publish(controlChannel, JSON.stringify({ type: 'member-revoked', member })).catch(() => {});
      },
      connections: () => sessions.size,
      streams: () =>
        [...sessions].map((s) => ({
          member: s.member.id,
          state: s.waiting ? ('waiting' as const) : s.replaying ? ('replaying' as const) : ('live' as const),
          socketBytes: s.socket.bufferedAmount,
          heldLiveBytes: s.heldBytes,
          liveDropped: s.dropped,
        })),
    });

    app.addHook('onClose', async () => {
      for (const s of sessions) s.socket.close(1001, 'shutting down');
    });

    app.get(
      ROUTES.stream,
      {
        websocket: true,
        schema: { tags: ['realtime'], summary: 'WebSocket stream of the member’s inboxes (resume with ?after=<cursor>)', querystring: StreamQuerySchema },
        preValidation: async (request) => {
          const member = await app.authenticateToken(bearerOf(request));
          const query = request.query;
          // A cursor is a position in an int8 sequence: beyond it, PostgreSQL would fail the replay.
          if (typeof query.after === 'string' && /^\d+$/.test(query.after) && BigInt(query.after) > MAX_CURSOR) throw new VigieError('NUMBER_OUT_OF_RANGE');
          const asked = query.inbox === undefined ? member.inboxes : Array.isArray(query.inbox) ? query.inbox : [query.inbox];
          // Another agency's inbox, or one this device is not certified for, is refused before the upgrade.
          if (asked.some((i) => !member.inboxes.includes(i))) throw new VigieError('INBOX_FORBIDDEN');
          request.member = { ...member, inboxes: asked };
          tokenExpiry.set(request, member.tokenExpiresAt);
        },
      },
      (socket, request) => {
        const member = request.member!;
        // Per instance: behind a load balancer a member may hold this many streams on each instance.
        let open = 0;
        for (const s of sessions) if (s.member.id === member.id) open++;
        if (open >= opts.maxStreamsPerMember) {
          socket.on('error', () => socket.terminate());
          socket.close(CLOSE_TOO_MANY_STREAMS, 'too many streams');
          return;
        }
        const after = request.query.after;
        const session: Session = {
          socket,
          member,
          inboxes: member.inboxes,
          cursor: after ? BigInt(after) : 0n,
          buffer: [],
          heldBytes: 0,
          overflowed: false,
          dropped: 0,
          replaying: false,
          replayAgain: false,
          waiting: false,
        };
        attach(session);
        let alive = true;
        const ping = setInterval(() => {
          if (!alive) return socket.terminate();
          alive = false;
          socket.ping();
        }, PING_MS);
        ping.unref();
        socket.on('pong', () => (alive = true));
        // The token was checked at the handshake; when it expires the socket closes and the
        // client reconnects with a fresh one (and is checked again, revocation included).
        const expiry = setTimeout(() => socket.close(CLOSE_TOKEN_EXPIRED, 'token expired'), Math.max(0, (tokenExpiry.get(request) ?? 0) - Date.now()));
        expiry.unref();
        // Clients only speak HTTP to the hub; anything they write here is ignored.
        socket.on('message', () => {});
        socket.on('close', () => {
          clearInterval(ping);
          clearTimeout(expiry);
          detach(session);
        });
        socket.on('error', () => socket.terminate());
        void replay(session).catch((err: unknown) => {
          app.log.warn({ err }, 'stream replay failed');
          socket.close(1011, 'replay failed');
        });
      },
    );
  },
  { name: 'vigie-realtime', dependencies: ['vigie-db', 'vigie-redis', 'vigie-auth'] },
);

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The seq of a serialised event without parsing the whole (possibly large) payload. */
function seqOf(payload: string): bigint | null {
  const m = /"seq":"(\d{1,19})"/.exec(payload.slice(0, 64));
  return m ? BigInt(m[1]!) : null;
}
