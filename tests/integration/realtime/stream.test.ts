// The stream: refused before the upgrade for another agency's inbox; a
// member that was offline receives everything it missed, in order.
import t from 'tap';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { CLOSE_TOKEN_EXPIRED } from '../../../server/realtime/plugin.js';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';

const handshake = (url: string, protocols: string[]) =>
  new Promise<{ status: number; body: string }>((resolve) => {
    const ws = new WebSocket(url, protocols);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', () => {});
  });

t.test('handshake refusals', async (t) => {
  const hub = await startTestHub(t);
  const { worker } = await enrolPartners(hub.url, hub.operatorToken);
  const base = `${hub.url.replace('http', 'ws')}/v1/stream`;
  const token = await worker.client.accessToken();
  const other = await handshake(`${base}?inbox=police-laval/dispatch`, ['vigie.v1', `vigie.bearer.${token}`]);
  t.equal(other.status, 403, 'a shelter device cannot open the police inbox stream');
  t.match(other.body, /INBOX_FORBIDDEN/);
  const none = await handshake(base, ['vigie.v1']);
  t.equal(none.status, 401, 'no token, no stream');
  t.match(none.body, /UNAUTHENTICATED/);
  const bad = await handshake(`${base}?after=abc`, ['vigie.v1', `vigie.bearer.${token}`]);
  t.equal(bad.status, 400, 'a malformed cursor is a 400');
  const beyond = await handshake(`${base}?after=9223372036854775808`, ['vigie.v1', `vigie.bearer.${token}`]);
  t.equal(beyond.status, 400, 'a cursor beyond int8 is a 400, not a failed replay');
  t.match(beyond.body, /NUMBER_OUT_OF_RANGE/);
  const own = await handshake(`${base}?inbox=shelter-laval/intake`, ['vigie.v1', `vigie.bearer.${token}`]);
  t.equal(own.status, 101, 'its own inbox opens');
});

t.test('an offline member catches up in order, then resumes from its cursor', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push((await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { n: i }, ...underConsent })).id);
  }
  const got: OpenedMessage[] = [];
  const first = officer.client.stream({ autoDelivered: false });
  first.on('message', (m) => void got.push(m));
  await first.open();
  t.same(got.map((m) => m.id), ids, 'the five missed messages, in the order they were accepted');
  const cursor = first.cursor;
  await first.close();

  for (let i = 5; i < 8; i++) {
    ids.push((await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { n: i }, ...underConsent })).id);
  }
  const later: OpenedMessage[] = [];
  const second = officer.client.stream({ after: cursor, seen: first.seenKeys() });
  second.on('message', (m) => void later.push(m));
  await second.open();
  t.teardown(() => second.close());
  t.same(later.map((m) => (m.content as { n: number }).n), [5, 6, 7], 'resuming from the cursor brings only what came after');
  const live = (await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { n: 8 }, ...underConsent })).id;
  await eventually(() => later.length === 4);
  t.equal(later[3]!.id, live, 'then live');
});

t.test('a stream closes when its token expires (the client reconnects with a new one)', async (t) => {
  const hub = await startTestHub(t);
  const { officer } = await enrolPartners(hub.url, hub.operatorToken);
  const now = Math.floor(Date.now() / 1000);
  const shortLived = await new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: hub.app.hubKey.kid })
    .setIssuer(hub.config.audience)
    .setAudience(hub.config.audience)
    .setSubject(officer.keys.member)
    .setIssuedAt(now)
    .setExpirationTime(now + 2)
    .sign(hub.app.hubKey.privateKey);
  const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/v1/stream`, ['vigie.v1', `vigie.bearer.${shortLived}`]);
  const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
  t.equal(code, CLOSE_TOKEN_EXPIRED, 'closed with the token-expired code');

  // The SDK treats that code as "reconnect", not as a refusal.
  const stream = officer.client.stream();
  await stream.open();
  t.teardown(() => stream.close());
  t.equal(hub.app.realtime.connections(), 1, 'a fresh token opens a new stream');
});
