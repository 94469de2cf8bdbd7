// The stream opens several messages at once but tells them in the hub's
// order: at most eight openings under way; a message shown only once its
// `delivered` receipt is stored; the cursor never past what listeners were
// told; a message that cannot be opened said as invalid in its place. Frames
// are real (envelopes built with the real crypto, checked against the wire
// schema); the client's opening is a stand-in whose answers the test releases
// in any order.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { VigieStream } from '../../../clients/sdk/stream.js';
import type { OpenedMessage, VigieClient } from '../../../clients/sdk/client.js';
import { buildEnvelope, loadSodium, type Envelope } from '../../../protocol/index.js';

const crypto = await loadSodium();
const member = crypto.signKeypair();
const police = crypto.boxKeypair();
const shelter = crypto.boxKeypair();

const envelope = (): Envelope =>
  buildEnvelope(crypto, {
    type: 'danger_alert',
    urgency: 'immediate',
    sender: { agency: 'shelter-laval', member: randomUUID(), inbox: 'shelter-laval/intake' },
    senderInboxKey: shelter.publicKey,
    senderInboxKeyVersion: 1,
    recipients: [{ inbox: 'police-laval/dispatch', encryptionKey: police.publicKey, keyVersion: 1 }],
    protocol: { id: 'shelter-police', version: 1 },
    legalBasis: { code: 'consent' },
    dataCategories: ['threat'],
    content: { text: 'il arrive' },
    signingSecretKey: member.secretKey,
  });

/** The hub's side of one socket: the test sends frames through `deliver`. */
function fakeSocket(t: { teardown(fn: () => void): void }) {
  const sockets: { onmessage: ((ev: { data: unknown }) => void) | null }[] = [];
  const g = globalThis as unknown as { WebSocket?: unknown };
  const real = g.WebSocket;
  g.WebSocket = class {
    readyState = 1;
    onopen = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose = null;
    onerror = null;
    constructor() {
      sockets.push(this);
    }
    send() {}
    close() {}
  };
  t.teardown(() => {
    g.WebSocket = real;
  });
  return {
    deliver: (frame: unknown) => sockets[0]!.onmessage!({ data: JSON.stringify(frame) }),
    connected: () => sockets.length === 1,
  };
}

/** A client whose openings wait until the test releases them; what it did, in order, is in `log`. */
function fakeClient() {
  const log: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const client = {
    accessToken: async () => 'token',
    http: { baseUrl: 'http://hub.test' },
    open: (env: Envelope, inbox: string) =>
      new Promise<OpenedMessage>((resolve, reject) => {
        const id = env.header.id;
        log.push(`open ${id}`);
        pending.set(id, {
          resolve: () => resolve({ id, header: env.header, content: { text: 'il arrive' }, sender: {} as OpenedMessage['sender'], inbox, envelope: env }),
          reject,
        });
      }),
    // Logged when the hub would have stored it, a turn of the event loop later.
    receipt: async (opened: OpenedMessage, kind: string) => {
      await new Promise((r) => setImmediate(r));
      log.push(`${kind} ${opened.id}`);
      return { stored: true };
    },
  } as unknown as VigieClient;
  return { client, log, pending };
}

const settle = () => new Promise((r) => setImmediate(r));
/** Turns the event loop until `done`, at most 200 times (the stream's work here is all in-process). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await settle();
}

t.test('eight openings at once, told in the hub’s order, each stored as delivered before it is shown', async (t) => {
  const hub = fakeSocket(t);
  const { client, log, pending } = fakeClient();
  const stream = new VigieStream({ client });
  const told: string[] = [];
  stream.on('message', (m) => {
    told.push(m.id);
    log.push(`shown ${m.id}`);
  });
  const opened = stream.open();
  while (!hub.connected()) await settle();
  hub.deliver({ type: 'ready', cursor: '0' });
  await opened;

  const envelopes = Array.from({ length: 12 }, envelope);
  const ids = envelopes.map((e) => e.header.id);
  envelopes.forEach((e, i) => hub.deliver({ type: 'message', seq: String(i + 1), inbox: 'police-laval/dispatch', acceptedAt: new Date().toISOString(), envelope: e }));
  await settle();
  t.equal(pending.size, 8, 'eight openings under way, the other four wait');

  // The later ones come back first: nothing is shown before the first, and the cursor stays.
  for (const id of ids.slice(1, 8).reverse()) pending.get(id)!.resolve();
  await until(() => pending.size === 12);
  t.same(told, [], 'nothing shown while the first is still being opened');
  t.equal(stream.cursor, '0', 'the cursor waits for what listeners were told');
  t.equal(pending.size, 12, 'freed slots went to the four waiting messages');

  for (const id of [...ids.slice(8).reverse(), ids[0]!]) pending.get(id)!.resolve();
  await until(() => told.length === 12);
  t.same(told, ids, 'shown in the order the hub sent them');
  t.equal(stream.cursor, '12', 'the cursor at the last one shown');
  const late = ids.filter((id) => !(log.indexOf(`delivered ${id}`) >= 0 && log.indexOf(`delivered ${id}`) < log.indexOf(`shown ${id}`)));
  t.same(late, [], 'each one stored as delivered before it was shown');
  await stream.close();
});

t.test('a message that cannot be opened is said as invalid in its place, and the stream goes on', async (t) => {
  const hub = fakeSocket(t);
  const { client, pending } = fakeClient();
  const stream = new VigieStream({ client });
  const said: string[] = [];
  stream.on('message', (m) => void said.push(`message ${m.id}`));
  stream.on('invalid', (e) => void said.push(`invalid ${e.id}`));
  const opened = stream.open();
  while (!hub.connected()) await settle();
  hub.deliver({ type: 'ready', cursor: '0' });
  await opened;

  const [a, b, c] = [envelope(), envelope(), envelope()];
  [a, b, c].forEach((e, i) => hub.deliver({ type: 'message', seq: String(i + 1), inbox: 'police-laval/dispatch', acceptedAt: new Date().toISOString(), envelope: e }));
  await settle();
  pending.get(c.header.id)!.resolve();
  pending.get(b.header.id)!.reject(new Error('signature invalid'));
  pending.get(a.header.id)!.resolve();
  await until(() => said.length === 3);
  t.same(said, [`message ${a.header.id}`, `invalid ${b.header.id}`, `message ${c.header.id}`], 'in the hub’s order, the bad one in its place');
  t.equal(stream.cursor, '3', 'the cursor past all three');
  await stream.close();
});
