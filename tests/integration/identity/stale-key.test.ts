// A sender keeps an inbox's certificate instead of reading it at every send;
// "a rotated key is used from the moment it is certified" holds because the
// hub stores no message sealed to a key that is no longer its inbox's
// current one: the acceptance statement compares each wrap's keyVersion with
// the inbox row, share-locked, so a rotation commits either before the
// message (refused, INBOX_KEY_ROTATED, nothing stored) or after it. The SDK
// then reads the keys again and seals again, with the same id. Real
// PostgreSQL, the hub's own acceptance, requests counted on the wire.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import t, { type Test } from 'tap';
import { VigieClient } from '../../../clients/sdk/client.js';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { MemberViewSchema } from '../../../protocol/api/identity.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { inboxParams, ROUTES, routePath } from '../../../protocol/api/routes.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { ACCEPTANCE_STATEMENT, holdRows } from '../../helpers/row-lock.js';

const DISPATCH = 'police-laval/dispatch';
const alertsStored = `select count(*)::int as n from messages where type = 'danger_alert'`;

/** Every request `client` makes, as "METHOD /path STATUS", in order. */
function onTheWire(client: VigieClient): string[] {
  const seen: string[] = [];
  const send = client.http.send.bind(client.http);
  client.http.send = async (method, path, opts) => {
    const where = `${method} ${new URL(path, client.http.baseUrl).pathname}`;
    try {
      const answer = await send(method, path, opts);
      seen.push(`${where} ${answer.res.status}`);
      return answer;
    } catch (err) {
      seen.push(`${where} ${err instanceof VigieApiError ? err.status : 'failed'}`);
      throw err;
    }
  };
  return seen;
}

