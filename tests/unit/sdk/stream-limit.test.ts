// The SDK stream and the hub's close codes: "too many streams" is reported
// and retried after a long pause, never in a loop; "revoked" stops.
import t from 'tap';
import { STREAM_CLOSE, StreamLimitError, VigieStream } from '../../../clients/sdk/stream.js';
import type { VigieClient } from '../../../clients/sdk/client.js';

/** A WebSocket that the hub closes at once with `code`; every construction is counted. */
function fakeSocketClass(code: number, made: string[]) {
  return class {
    readyState = 0;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    constructor(url: string) {
      made.push(url);
      queueMicrotask(() => this.onclose?.({ code, reason: '' }));
    }
    send() {}
    close() {}
  };
}

const client = { accessToken: async () => 'token', http: { baseUrl: 'http://hub.test' } } as unknown as VigieClient;

function withFakes(t: { teardown(fn: () => void): void }, code: number) {
  const made: string[] = [];
  const delays: number[] = [];
  const g = globalThis as unknown as { WebSocket?: unknown };
  const realWebSocket = g.WebSocket;
  const realSetTimeout = globalThis.setTimeout;
  g.WebSocket = fakeSocketClass(code, made);
  // Timers are recorded, never run: the test reads the delay the stream chose.
  globalThis.setTimeout = ((_fn: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return realSetTimeout(() => {}, 0);
  }) as typeof setTimeout;
  t.teardown(() => {
    g.WebSocket = realWebSocket;
    globalThis.setTimeout = realSetTimeout;
  });
  return { made, delays };
}

t.test('too many streams: reported as STREAM_LIMIT, retried after 30 s, not in a loop', async (t) => {
  const { made, delays } = withFakes(t, STREAM_CLOSE.tooManyStreams);
  const stream = new VigieStream({ client });
  const errors: unknown[] = [];
  stream.on('error', (e) => void errors.push(e));
  void stream.open();
  for (let i = 0; i < 20 && errors.length === 0; i++) await new Promise((r) => queueMicrotask(() => r(null)));
  t.equal(made.length, 1, 'one attempt');
  t.ok(errors[0] instanceof StreamLimitError, 'the limit is reported');
  t.same(delays, [30_000], 'the next attempt waits 30 s');
});

t.test('revoked: no retry at all', async (t) => {
  const { made, delays } = withFakes(t, STREAM_CLOSE.revoked);
  const stream = new VigieStream({ client });
  await t.rejects(stream.open(), /stream refused \(4401\)/);
  t.equal(made.length, 1);
  t.same(delays, [], 'no reconnect scheduled');
});
