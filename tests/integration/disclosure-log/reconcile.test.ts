// Issue 12, part 6: `vigie audit reconcile` compares the hub's state tables
// with the log, for an auditor with database access: a consent un-revoked in
// the table, an acknowledgement without its receipt and leaf, an edited leaf,
// an altered header — each reported, in French and in English.
import t from 'tap';
import { join } from 'node:path';
import pg from 'pg';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { cliRunner } from '../../helpers/cli.js';
import { eventually, startTestHub, tempDir } from '../../helpers/env.js';

t.test('the tables against the log', async (t) => {
  await loadSodium();
  const hub = await startTestHub(t);
  const { worker, officer, underConsent, underDanger, consentId } = await enrolPartners(hub.url, hub.operatorToken);
  const acknowledged = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'x' }, ...underDanger });
  await officer.client.acknowledge({ header: acknowledged.envelope.header, inbox: 'police-laval/dispatch', acceptedAt: acknowledged.acceptedAt });
  const unread = await worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: 'y', ...underConsent });
  await worker.client.revokeConsent(consentId);
  await hub.app.disclosureLog.flush();

  const home = tempDir(t);
  const cli = cliRunner(t, { hubUrl: hub.url, cwd: home, passphrase: 'inutile ici' });
  const auditor = join(home, 'auditeur');
  const logKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  // The newest checkpoint must cover every leaf before the comparison starts.
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await eventually(async () => {
    const { rows } = await db.query('select (select max(size) from log_checkpoints)::int as s, (select count(*) from log_leaves)::int as n');
    return rows[0].s === rows[0].n;
  });

  // The auditor verified the log once: its saved checkpoint is what the database's log must extend.
  t.equal((await cli.run(auditor, ['audit', 'verify', '--log-key', logKey])).code, 0, 'audit verify saves the checkpoint');
  const clean = await cli.run(auditor, ['audit', 'reconcile', '--database', hub.config.databaseUrl!, '--log-key', logKey]);
  t.equal(clean.code, 0, 'untouched tables agree with the log');
  t.match(clean.stdout, /OK : les tables concordent avec le journal\./);

  // Someone with write access to the tables.
  const asSuperuser = async (sql: string, params: unknown[] = []) => {
    await db.query('begin');
    await db.query('set local session_replication_role = replica');
    await db.query(sql, params);
    await db.query('commit');
  };
  await db.query('update consents set revoked_at = null, revoked_by = null where id = $1', [consentId]);
  await db.query('update deliveries set acknowledged_at = now(), acknowledged_by = $1 where message_id = $2', [officer.keys.member, unread.id]);
  await db.query('update messages set header_hash = $1 where id = $2', ['A'.repeat(43), acknowledged.id]);
  const [leaf] = (await db.query("select index, data from log_leaves where kind = 'register.read' or kind = 'consent.recorded' order by index limit 1")).rows;
  await asSuperuser('update log_leaves set data = $1 where index = $2', [leaf.data.replace(/"commitment":"./, (m: string) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A')), leaf.index]);

  const found = await cli.run(auditor, ['audit', 'reconcile', '--database', hub.config.databaseUrl!, '--log-key', logKey, '--json']);
  t.equal(found.code, 4, 'exit 4: discrepancies');
  const report = JSON.parse(found.stdout) as { ok: boolean; findings: { code: string; subject: string }[] };
  t.notOk(report.ok);
  t.same(
    report.findings.map((f) => `${f.code} ${f.subject}`).sort(),
    [`ACK_UNRECORDED ${unread.id}`, `CONSENT_UNREVOKED ${consentId}`, `LOG_EDITED ${(await db.query('select max(size)::int as s from log_checkpoints')).rows[0].s}`,
      `LOG_REWRITTEN ${(await db.query('select max(size)::int as s from log_checkpoints')).rows[0].s}`, `MESSAGE_ALTERED ${acknowledged.id}`, `RECORD_MISMATCH ${leaf.index}`].sort(),
    'each change reported: the un-revoked consent, the acknowledgement nobody signed, the edited leaf (the signed root and the saved one no longer match), the altered header',
  );
  const english = await cli.run(auditor, ['audit', 'reconcile', '--database', hub.config.databaseUrl!, '--log-key', logKey, '--lang', 'en']);
  t.match(english.stdout, /DISCREPANCY CONSENT_UNREVOKED — [0-9a-f-]{36}: consent withdrawn in the log, but in force in the table/);
  t.match(english.stdout, /FAILED: 6 discrepancy/);
  const french = await cli.run(auditor, ['audit', 'reconcile', '--database', hub.config.databaseUrl!, '--log-key', logKey]);
  t.match(french.stdout, /ÉCART ACK_UNRECORDED — [0-9a-f-]{36} : prise en charge dans la table sans accusé signé/);

  // A superuser rebuilds a shorter log, which the hub signs: it agrees with itself, not with what the auditor saw.
  await asSuperuser('truncate log_leaves, log_records, log_nodes, log_checkpoints, log_cosignatures');
  await db.query("insert into log_queue (kind, subject, data, record) values ('register.read', null, '{}', '{}')");
  await hub.app.disclosureLog.flush();
  await eventually(async () => (await db.query('select count(*)::int as n from log_checkpoints')).rows[0].n > 0);
  const rebuilt = await cli.run(auditor, ['audit', 'reconcile', '--database', hub.config.databaseUrl!, '--log-key', logKey, '--json']);
  t.equal(rebuilt.code, 4);
  t.ok((JSON.parse(rebuilt.stdout) as { findings: { code: string }[] }).findings.some((f) => f.code === 'LOG_REWRITTEN'), 'a rebuilt log does not extend the saved checkpoint');
  const noDatabase = await cli.run(auditor, ['audit', 'reconcile', '--log-key', logKey]);
  t.equal(noDatabase.code, 2, 'without --database (or VIGIE_AUDIT_DATABASE_URL): a usage error');
});
