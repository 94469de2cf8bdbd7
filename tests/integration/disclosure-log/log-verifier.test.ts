// What a client asks of the log, and how often: the revocation and rotation
// checks run on every message opened and every send, against the newest
// checkpoint. Concurrent refreshes share one request (and never adopt an
// older checkpoint after a newer), an unchanged checkpoint is not asked about
// again, and a leaf found stays found. When the log grows, the directory's
// events since are read once for every subject, and only a subject an event
// names is asked about again. Counted on the wire, against a real hub.
import t, { type Test } from 'tap';
import { HubHttp, VigieApiError } from '../../../clients/sdk/http.js';
import { Directory } from '../../../clients/sdk/directory.js';
import { LogVerifier } from '../../../clients/sdk/log-verifier.js';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { InboxViewSchema } from '../../../protocol/api/identity.js';
import { DirectoryRecordsSchema } from '../../../protocol/api/log.js';
import { fromB64, toB64 } from '../../../protocol/encoding.js';
import { inboxParams, ROUTES, routePath } from '../../../protocol/api/routes.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';

/** The hub's HTTP client, counting the paths it asks for. */
class CountingHttp extends HubHttp {
  readonly asked: string[] = [];
  override send(method: string, path: string, opts?: Parameters<HubHttp['send']>[2]) {
    this.asked.push(new URL(path, this.baseUrl).pathname);
    return super.send(method, path, opts);
  }
  count(path: string): number {
    return this.asked.filter((p) => p === path).length;
  }
}

t.test('the log is asked once per checkpoint about a subject, and a refresh under way is shared', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { police, worker, officer } = await enrolPartners(hub.url, hub.operatorToken);
  await hub.app.disclosureLog.flush();
  const http = new CountingHttp(hub.url);
  const log = new LogVerifier(http, crypto, {}, () => worker.client.accessToken());
  const lookups = () => http.count(ROUTES.logLookup);
  const checkpoints = () => http.count(ROUTES.logCheckpoint);

  const [a, b, c] = await Promise.all([log.refresh(), log.refresh(), log.refresh()]);
  t.equal(checkpoints(), 1, 'three refreshes at once: one request');
  t.ok(a === b && b === c && a.size > 0, 'one checkpoint adopted, shared by all three');

  const officerId = officer.client.memberId;
  const workerId = worker.client.memberId;
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), false, 'the officer is not revoked');
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), false, 'asked again: still not');
  t.equal(lookups(), 1, 'the log did not grow: the hub was asked about the officer once');
  t.equal(checkpoints(), 3, 'each check asked for the newest checkpoint');
  t.equal(log.current?.size, a.size, 'the same checkpoint');
  t.equal(await log.hasLeaf('key.member_revoked', workerId, 0), false, 'the worker is not revoked');
  t.equal(await log.hasLeaf('key.rotated', 'shelter-laval/intake', 0), false, 'the shelter inbox key was never rotated');
  t.equal(await log.hasLeaf('key.rotated', 'police-laval/dispatch', 0), false, 'nor the dispatch key');
  t.equal(lookups(), 4, 'one look-up per subject');

  // The officer's device is revoked, which rotates the dispatch key it read: two leaves, a new checkpoint.
  await police.admin.revokeMember(officerId);
  await hub.app.disclosureLog.flush();
  // The hub serves its newest checkpoint within a quarter of a second.
  await eventually(async () => (await log.refresh()).size > a.size, 5_000);
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), true, 'the log grew: asked again, the revocation is found');
  t.ok(log.current!.size > a.size, 'a newer checkpoint, consistent with the first');
  t.equal(http.count(ROUTES.logRecords), 1, 'the directory events since the last answers: one request');
  t.equal(lookups(), 5, 'and one look-up, about the subject an event names');
  t.equal(await log.hasLeaf('key.member_revoked', workerId, 0), false, 'the worker is still not revoked');
  t.equal(await log.hasLeaf('key.rotated', 'shelter-laval/intake', 0), false, 'nor the shelter inbox key rotated');
  t.equal(lookups(), 5, 'no event about them since: not asked again');
  t.equal(await log.hasLeaf('key.rotated', 'police-laval/dispatch', 0), true, 'the dispatch key was rotated: found');
  t.equal(lookups(), 6, 'one look-up, about the subject the event names');
  t.equal(http.count(ROUTES.logRecords), 1, 'the events of one checkpoint are read once, for every subject');
  const asked = http.asked.length;
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), true, 'a revocation stays');
  t.equal(http.asked.length, asked, 'and is not asked about again');

  // A subject never asked about is asked about, at the current checkpoint.
  t.equal(await log.hasLeaf('key.rotated', 'police-laval/other', 0), false, 'an inbox never asked about');
  t.equal(lookups(), 7, 'a new subject: one look-up');

  // The events' route, asked out of turn: only members, and never beyond a checkpoint the hub signed.
  const records = (query: Record<string, number>, token?: string) =>
    codeOf(http.get(routePath(ROUTES.logRecords, {}, query), DirectoryRecordsSchema, token));
  const token = await worker.client.accessToken();
  const size = log.current!.size;
  t.equal(await records({ after: -1, size }), 'UNAUTHENTICATED', 'an anonymous reader is refused');
  t.equal(await records({ after: -1, size: size + 1000 }, token), 'LOG_RANGE_INVALID', 'a size the hub never signed is refused');
  t.equal(await records({ after: -1, size: 0 }, token), 'INVALID_REQUEST', 'so is an empty log');
  t.equal(await records({ after: -1, size }, token), 'OK', 'a signed size is answered');
});

