// A message is decided on the protocol's rows as this instance last read
// them, and stored only if the acceptance statement finds them unchanged
// (server/protocols/service.ts, protocolFacts and protocolUnchanged). What
// changes between the read and the statement must never be decided on: a
// draft replaced (its document is the one of the hash the rows named, never
// another's), a draft deleted (no 500), a later version activated while a
// message waits (the activation writes every version's row). Real PostgreSQL;
// the protocol's writes are made by hand where the race needs them open.
import t, { type Test } from 'tap';
import pg from 'pg';
import { enrolPartners, sendUnanchored } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { ACCEPTANCE_STATEMENT, holdRows } from '../../helpers/row-lock.js';

async function setUp(t: Test) {
  const hub = await startTestHub(t);
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const [v1] = (await db.query(`select document, effective_from from protocols where id = 'shelter-police' and version = 1`)).rows;
  const note = (id: string, version: number, i: number) =>
    sendUnanchored(partners.worker.client, { type: 'note', recipients: ['police-laval/dispatch'], content: { i }, ...partners.underConsent, protocol: { id, version } });
  return { hub, db, v1, note, ...partners };
}

t.test('a draft replaced since the rows were read is never decided on under the other hash', async (t) => {
  const { db, v1, note } = await setUp(t);
  const D1 = { ...v1.document, version: 2, retention: { ...v1.document.retention, days: 30 } };
  const D2 = { ...v1.document, version: 2, retention: { ...v1.document.retention, days: 3650 } };
  // A draft v2 (D1), as a party would submit it; the hub reads the rows [v1, v2 (H1)] with the next message.
  await db.query(`insert into protocols (id, version, document, document_hash, effective_from) values ('shelter-police', 2, $1, 'H1', $2)`, [D1, v1.effective_from]);
  t.equal(await codeOf(note('shelter-police', 1, 1)), 'OK', 'a message under v1');
  // A bound party replaces the draft (D2), a message names v2 (refused: unsigned), then D1 comes back signed.
  await db.query(`update protocols set document = $1, document_hash = 'H2' where id = 'shelter-police' and version = 2`, [D2]);
  t.equal(await codeOf(note('shelter-police', 2, 2)), 'PROTOCOL_NOT_ACTIVE', 'the draft D2 is not in force');
  await db.query(`update protocols set document = $1, document_hash = 'H1', signed_at = now() where id = 'shelter-police' and version = 2`, [D1]);
  t.equal(await codeOf(note('shelter-police', 2, 3)), 'OK', 'accepted under v2, signed as D1');
  const [m] = (await db.query(`select extract(epoch from retain_until - accepted_at) / 86400 as days from messages where header->'protocol'->>'version' = '2'`)).rows;
  t.equal(Math.round(Number(m.days)), 30, 'kept for D1’s retention, not the replaced draft’s');
});

t.test('a draft deleted since the rows were read is refused like one that never existed, not an error', async (t) => {
  const { db, v1, note } = await setUp(t);
  await db.query(`insert into protocols (id, version, document, document_hash, effective_from) values ('other-proto', 1, $1, 'HX', $2)`, [{ ...v1.document, id: 'other-proto' }, v1.effective_from]);
  t.equal(await codeOf(note('other-proto', 9, 1)), 'PROTOCOL_NOT_ACTIVE', 'a version that does not exist: the rows are read');
  await db.query(`delete from protocols where id = 'other-proto' and version = 1`);
  t.equal(await codeOf(note('other-proto', 1, 2)), 'PROTOCOL_NOT_ACTIVE', 'the deleted draft: no version in force, as for one that never existed');
});

t.test('a later version activated while a message waits supersedes the version it names', async (t) => {
  const { hub, db, v1, note, shelter, police } = await setUp(t);
  t.equal(await codeOf(note('shelter-police', 1, 1)), 'OK', 'under v1');
  // The activation's writes, as submitProtocol makes them: the new version signed, and every version's row written.
  const held = await holdRows(t, hub.config.databaseUrl, `select 1 from protocols where id = 'shelter-police' for update`, []);
  const waiting = codeOf(note('shelter-police', 1, 2));
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.commit(
    [`insert into protocols (id, version, document, document_hash, effective_from) values ('shelter-police', 2, $1, 'HV2', now() - interval '1 minute')`, [{ ...v1.document, version: 2 }]],
    [`update protocols set signed_at = case when version = 2 then now() else signed_at end where id = 'shelter-police'`, []],
  );
  t.equal(await waiting, 'PROTOCOL_SUPERSEDED', 'the message that waited is decided again');

  // And submitProtocol does write every version's row when a version takes effect.
  const rowVersion = async (version: number) => (await db.query(`select xmin::text as v from protocols where id = 'shelter-police' and version = $1`, [version])).rows[0].v as string;
  const before = await rowVersion(2);
  const v3 = { ...v1.document, version: 3, effectiveFrom: new Date(Date.now() - 60_000).toISOString() };
  await shelter.admin.submitProtocol(police.admin.signProtocol(shelter.admin.signProtocol(v3)));
  t.not(await rowVersion(2), before, 'version 2’s row was written by version 3’s activation');
  t.equal(await codeOf(note('shelter-police', 2, 3)), 'PROTOCOL_SUPERSEDED', 'and version 3 is in force');
});