t.test('a certificate kept by the sender, a rotation certified since: refused by the hub, sealed again to the new key', async (t) => {
  const hub = await startTestHub(t);
  const { police, worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const wire = onTheWire(worker.client);
  const certificateReads = () => wire.filter((w) => w.startsWith(`GET ${routePath(ROUTES.inbox, inboxParams(DISPATCH))} `)).length;
  const posts = (status: number) => wire.filter((w) => w === `POST ${ROUTES.messages} ${status}`).length;
  const input = (text: string) => ({ type: 'danger_alert' as const, recipients: [DISPATCH], content: { text }, ...underDanger });

  await worker.client.send(input('un'));
  await worker.client.send(input('deux'));
  await worker.client.send(input('trois'));
  t.equal(certificateReads(), 1, 'three sends: the dispatch certificate was read once');
  t.equal(posts(202), 3);

  // Sealed to version 1, held back while the administrator rotates the key.
  const recipient = await worker.client.directory.recipient(DISPATCH, underDanger.protocol);
  t.equal(recipient.keyVersion, 1, 'the kept certificate is version 1');
  const sealedBefore = await worker.client.seal(input('scellée avant'), [recipient]);
  t.same(sealedBefore.header.wraps.map((w) => w.keyVersion), [1, 1], 'each wrap names its key version');
  const rotated = await police.admin.rotateInbox(DISPATCH);
  t.equal(rotated.keyVersion, 2);

  const stored = async () => (await db.query(alertsStored)).rows[0].n as number;
  const before = await stored();
  const refused = await worker.client.resubmit(sealedBefore).then(
    () => null,
    (err: unknown) => err as VigieApiError,
  );
  t.equal(refused?.status, 409);
  t.equal(refused?.code, 'INBOX_KEY_ROTATED', 'the hub refuses a message sealed to a key rotated since');
  t.equal(refused?.details, DISPATCH, 'and names the inbox');
  t.equal(await stored(), before, 'nothing stored');
  await hub.app.disclosureLog.flush();
  t.equal((await db.query(`select count(*)::int as n from log_leaves where kind = 'message.refused'`)).rows[0].n, 0, 'and no refusal on the record: the sender seals it again');

  // The SDK's own send, with the certificate it kept: refused once, read again, sealed again, same id.
  wire.length = 0;
  const sent = await worker.client.send(input('après'));
  const wrap = sent.envelope.header.wraps.find((w) => w.inbox === DISPATCH)!;
  t.equal(wrap.keyVersion, 2, 'sealed to the new key');
  t.equal(certificateReads(), 1, 'the certificate was read again');
  t.equal(posts(202), 1, 'accepted');
  t.ok(posts(409) <= 1, 'after at most one refusal');
  const desk = await officer.client.open(await officer.client.fetchEnvelope(sent.id));
  t.same(desk.content, { text: 'après' }, 'the desk opens it with the new key');
});

t.test('a rotation the log records is seen by a sender before it seals', async (t) => {
  const hub = await startTestHub(t);
  const { police, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const input = { type: 'danger_alert' as const, recipients: [DISPATCH], content: { text: 'x' }, ...underDanger };
  await worker.client.send(input);
  await police.admin.rotateInbox(DISPATCH);
  await hub.app.disclosureLog.flush();
  await worker.client.log.refresh();

  const wire = onTheWire(worker.client);
  const sent = await worker.client.send(input);
  t.equal(sent.envelope.header.wraps.find((w) => w.inbox === DISPATCH)!.keyVersion, 2, 'sealed to the new key');
  t.same(
    wire.filter((w) => w.startsWith('POST ')),
    [`POST ${ROUTES.messages} 202`],
    'the directory events since the kept certificate named the rotation: read again before sealing, no refusal',
  );
  t.ok(wire.includes(`GET ${routePath(ROUTES.inbox, inboxParams(DISPATCH))} 200`), 'the certificate was read again');
});

t.test('a message waiting on a rotation under way is refused when it commits, stored when it does not', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const input = (text: string) => ({ type: 'danger_alert' as const, recipients: [DISPATCH], content: { text }, ...underDanger });
  const sealed = async (text: string) => worker.client.seal(input(text), [await worker.client.directory.recipient(DISPATCH, underDanger.protocol)]);
  t.equal(await codeOf(worker.client.send(input('un'))), 'OK');

  // A rotation holds the inbox row until it commits; the message waits for it.
  const rolledBack = await holdRows(t, hub.config.databaseUrl, 'select 1 from inboxes where id = $1 for update', [DISPATCH]);
  const through = codeOf(worker.client.resubmit(await sealed('deux')));
  await rolledBack.statementWaits(ACCEPTANCE_STATEMENT);
  await rolledBack.rollback();
  t.equal(await through, 'OK', 'released unchanged: stored');

  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from inboxes where id = $1 for update', [DISPATCH]);
  const waiting = codeOf(worker.client.resubmit(await sealed('trois')));
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.commit(['update inboxes set key_version = key_version + 1 where id = $1', [DISPATCH]]);
  t.equal(await waiting, 'INBOX_KEY_ROTATED', 'the message that waited sees the new key version');
  t.equal((await held.db.query(alertsStored)).rows[0].n, 2, 'nothing stored for it');
});

t.test('an envelope of a client older than key versions is accepted unchecked; a version the inbox never had is refused', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const input = { type: 'danger_alert' as const, recipients: [DISPATCH], content: { text: 'ancien client' }, ...underDanger };
  // What a client older than key versions seals: wraps that name none.
  const { keyVersion: _, ...recipient } = await worker.client.directory.recipient(DISPATCH, underDanger.protocol);
  const unversioned = await worker.client.seal(input, [recipient]);
  t.same(unversioned.header.wraps.map((w) => 'keyVersion' in w), [false, false], 'no wrap names a version');
  t.equal(await codeOf(worker.client.resubmit(unversioned)), 'OK', 'accepted: that client read each certificate just before it sealed');
  t.same((await officer.client.open(await officer.client.fetchEnvelope(unversioned.header.id))).content, { text: 'ancien client' }, 'stored as signed, and it reads');

  const ahead = await worker.client.seal({ ...input, content: { text: 'version inventée' } }, [{ ...(await worker.client.directory.recipient(DISPATCH, underDanger.protocol)), keyVersion: 7 }]);
  const refused = await worker.client.resubmit(ahead).then(
    () => null,
    (err: unknown) => err as VigieApiError,
  );
  t.equal(refused?.code, 'KEY_VERSION_UNKNOWN', 'a version the inbox never had is not called a rotation');
  t.equal(refused?.status, 422);
});

