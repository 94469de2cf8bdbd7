// What a client asks of the log, and how often: the revocation and rotation
// checks run on every message opened and every send, against the newest
// checkpoint. Concurrent refreshes share one request (and never adopt an
// older checkpoint after a newer), an unchanged checkpoint is not asked about
// again, and a leaf found stays found — the hub is asked again only when the
// log has grown. Counted on the wire, against a real hub.
import t from 'tap';
import { HubHttp } from '../../../clients/sdk/http.js';
import { LogVerifier } from '../../../clients/sdk/log-verifier.js';
import { ROUTES } from '../../../protocol/api/routes.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';

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
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), false, 'the officer is not revoked');
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), false, 'asked again: still not');
  t.equal(lookups(), 1, 'the log did not grow: the hub was asked about the officer once');
  t.equal(checkpoints(), 3, 'each check asked for the newest checkpoint');
  t.equal(log.current?.size, a.size, 'the same checkpoint');

  // The officer's device is revoked: a leaf, a new checkpoint.
  await police.admin.revokeMember(officerId);
  await hub.app.disclosureLog.flush();
  // The hub serves its newest checkpoint within a quarter of a second.
  await eventually(async () => (await log.refresh()).size > a.size, 5_000);
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), true, 'the log grew: asked again, the revocation is found');
  t.ok(log.current!.size > a.size, 'a newer checkpoint, consistent with the first');
  t.equal(lookups(), 2, 'one more look-up');
  const asked = http.asked.length;
  t.equal(await log.hasLeaf('key.member_revoked', officerId, 0), true, 'a revocation stays');
  t.equal(http.asked.length, asked, 'and is not asked about again');

  // A subject never asked about is asked about, at the current checkpoint.
  t.equal(await log.hasLeaf('key.rotated', 'shelter-laval/intake', 0), false, 'the shelter inbox key was never rotated');
  t.equal(lookups(), 3, 'a new subject: one look-up');
});