/** The police desk's directory and log verifier, counting what they ask the hub, beside the shelter's worker. */
async function policeDesk(t: Test) {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { shelter, police, worker, officer } = await enrolPartners(hub.url, hub.operatorToken);
  await hub.app.disclosureLog.flush();
  const http = new CountingHttp(hub.url);
  const log = new LogVerifier(http, crypto, {}, () => officer.client.accessToken());
  const desk = new Directory(http, crypto, log, { ownAgency: 'police-laval', pinnedRoots: { 'police-laval': police.keys.root.publicKey } });
  return { hub, shelter, http, log, desk, workerId: worker.client.memberId };
}

t.test('a sender’s certificate is read from the hub once; its revocation is asked of the newest checkpoint at every use', async (t) => {
  const { hub, shelter, http, desk, workerId } = await policeDesk(t);
  const certificate = routePath(ROUTES.member, { member: workerId });
  const outcome = () => desk.member(workerId).then((m) => m.member, (err: { code?: string }) => err.code);

  t.equal(await outcome(), workerId, 'the worker’s certificate, checked');
  for (const use of [2, 3]) {
    const before = http.count(ROUTES.logCheckpoint);
    t.equal(await outcome(), workerId, `use ${use}: the same certificate`);
    t.equal(http.count(ROUTES.logCheckpoint), before + 1, `use ${use}: the newest checkpoint was asked for`);
  }
  t.equal(http.count(certificate), 1, 'the certificate was read from the hub once');

  // The worker's device is revoked: the desk refuses it from the checkpoint that records it, without asking the hub's tables.
  await shelter.admin.revokeMember(workerId);
  await hub.app.disclosureLog.flush();
  t.equal(await eventually(async () => ((await outcome()) === 'MEMBER_REVOKED' ? 'MEMBER_REVOKED' : null), 5_000), 'MEMBER_REVOKED', 'refused once the log records the revocation');
  t.equal(http.count(certificate), 1, 'on the log’s word: the certificate was not read again');
});

/**
 * The worker and the officer known not revoked at the first checkpoint; then
 * the officer's device is revoked and `log` adopts a checkpoint that holds it.
 */
async function revokeOfficerBetweenChecks(t: Test, log: LogVerifier, hub: Awaited<ReturnType<typeof startTestHub>>, partners: Awaited<ReturnType<typeof enrolPartners>>) {
  const { police, worker, officer } = partners;
  const first = await log.refresh();
  t.equal(await log.hasLeaf('key.member_revoked', worker.client.memberId, 0), false, 'the worker is not revoked');
  t.equal(await log.hasLeaf('key.member_revoked', officer.client.memberId, 0), false, 'nor the officer');
  await police.admin.revokeMember(officer.client.memberId);
  await hub.app.disclosureLog.flush();
  await eventually(async () => (await log.refresh()).size > first.size, 5_000);
}

t.test('a hub that refuses to list the directory’s events is asked about each subject, as before', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  const { worker, officer } = partners;
  await hub.app.disclosureLog.flush();
  // A hub older than the client: the records route does not take `size`.
  class OlderHub extends CountingHttp {
    override send(method: string, path: string, opts?: Parameters<HubHttp['send']>[2]) {
      if (new URL(path, this.baseUrl).pathname === ROUTES.logRecords) {
        this.asked.push(ROUTES.logRecords);
        return Promise.reject(new VigieApiError(400, 'VALIDATION_FAILED', 'querystring must NOT have additional properties'));
      }
      return super.send(method, path, opts);
    }
  }
  const http = new OlderHub(hub.url);
  const log = new LogVerifier(http, crypto, {}, () => worker.client.accessToken());
  const lookups = () => http.count(ROUTES.logLookup);
  await revokeOfficerBetweenChecks(t, log, hub, partners);
  t.equal(await log.hasLeaf('key.member_revoked', worker.client.memberId, 0), false, 'the log grew: still not revoked');
  t.equal(lookups(), 3, 'asked about again, by a look-up');
  t.equal(await log.hasLeaf('key.member_revoked', officer.client.memberId, 0), true, 'the officer’s revocation is found');
  t.equal(lookups(), 4, 'by a look-up');
  t.equal(http.count(ROUTES.logRecords), 1, 'the events were asked for once, refused, and not asked for again');
});

