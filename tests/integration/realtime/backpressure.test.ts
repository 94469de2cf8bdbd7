// Bounded resources on the stream: a reader that does not read holds up its
// own catch-up, not the hub's memory, and the hub keeps serving everyone
// else; live events that arrive meanwhile are held up to a bound, then read
// again from PostgreSQL; a member has at most maxStreamsPerMember streams,
// and the SDK waits before asking again.
import t from 'tap';
import pg from 'pg';
import WebSocket from 'ws';
import { CLOSE_TOO_MANY_STREAMS } from '../../../server/realtime/plugin.js';
import { StreamLimitError } from '../../../clients/sdk/stream.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';

const MiB = 1024 * 1024;
const BACKLOG = 200;

t.test('a paused reader replaying a large backlog holds a bounded amount of the hub’s memory', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underConsent, policeUnderConsent } = await enrolPartners(hub.url, hub.operatorToken);
  // One large message (about 140 kB on the wire), then its feed event repeated: a backlog of about 28 MB,
  // well beyond what the kernel's socket buffers take on loopback.
  const big = await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { text: 'x'.repeat(100_000) }, ...underConsent });
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query(`insert into inbox_events (inbox_id, kind, message_id) select 'police-laval/dispatch', 'message', $1 from generate_series(1, $2::int)`, [big.id, BACKLOG - 1]);
  const eventBytes = (await db.query(`select length(ciphertext) + length(header::text) + 200 as n from messages where id = $1`, [big.id])).rows[0].n as number;

  const frames: string[] = [];
  const reader = new WebSocket(`${hub.url.replace('http', 'ws')}/v1/stream`, ['vigie.v1', `vigie.bearer.${await officer.client.accessToken()}`]);
  t.teardown(() => reader.terminate());
  reader.on('message', (data) => void frames.push(String(data)));
  await new Promise((resolve) => reader.once('open', resolve));
  reader.pause();

  const stream = () => hub.app.realtime.streams().find((s) => s.member === officer.keys.member);
  await eventually(() => stream()?.state === 'waiting', 30_000);
  const held = stream()!;
  t.ok(held.socketBytes <= MiB + eventBytes, `the socket holds ${Math.round(held.socketBytes / 1024)} KiB of a ${Math.round((BACKLOG * eventBytes) / MiB)} MiB backlog, not the backlog`);

  // Live events for the paused reader: held up to the bound, then dropped to be read again from PostgreSQL.
  for (let i = 0; i < 8; i++) {
    await hub.app.realtime.publish('police-laval/dispatch', JSON.stringify({ type: 'notice', seq: '1', inbox: 'police-laval/dispatch', pad: 'p'.repeat(256 * 1024) }));
  }
  await eventually(() => (stream()?.liveDropped ?? 0) > 0);
  t.ok(stream()!.heldLiveBytes <= MiB, 'live events held meanwhile stay under their bound');
  t.ok(stream()!.socketBytes <= MiB + eventBytes, 'and so does the socket');

  // Meanwhile the hub serves everyone else: another member's stream opens, and a live message reaches it.
  const other = worker.client.stream({ autoDelivered: false });
  const got: string[] = [];
  other.on('message', (m) => void got.push(m.id));
  await other.open();
  t.teardown(() => other.close());
  const live = await officer.client.send({ type: 'note', urgency: 'routine', recipients: ['shelter-laval/intake'], content: { n: 1 }, ...policeUnderConsent });
  await eventually(() => got.includes(live.id));
  t.pass('another member is served while the paused reader waits');

  // The reader reads again: it gets the whole backlog, then `ready`.
  reader.resume();
  await eventually(() => frames.some((f) => f.startsWith('{"type":"ready"')), 60_000);
  const seqs = new Set(frames.map((f) => JSON.parse(f) as { type: string; seq?: string }).filter((e) => e.type === 'message').map((e) => e.seq));
  t.equal(seqs.size, BACKLOG, 'every event of the backlog, once caught up');
});

t.test('a member holds at most maxStreamsPerMember streams; the fifth is closed with 4429', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer } = await enrolPartners(hub.url, hub.operatorToken);
  t.equal(hub.config.maxStreamsPerMember, 4, 'four by default');
  const url = `${hub.url.replace('http', 'ws')}/v1/stream`;
  const token = await officer.client.accessToken();
  const open = () =>
    new Promise<{ ws: WebSocket; outcome: string }>((resolve) => {
      const ws = new WebSocket(url, ['vigie.v1', `vigie.bearer.${token}`]);
      ws.on('message', (data) => {
        if (String(data).startsWith('{"type":"ready"')) resolve({ ws, outcome: 'ready' });
      });
      ws.on('close', (code) => resolve({ ws, outcome: `close ${code}` }));
      ws.on('error', () => {});
    });
  const four = [await open(), await open(), await open(), await open()];
  t.teardown(() => four.forEach((s) => s.ws.terminate()));
  t.same(four.map((s) => s.outcome), ['ready', 'ready', 'ready', 'ready'], 'four streams open');
  const fifth = await open();
  t.equal(fifth.outcome, `close ${CLOSE_TOO_MANY_STREAMS}`, 'the fifth is closed with the stable code');
  t.equal(hub.app.realtime.streams().filter((s) => s.member === officer.keys.member).length, 4, 'and holds nothing on the hub');

  const others = worker.client.stream({ autoDelivered: false });
  await others.open();
  t.teardown(() => others.close());
  t.pass('another member is not limited by this one');

  // The SDK does not retry in a loop: it reports the limit and tries again after a long pause (shortened here).
  const sdk = officer.client.stream({ autoDelivered: false, retryAfterLimitMs: 200 });
  const errors: Error[] = [];
  const closes: number[] = [];
  sdk.on('error', (e) => void errors.push(e));
  sdk.on('disconnected', (d) => void closes.push(d.code));
  const opened = sdk.open();
  t.teardown(() => sdk.close());
  await eventually(() => closes.length > 0);
  t.equal(closes[0], CLOSE_TOO_MANY_STREAMS, 'the SDK sees the code');
  t.ok(errors[0] instanceof StreamLimitError && (errors[0] as StreamLimitError).code === 'STREAM_LIMIT', 'and reports it as STREAM_LIMIT');
  four[0]!.ws.close();
  await opened;
  t.pass('once a slot is free, the SDK stream opens');
});
