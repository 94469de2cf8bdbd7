// Every answer of the hub and every frame of its stream is checked against
// protocol/api before the SDK acts on it: a mismatch is a typed
// ProtocolMismatchError naming the route, never the content.
import t from 'tap';
import { agencyInboxes } from '../../../clients/sdk/agencies.js';
import type { VigieClient } from '../../../clients/sdk/client.js';
import { HubHttp, VigieApiError } from '../../../clients/sdk/http.js';
import { VigieStream, type Notice } from '../../../clients/sdk/stream.js';
import { ProtocolMismatchError, routeOf } from '../../../clients/sdk/wire-check.js';
import { MessageStatusSchema } from '../../../protocol/api/messages.js';
import { ROUTES } from '../../../protocol/api/routes.js';

const SECRET = 'Menace-de-mort-ce-soir';
const MESSAGE = '0190a8f2-7c1e-7a3b-9d4e-5f6a7b8c9d0e';

/** fetch answers `body` with `status` for every request; the requested paths are recorded. */
function answering(t: { teardown(fn: () => void): void }, status: number, body: string) {
  const paths: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: URL | RequestInfo) => {
    paths.push(new URL(String(input)).pathname);
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  t.teardown(() => {
    globalThis.fetch = realFetch;
  });
  return paths;
}

const http = new HubHttp('http://hub.test');

t.test('a well-formed answer passes, typed', async (t) => {
  const desks = [{ inbox: 'police-laval/dispatch', names: { fr: 'Répartition', en: 'Dispatch' }, keyVersion: 2 }];
  const paths = answering(t, 200, JSON.stringify(desks));
  t.same(await agencyInboxes(http, 'police-laval'), desks);
  t.same(paths, ['/v1/agencies/police-laval/inboxes'], 'the path is built from the shared route');
});

t.test('an answer that does not match its schema is RESPONSE_INVALID, naming the route and nothing of the body', async (t) => {
  // keyVersion is missing: the hub (or something in front of it) answered another shape.
  answering(t, 200, JSON.stringify([{ inbox: 'police-laval/dispatch', names: { fr: SECRET, en: SECRET } }]));
  const err = await agencyInboxes(http, 'police-laval').then(() => null, (e: unknown) => e);
  t.ok(err instanceof ProtocolMismatchError, 'a typed error');
  const mismatch = err as ProtocolMismatchError;
  t.equal(mismatch.code, 'RESPONSE_INVALID');
  t.equal(mismatch.route, ROUTES.agencyInboxes, 'the route template, not the path with its ids');
  t.notMatch(mismatch.message, SECRET, 'no content in the message');
  t.notMatch(mismatch.message, 'police-laval', 'no identifier in the message');
});

t.test('a body that is not JSON is RESPONSE_INVALID, not a SyntaxError', async (t) => {
  answering(t, 200, `<html>${SECRET}</html>`);
  const err = await http.get(`/v1/messages/${MESSAGE}/status`, MessageStatusSchema).then(() => null, (e: unknown) => e);
  t.ok(err instanceof ProtocolMismatchError);
  t.equal((err as ProtocolMismatchError).code, 'RESPONSE_INVALID');
  t.equal((err as ProtocolMismatchError).route, ROUTES.messageStatus);
});

t.test('a refusal keeps the hub code', async (t) => {
  answering(t, 404, JSON.stringify({ error: { code: 'MESSAGE_UNKNOWN', message: 'Message inconnu.' } }));
  const refused = await http.get(`/v1/messages/${MESSAGE}/status`, MessageStatusSchema).then(() => null, (e: unknown) => e);
  t.ok(refused instanceof VigieApiError);
  t.equal((refused as VigieApiError).code, 'MESSAGE_UNKNOWN');
});

t.test('a refusal body of another shape', async (t) => {
  answering(t, 502, JSON.stringify({ error: { code: 42, message: SECRET } }));
  const refused = await http.get(`/v1/messages/${MESSAGE}/status`, MessageStatusSchema).then(() => null, (e: unknown) => e);
  t.ok(refused instanceof VigieApiError);
  t.equal((refused as VigieApiError).code, 'HTTP_502', 'a code that is not a string is not taken as one');
  t.notMatch((refused as VigieApiError).message, SECRET);
});

t.test('routeOf names the most specific route of a path', async (t) => {
  t.equal(routeOf('/v1/protocols/shelter-police/retirement'), ROUTES.protocolRetirement);
  t.equal(routeOf('/v1/protocols/shelter-police/2'), ROUTES.protocolVersion);
  t.equal(routeOf('/v1/log/records?after=3&limit=10'), ROUTES.logRecords);
  t.equal(routeOf('/v1/inboxes/police-laval/dispatch/members'), ROUTES.inboxMembers);
  t.equal(routeOf('/nowhere'), 'other');
});

/** A WebSocket that, once the stream listens, delivers `frames` in order. */
function framesSocketClass(frames: string[]) {
  return class {
    readyState = 1;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    constructor() {
      queueMicrotask(() => {
        for (const data of frames) this.onmessage?.({ data });
      });
    }
    send() {}
    close() {}
  };
}

function streamOf(t: { teardown(fn: () => void): void }, frames: string[]) {
  const g = globalThis as unknown as { WebSocket?: unknown };
  const realWebSocket = g.WebSocket;
  g.WebSocket = framesSocketClass(frames);
  t.teardown(() => {
    g.WebSocket = realWebSocket;
  });
  const client = { accessToken: async () => 'token', http: { baseUrl: 'http://hub.test' } } as unknown as VigieClient;
  return new VigieStream({ client });
}

const notice = { kind: 'unacknowledged', message: MESSAGE, recipient: 'police-laval/dispatch', step: 0, at: '2026-03-01T02:05:00.000Z', deadlineAt: '2026-03-01T02:05:00.000Z' };

t.test('a frame that does not match the contract is FRAME_INVALID: reported, not acted on, the cursor unmoved', async (t) => {
  const stream = streamOf(t, [
    // A notice of a kind the contract does not know, carrying text it has no place for.
    JSON.stringify({ type: 'notice', seq: '90', inbox: 'shelter-laval/intake', message: MESSAGE, notice: { ...notice, kind: 'call_now', text: SECRET } }),
    'not json',
    JSON.stringify({ type: 'notice', seq: '7', inbox: 'shelter-laval/intake', message: MESSAGE, notice }),
    JSON.stringify({ type: 'ready', cursor: '7' }),
  ]);
  const errors: unknown[] = [];
  const notices: Notice[] = [];
  stream.on('error', (e) => void errors.push(e));
  stream.on('notice', (n) => void notices.push(n));
  await stream.open();
  t.equal(errors.length, 2, 'each bad frame is reported once');
  for (const err of errors) {
    t.ok(err instanceof ProtocolMismatchError, 'a typed error');
    t.equal((err as ProtocolMismatchError).code, 'FRAME_INVALID');
    t.equal((err as ProtocolMismatchError).route, ROUTES.stream);
    t.notMatch((err as ProtocolMismatchError).message, SECRET, 'no content in the message');
  }
  t.same(notices, [{ ...notice, inbox: 'shelter-laval/intake' }], 'only the well-formed notice is emitted');
  t.equal(stream.cursor, '7', 'the bad frame’s seq did not move the cursor');
  await stream.close();
});