t.test('once the directory’s events are renewed, every subject known absent is asked about again', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  const { worker, officer } = partners;
  await hub.app.disclosureLog.flush();
  const http = new CountingHttp(hub.url);
  // Renewed at every check: a list that once left an event out would not hide it past the next check.
  const log = new LogVerifier(http, crypto, {}, () => worker.client.accessToken(), 0);
  const lookups = () => http.count(ROUTES.logLookup);
  await revokeOfficerBetweenChecks(t, log, hub, partners);
  t.equal(await log.hasLeaf('key.member_revoked', worker.client.memberId, 0), false, 'the log grew: the worker is still not revoked');
  t.equal(http.count(ROUTES.logRecords), 1, 'told by the events since');
  t.equal(lookups(), 2, 'without a look-up');
  t.equal(await log.hasLeaf('key.member_revoked', officer.client.memberId, 0), true, 'the officer’s revocation is found');
  t.equal(lookups(), 3, 'by a look-up');
  t.equal(await log.hasLeaf('key.member_revoked', worker.client.memberId, 0), false, 'the worker, once more');
  t.equal(lookups(), 4, 'the events were renewed: the worker is asked about again by a look-up');
  t.equal(http.count(ROUTES.logRecords), 1, 'and the events are not read again for it');
});

t.test('a checkpoint the hub sends along is checked as one asked for, and spares asking for one', async (t) => {
  const { hub, shelter, http, log, desk, workerId } = await policeDesk(t);
  const served = () => fetch(`${hub.url}${ROUTES.logCheckpoint}`).then((r) => r.text());
  const failure = (p: Promise<unknown>) => p.then(() => 'OK', (err: { code?: string }) => err.code);

  // What a sender's look-up of an inbox gets: the certificate and the newest checkpoint.
  const view = await http.get(routePath(ROUTES.inbox, inboxParams('police-laval/dispatch')), InboxViewSchema);
  const first = view.checkpoint!;
  t.equal(first, await served(), 'the inbox view carries the checkpoint GET /v1/log/checkpoint serves');
  t.equal((await desk.verifyInboxCertificate(view.certificate, undefined, first)).inbox, 'police-laval/dispatch', 'its certificate, checked against it');
  t.equal(await desk.member(workerId, undefined, first).then((m) => m.member), workerId, 'a sender’s certificate, checked against one sent along with its message');
  t.equal(http.count(ROUTES.logCheckpoint), 0, 'no checkpoint was asked for');

  // One the log's key did not sign is refused, as it would be if asked for.
  const lines = first.split('\n');
  const at = lines.findIndex((l) => l.startsWith('— '));
  const [dash, name, signature] = lines[at]!.split(' ');
  const bytes = fromB64(signature!);
  bytes[bytes.length - 1]! ^= 1;
  lines[at] = [dash, name, toB64(bytes)].join(' ');
  t.equal(await failure(log.offer(lines.join('\n'))), 'CHECKPOINT_INVALID', 'a signature altered: refused');
  t.equal(await failure(desk.member(workerId, undefined, lines.join('\n'))), 'CHECKPOINT_INVALID', 'and the message it came with is not opened');

  // The worker's device is revoked: the checkpoint sent along next records it.
  await shelter.admin.revokeMember(workerId);
  await hub.app.disclosureLog.flush();
  const second = await eventually(async () => {
    const note = await served();
    return note !== first ? note : null;
  }, 5_000);
  t.equal(await failure(desk.member(workerId, undefined, second)), 'MEMBER_REVOKED', 'refused on the checkpoint sent along that records the revocation');
  t.equal(http.count(ROUTES.logConsistency), 1, 'proven consistent with the first');
  const newer = log.current!;
  t.equal((await log.offer(first)).size, newer.size, 'an older one sent along leaves the newer one standing');
  t.equal(log.current, newer, 'and is not adopted');
  t.equal(http.count(ROUTES.logConsistency), 2, 'once the newer one is proven to extend it (two signed trees neither of which extends the other are a fork)');
  t.equal(http.count(ROUTES.logCheckpoint), 0, 'no checkpoint was asked for at all');
});

t.test('sending and opening alerts ask the hub for no checkpoint: the inbox view and the pushed message carry one', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const asked = (client: typeof worker.client) => {
    const paths: string[] = [];
    const send = client.http.send.bind(client.http);
    client.http.send = (method, path, opts) => {
      paths.push(new URL(path, hub.url).pathname);
      return send(method, path, opts);
    };
    return () => paths.filter((p) => p === ROUTES.logCheckpoint).length;
  };
  const opened: string[] = [];
  const stream = officer.client.stream();
  stream.on('message', (m: OpenedMessage) => void opened.push(m.id));
  await stream.open();
  t.teardown(() => stream.close());
  const alert = () => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { at: 'now' }, ...underDanger });
  // The first alert reads and proves what each side did not know yet (certificates, root keys).
  const warm = await alert();
  await eventually(() => opened.includes(warm.id));

  const sender = asked(worker.client);
  const receiver = asked(officer.client);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await alert()).id);
  await eventually(() => ids.every((id) => opened.includes(id)));
  t.equal(sender(), 0, 'the sender asked for no checkpoint in five sends');
  t.equal(receiver(), 0, 'the receiver asked for none in five messages opened');
});
