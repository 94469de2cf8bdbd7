// The SDK's node:http transport (the CLI's, the demo's and the bench's), over
// real sockets to a local server: what goes out (headers, a UTF-8 body), what
// comes back (JSON, a refusal with its code, headers), sockets kept alive, a
// kept-alive socket the server dropped sent again once on a new one, and a
// network failure thrown as fetch throws it.
import t from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Type } from '@sinclair/typebox';
import { HubHttp, useHttpTransport, VigieApiError } from '../../../clients/sdk/http.js';
import { createNodeHttpTransport, nodeHttpTransport } from '../../../clients/sdk/node-http.js';
import { describeError } from '../../../clients/cli/errors.js';
import { freePort } from '../../../server/lib/net.js';

useHttpTransport(nodeHttpTransport);

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: number;
}

/** A server that records what it was asked; `answer` decides what it says. */
async function server(t: typeof import('tap').Test.prototype, answer: (seen: Seen, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const sockets = new Map<unknown, number>();
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1);
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), socket: sockets.get(req.socket)! };
      seen.push(s);
      answer(s, req, res);
    });
  });
  // The server would keep an idle socket a minute: any earlier close is the client's.
  srv.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => srv.close(() => resolve())).then(() => srv.closeAllConnections()));
  return { srv, url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen, connections: () => sockets.size };
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

t.test('requests and answers, on one kept-alive socket', async (t) => {
  const hub = await server(t, (s, _req, res) => json(res, 200, { got: s.body ? JSON.parse(s.body) : null }, { 'x-vigie-next-after': '42' }));
  const api = new HubHttp(hub.url, 'en');
  const Answer = Type.Object({ got: Type.Unknown() });
  t.same(await api.get('/v1/a?b=c', Answer, 'tok'), { got: null }, 'a GET answered');
  t.same(await api.post('/v1/b', { text: 'Il est devant la maison — arme' }, Answer), { got: { text: 'Il est devant la maison — arme' } }, 'a UTF-8 body goes and comes back whole');
  const { res } = await api.send('GET', '/v1/c');
  t.equal(res.headers.get('X-Vigie-Next-After'), '42', 'answer headers are read by name, any case');
  t.equal(res.headers.get('x-absent'), null, 'an absent header is null');
  t.match(hub.seen[0], { method: 'GET', url: '/v1/a?b=c', headers: { authorization: 'Bearer tok', 'accept-language': 'en', accept: 'application/json' } }, 'path, query and headers as given');
  t.match(hub.seen[1]!.headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(hub.seen[1]!.body)) }, 'a body has its type and its length in bytes');
  t.equal(hub.connections(), 1, 'three requests, one connection');
});

t.test('a refusal is a VigieApiError with the hub’s code; a body that is not JSON says so', async (t) => {
  const hub = await server(t, (s, _req, res) => {
    if (s.url === '/refused') return json(res, 403, { error: { code: 'INBOX_FORBIDDEN', message: 'non' } });
    res.writeHead(502, 'Bad Gateway');
    res.end('<html>proxy</html>');
  });
  const api = new HubHttp(hub.url);
  await t.rejects(api.json('GET', '/refused'), { constructor: VigieApiError, status: 403, code: 'INBOX_FORBIDDEN', message: 'non' });
  await t.rejects(api.json('GET', '/proxy'), { constructor: VigieApiError, status: 502, code: 'HTTP_502', message: 'Bad Gateway' });
});

t.test('a kept-alive socket the server dropped: sent again once, on a new socket', async (t) => {
  let dropped = 0;
  const hub = await server(t, (s, req, res) => {
    // The second request on the first socket finds it closed, as when the hub's keep-alive timeout ends.
    if (s.socket === 1 && hub.seen.filter((x) => x.socket === 1).length === 2) {
      dropped++;
      req.socket.destroy();
      return;
    }
    json(res, 200, { n: hub.seen.length });
  });
  const api = new HubHttp(hub.url);
  const Answer = Type.Object({ n: Type.Number() });
  t.same(await api.get('/one', Answer), { n: 1 });
  t.same(await api.get('/two', Answer), { n: 3 }, 'answered, after the retry');
  t.equal(dropped, 1, 'the server dropped the reused socket once');
  t.same(hub.seen.map((s) => [s.url, s.socket]), [['/one', 1], ['/two', 1], ['/two', 2]], 'the same request, again on a new socket');
});

t.test('no answer at all is a network failure, as fetch says it', async (t) => {
  const port = await freePort();
  const err = await new HubHttp(`http://127.0.0.1:${port}`).json('GET', '/v1/health').catch((e: unknown) => e);
  t.type(err, TypeError);
  t.equal((err as Error).message, 'fetch failed');
  t.match((err as Error & { cause: { code: string } }).cause, { code: 'ECONNREFUSED' }, 'the cause says why');
  const unreachable = new TypeError('fetch failed');
  t.equal(describeError(err, 'en', 'http://hub').text, describeError(unreachable, 'en', 'http://hub').text, 'the CLI says what it says when fetch fails');
});

t.test('an idle kept-alive socket is closed on this side; a silent hub fails the request as a network failure', async (t) => {
  const transport = createNodeHttpTransport({ idleMs: 50, answerMs: 200 });
  t.teardown(() => useHttpTransport(nodeHttpTransport));
  useHttpTransport(transport);
  const hub = await server(t, (s, _req, res) => {
    if (s.url === '/silent') return; // never answers
    json(res, 200, { n: hub.seen.length });
  });
  const closed = new Promise<void>((resolve) => hub.srv.once('connection', (socket) => socket.once('close', () => resolve())));
  const api = new HubHttp(hub.url);
  await api.json('GET', '/one');
  await closed;
  await api.json('GET', '/two');
  t.equal(hub.connections(), 2, 'the idle socket was closed by the client; the next request opened a new one');

  const err = await api.json('GET', '/silent').catch((e: unknown) => e);
  t.type(err, TypeError, 'a hub that does not answer');
  t.equal((err as Error).message, 'fetch failed', 'is a network failure, as fetch says it');
  t.match((err as Error & { cause: { code: string } }).cause, { code: 'ETIMEDOUT' });
});

t.test('a redirect is not followed: the person is told where it points, in French and in English', async (t) => {
  const hub = await server(t, (_s, _req, res) => {
    res.writeHead(301, { location: 'https://hub.example/v1/log/key' });
    res.end();
  });
  const err = await new HubHttp(hub.url, 'fr').json('GET', '/v1/log/key').catch((e: unknown) => e);
  t.match(err, { constructor: VigieApiError, status: 301, code: 'HUB_REDIRECTED', message: '→ https://hub.example/v1/log/key' });
  t.equal(hub.seen.length, 1, 'asked once, nothing sent to the other address');
  const fr = describeError(err, 'fr', hub.url).text;
  const en = describeError(await new HubHttp(hub.url, 'en').json('GET', '/v1/log/key').catch((e: unknown) => e), 'en', hub.url).text;
  t.match(fr, /le carrefour a refusé : → https:\/\/hub\.example.*\n.*indiquez avec --hub ou VIGIE_HUB l’adresse vers laquelle elle renvoie/s);
  t.match(en, /the hub refused: → https:\/\/hub\.example.*\n.*give the address it points to with --hub or VIGIE_HUB/s);
  t.notMatch(fr, /Moved Permanently/, 'no English status text in the French sentence');
});
