// A sender keeps an inbox's certificate instead of reading it at every send;
// "a rotated key is used from the moment it is certified" holds because the
// hub stores no message sealed to a key that is no longer its inbox's
// current one: the acceptance statement compares each wrap's keyVersion with
// the inbox row, share-locked, so a rotation commits either before the
// message (refused, INBOX_KEY_ROTATED, nothing stored) or after it. The SDK
// then reads the keys again and seals again, with the same id. Real
// PostgreSQL, the hub's own acceptance, requests counted on the wire.
import pg from 'pg';
import t from 'tap';
import type { VigieClient } from '../../../clients/sdk/client.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { inboxParams, ROUTES, routePath } from '../../../protocol/api/routes.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { holdRows } from '../../helpers/row-lock.js';

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
  await rolledBack.someoneWaits();
  await rolledBack.rollback();
  t.equal(await through, 'OK', 'released unchanged: stored');

  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from inboxes where id = $1 for update', [DISPATCH]);
  const waiting = codeOf(worker.client.resubmit(await sealed('trois')));
  await held.someoneWaits();
  await held.commit(['update inboxes set key_version = key_version + 1 where id = $1', [DISPATCH]]);
  t.equal(await waiting, 'INBOX_KEY_ROTATED', 'the message that waited sees the new key version');
  t.equal((await held.db.query(alertsStored)).rows[0].n, 2, 'nothing stored for it');
});
