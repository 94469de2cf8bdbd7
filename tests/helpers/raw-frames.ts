// What the hub sent on the wire, below the SDK's de-duplication: the SDK takes
// its WebSocket class from globalThis when there is one (a browser's), so a
// recording subclass of `ws` put there sees every text frame of every stream
// the SDK opens in this process, before the SDK parses, filters or
// de-duplicates it. Nothing in the SDK is patched or reached into.
//
// Delivery is at least once (DESIGN invariant 2, docs/wire-format.md §15): a
// stream may legitimately receive the same feed event twice — a replay starts a
// little before the cursor, and a delivery job re-driven after Redis lost it
// publishes its event again — but every copy is the one stored event, with its
// one `seq`. So the raw checks are: exactly one frame per message on a
// connection that stayed live through no fault; across a fault at least one,
// and every copy of a message the same feed event (`seqsOf(...)` has one seq).
import WebSocket from 'ws';
import { BEARER_SUBPROTOCOL_PREFIX } from '../../protocol/stream.js';

/** One text frame the hub sent, as it came off the socket. */
export interface RawFrame {
  /** The member whose access token opened the socket (the JWT's `sub`). */
  member: string;
  /** 1 for the member's first socket in this process, 2 for the next one tried (a reconnection)… */
  connection: number;
  type: string | undefined;
  seq: string | undefined;
  inbox: string | undefined;
  /** The message the frame is about: a message's envelope id, a receipt's or a notice's message. */
  message: string | undefined;
  /** A receipt's kind (`delivered`, `acknowledged`) or a notice's. */
  kind: string | undefined;
  /** When it came off the socket (Date.now()). */
  at: number;
}

interface ParsedFrame {
  type?: string;
  seq?: string;
  inbox?: string;
  message?: string;
  envelope?: { header?: { id?: string } };
  receipt?: { document?: { message?: string; kind?: string } };
  notice?: { message?: string; kind?: string };
}

function memberOf(protocols: string | string[] | undefined): string {
  const bearer = [protocols ?? []].flat().find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (!bearer) return '';
  const payload = bearer.slice(BEARER_SUBPROTOCOL_PREFIX.length).split('.')[1] ?? '';
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string }).sub ?? '';
  } catch {
    return '';
  }
}

export class RawFrames {
  readonly frames: RawFrame[] = [];
  private readonly tried = new Map<string, number>();
  private readonly opened = new Map<string, number>();

  /** @internal a socket of `member` is being tried; its number */
  connecting(member: string): number {
    const n = (this.tried.get(member) ?? 0) + 1;
    this.tried.set(member, n);
    return n;
  }

  /** @internal a socket of `member` opened (the hub accepted it) */
  open(member: string): void {
    this.opened.set(member, (this.opened.get(member) ?? 0) + 1);
  }

  /** @internal a text frame arrived on a socket */
  received(member: string, connection: number, text: string): void {
    let f: ParsedFrame;
    try {
      f = JSON.parse(text) as ParsedFrame;
    } catch {
      return;
    }
    this.frames.push({
      member,
      connection,
      type: f.type,
      seq: f.seq,
      inbox: f.inbox,
      message: f.envelope?.header?.id ?? f.receipt?.document?.message ?? f.notice?.message ?? f.message,
      kind: f.receipt?.document?.kind ?? f.notice?.kind,
      at: Date.now(),
    });
  }

  /** How many sockets of `member`'s streams the hub accepted (1 when no stream of it ever reconnected); attempts refused before opening are not counted. */
  connections(member: string): number {
    return this.opened.get(member) ?? 0;
  }

  /** The frames of `type` on `member`'s sockets for `inbox` (and `connection`, when given). */
  of(member: string, type: string, inbox: string, connection?: number): RawFrame[] {
    return this.frames.filter((f) => f.member === member && f.type === type && f.inbox === inbox && (connection === undefined || f.connection === connection));
  }

  /** How many `message` frames of each message id reached `member` for `inbox`. */
  messageCounts(member: string, inbox: string, connection?: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const f of this.of(member, 'message', inbox, connection)) if (f.message) counts.set(f.message, (counts.get(f.message) ?? 0) + 1);
    return counts;
  }

  /** The distinct feed positions under which each message reached `member` for `inbox`: one each, when every copy is the stored event. */
  seqsOf(member: string, inbox: string): Map<string, Set<string>> {
    const seqs = new Map<string, Set<string>>();
    for (const f of this.of(member, 'message', inbox)) {
      if (!f.message || f.seq === undefined) continue;
      const s = seqs.get(f.message) ?? new Set<string>();
      s.add(f.seq);
      seqs.set(f.message, s);
    }
    return seqs;
  }
}

/**
 * Records every frame that reaches an SDK stream opened in this process until
 * the test ends (the previous globalThis.WebSocket is put back then).
 *
 * @example
 * const raw = observeRawFrames(t);
 * const stream = officer.client.stream();
 * // …
 * t.same([...raw.messageCounts(officer.keys.member, 'police-laval/dispatch').values()], [1]);
 */
export function observeRawFrames(t: { teardown(fn: () => void): void }): RawFrames {
  const g = globalThis as unknown as { WebSocket?: unknown };
  const previous = g.WebSocket;
  const raw = new RawFrames();
  class RecordingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      const member = memberOf(protocols);
      const connection = raw.connecting(member);
      this.once('open', () => raw.open(member));
      // Added before the SDK sets onmessage, so each frame is recorded before the SDK handles it.
      this.on('message', (data, isBinary) => {
        if (!isBinary) raw.received(member, connection, data.toString());
      });
    }
  }
  g.WebSocket = RecordingWebSocket;
  t.teardown(() => {
    g.WebSocket = previous;
  });
  return raw;
}