// The revocation rotates the inboxes in the order of their ids, whatever the order the device's certificate lists
// them in, and the acceptance share-locks them in that same order (`order by id collate "C"`): neither waits for
// the other in a cycle. The revocation is held before its rotation of enquêtes (the certificate's first inbox)
// ends, by holding that inbox's member_inboxes rows, with the message to both inboxes waiting: a revocation in the
// certificate's order would then hold enquêtes and want dispatch, which the message holds.
const ENQUETES = 'police-laval/enquetes';
t.test('revoking a device that reads two inboxes while a message to both is accepted: no deadlock', async (t) => {
  const hub = await startTestHub(t);
  const { police, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  await police.admin.createInbox('enquetes', { fr: 'Enquêtes', en: 'Investigations' });
  const leaving = await enrolDevice(hub.url, police, 'depart', ['receiver'], [ENQUETES, DISPATCH]);
  await enrolDevice(hub.url, police, 'reste', ['receiver'], [DISPATCH, ENQUETES]);
  const input = { type: 'danger_alert' as const, recipients: [ENQUETES, DISPATCH], content: { text: 'aux deux' }, ...underDanger };
  t.equal(await codeOf(worker.client.send(input)), 'OK');
  const sealed = await worker.client.seal(input, await Promise.all(input.recipients.map((i) => worker.client.directory.recipient(i, underDanger.protocol))));
  t.same((await police.admin.http.get(`/v1/members/${leaving.keys.member}`, MemberViewSchema)).certificate.document.inboxes, [ENQUETES, DISPATCH], 'the certificate lists enquêtes first');

  const pause = await holdRows(t, hub.config.databaseUrl, 'select 1 from member_inboxes where inbox_id = $1 for update', [ENQUETES]);
  const revocation = codeOf(police.admin.revokeMember(leaving.keys.member));
  await pause.someoneWaits();
  const accepting = codeOf(worker.client.resubmit(sealed));
  // The message waits at its acceptance statement for the inbox row the revocation rotated first.
  await pause.statementWaits(ACCEPTANCE_STATEMENT, 30_000);
  await pause.rollback();
  t.equal(await revocation, 'OK', 'the revocation goes through');
  t.equal(await accepting, 'INBOX_KEY_ROTATED', 'the message that waited for it is sealed to keys it rotated');
  t.same(hub.logs.filter((l) => l.includes('40P01')), [], 'PostgreSQL found no deadlock to break');
});

/**
 * A hub instance of the version before key versions, as a rolling upgrade has
 * it beside the new ones: in front of a real hub, it refuses an envelope
 * whose wraps name a version with the answer that version's schema check gave
 * (400 INVALID_REQUEST, the wrap's path), and passes everything else on.
 */
async function olderInstance(t: Test, hubUrl: string): Promise<string> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method === 'POST' && req.url === ROUTES.messages) {
      const wraps = (JSON.parse(body.toString()) as { header: { wraps: object[] } }).header.wraps;
      const named = wraps.findIndex((w) => 'keyVersion' in w);
      if (named >= 0) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INVALID_REQUEST', message: 'Requête invalide.', details: [{ path: `/header/wraps/${named}`, problem: 'must NOT have additional properties' }] } }));
        return;
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-length')) as Record<string, string>;
    const answer = await fetch(new URL(req.url!, hubUrl), { method: req.method, headers, ...(body.length > 0 ? { body } : {}) });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/octet-stream' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test('through a hub instance older than key versions, the SDK seals without them and reads each certificate afresh', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const client = await VigieClient.connect({ url: await olderInstance(t, hub.url), keys: worker.keys });
  const wire = onTheWire(client);
  const input = (text: string) => ({ type: 'danger_alert' as const, recipients: [DISPATCH], content: { text }, ...underDanger });
  const first = await client.send(input('un'));
  t.same(first.envelope.header.wraps.map((w) => 'keyVersion' in w), [false, false], 'sealed again without key versions');
  t.same(wire.filter((w) => w.startsWith(`POST ${ROUTES.messages} `)), [`POST ${ROUTES.messages} 400`, `POST ${ROUTES.messages} 202`], 'refused once, then accepted');
  wire.length = 0;
  const second = await client.send(input('deux'));
  t.same(second.envelope.header.wraps.map((w) => 'keyVersion' in w), [false, false], 'and the next send too');
  t.same(wire.filter((w) => w.startsWith(`POST ${ROUTES.messages} `)), [`POST ${ROUTES.messages} 202`], 'without a refusal');
  t.equal(wire.filter((w) => w.startsWith(`GET ${routePath(ROUTES.inbox, inboxParams(DISPATCH))} `)).length, 1, 'its certificate read just before it sealed, as that version’s clients did');
  t.same((await officer.client.open(await officer.client.fetchEnvelope(second.id))).content, { text: 'deux' }, 'the desk opens it');
});
