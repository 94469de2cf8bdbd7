// A database superuser tampers with the log: updates a leaf, alters a node,
// deletes a leaf, truncates and rebuilds a shorter log. The append-only
// triggers stop everyone else; the auditor's checks, its saved checkpoint and
// an independent witness detect each case.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { auditLog, type SavedCheckpoint } from '../../../clients/sdk/audit.js';
import { rootNodes } from '../../../protocol/log/merkle.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners, sendUnanchored } from '../../helpers/agencies.js';
import { codeOf, eventually, hubRoleConnection } from '../../helpers/env.js';
import { asSuperuserWithoutTriggers as withoutTriggers, rebuildShorterLog } from '../../helpers/log-tamper.js';
import { startWitnessedHub } from '../../helpers/witness.js';

t.test('tampering is refused or detected', async (t) => {
  const crypto = await loadSodium();
  const { hub, logKey, witnessKey: wvkey, witnessUrl } = await startWitnessedHub(t, crypto);
  const { worker, underDanger, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  for (let i = 0; i < 3; i++) {
    await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { i }, ...underDanger });
  }
  await hub.app.disclosureLog.flush();
  const trust = { url: hub.url, logKey, witnesses: [wvkey], quorum: 1 };
  const integrated = ((await hub.app.db.execute(sql`select count(*)::int as n from log_leaves`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
  const first = await eventually(async () => {
    const r = await auditLog({ ...trust, full: true }, crypto);
    return r.ok && r.checkpoint!.size >= integrated ? r : null;
  }).catch((err) => {
    console.error(hub.logs.filter((l) => /witness/i.test(l)).slice(-5).join(''));
    throw err;
  });
  t.equal(first.cosignatures, 1, 'the witness cosigned the checkpoint');
  const saved: SavedCheckpoint = first.save!;
  t.equal(first.entriesChecked, saved.size, 'every entry re-hashed into the signed root');

  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const asSuperuserWithoutTriggers = (statement: string, params: unknown[] = []) => withoutTriggers(db, statement, params);

  // The triggers refuse UPDATE, DELETE and TRUNCATE, even to the table owner.
  for (const sql of ["update log_leaves set data = data || ' ' where index = 0", 'delete from log_leaves where index = 0', 'truncate log_leaves cascade', 'delete from log_checkpoints', 'update log_nodes set hash = hash']) {
    await t.rejects(db.query(sql), /append-only/, `refused: ${sql}`);
  }
  // The hub's least-privilege role may only INSERT and SELECT the log tables.
  const limited = await hubRoleConnection(t, hub.config.databaseUrl!);
  await t.rejects(limited.query("update log_leaves set data = '' where index = 0"), /permission denied/, 'the hub role cannot UPDATE a leaf');
  await t.rejects(limited.query('delete from log_checkpoints'), /permission denied/, 'the hub role cannot DELETE a checkpoint');
  t.ok((await limited.query('select count(*) from log_leaves')).rows.length, 'it can read the log');

  // 1. A superuser rewrites a leaf: the full verification no longer reaches the signed root.
  const victim = (await db.query<{ index: string; data: string }>("select index, data from log_leaves where kind = 'message.accepted' order by index limit 1")).rows[0]!;
  await asSuperuserWithoutTriggers('update log_leaves set data = $1 where index = $2', [victim.data.replace(/"commitment":"./, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A')), victim.index]);
  t.same((await auditLog({ ...trust, saved, full: true }, crypto)).problems, ['ROOT_MISMATCH'], 'an altered leaf is detected');
  await asSuperuserWithoutTriggers('update log_leaves set data = $1 where index = $2', [victim.data, victim.index]);
  t.ok((await auditLog({ ...trust, saved, full: true }, crypto)).ok, 'restored');

  // 2. A superuser alters a stored node the last checkpoint's root rests on (its smallest
  // right-edge subtree, whatever the size of the log): the hub refuses to sign any further checkpoint.
  const before = (await db.query('select max(size)::int as s from log_checkpoints')).rows[0].s as number;
  const node = rootNodes(before).at(-1)!;
  const original = (await db.query<{ hash: Buffer }>('select hash from log_nodes where level = $1 and index = $2', [node.level, node.index])).rows[0]!.hash;
  await asSuperuserWithoutTriggers('update log_nodes set hash = $1 where level = $2 and index = $3', [Buffer.alloc(32, 7), node.level, node.index]);
  // The hub notices on its own (tests/integration/disclosure-log/halt.test.ts) and refuses new messages…
  await eventually(() => hub.app.disclosureLog.halt.halted);
  t.equal(await codeOf(sendUnanchored(worker.client, { type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: {}, ...underConsent })), 'LOG_HALTED', 'no message accepted over altered nodes');
  // …and the sequencer signs nothing over them, whatever else is queued (a consent is still recorded).
  await worker.client.recordConsent({ id: randomUUID(), case: 'DOSSIER-2', recipients: ['police-laval'], purposes: ['victim_safety'], dataCategories: ['identity'], evidenceHash: 'B'.repeat(43) });
  await hub.app.disclosureLog.flush();
  t.equal((await db.query('select max(size)::int as s from log_checkpoints')).rows[0].s, before, 'no checkpoint signed over altered nodes');
  t.ok(hub.logs.some((l) => l.includes('LOG_TAMPERED')), 'the hub reports the tampering');
  await asSuperuserWithoutTriggers('update log_nodes set hash = $1 where level = $2 and index = $3', [original, node.level, node.index]);
  await hub.app.disclosureLog.flush();
  const resumed = await eventually(async () => {
    const r = await auditLog({ ...trust, saved, full: true }, crypto);
    return r.ok && r.checkpoint!.size > saved.size ? r : null;
  });
  t.ok(resumed.ok, 'restored, the log goes on and stays consistent with the saved checkpoint');
  const saved2 = resumed.save!;

  // 3. A superuser deletes a leaf: an entry tile can no longer be served whole.
  const gone = (await db.query<{ index: string; kind: string; subject: string | null; data: string }>('select index, kind, subject, data from log_leaves where index = 1')).rows[0]!;
  await asSuperuserWithoutTriggers('delete from log_leaves where index = 1');
  t.ok((await auditLog({ ...trust, saved: saved2, full: true }, crypto)).problems.includes('ENTRIES_MISSING'), 'a deleted leaf is detected');
  await asSuperuserWithoutTriggers('insert into log_leaves (index, kind, subject, data) values ($1, $2, $3, $4)', [gone.index, gone.kind, gone.subject, gone.data]);

  // 4. A superuser truncates the log and rebuilds a shorter one, which the hub then signs.
  await rebuildShorterLog(db);
  await hub.app.disclosureLog.flush();
  // The hub serves its newest checkpoint within a quarter second.
  const rebuilt = await eventually(async () => {
    const r = await auditLog({ ...trust, saved: saved2, full: true }, crypto);
    return r.checkpoint!.size === 2 ? r : null;
  });
  t.equal(rebuilt.checkpoint!.size, 2, 'the hub signed the shorter tree it was given');
  t.ok(rebuilt.problems.includes('LOG_SHRANK'), 'the auditor’s saved checkpoint shows the log got shorter');
  // The witness's refusal is an alarm: with the only witness of a quorum of one in alarm, the hub stops accepting
  // messages. Once it is raised the witness has answered, and what the hub serves is what it refused to cosign.
  await eventually(() => hub.app.disclosureLog.halt.status().reasons.includes('witness_fork'));
  const again = await auditLog({ ...trust, saved: saved2 }, crypto);
  t.ok(again.problems.includes('QUORUM_NOT_MET'), 'the witness refused to cosign a tree inconsistent with what it saw');
  t.ok(hub.logs.some((l) => l.includes('"level":50') && l.includes('WITNESS_ALARM')), 'the witness’s refusal is logged as an error');
  t.equal(await codeOf(sendUnanchored(worker.client, { type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: {}, ...underConsent })), 'LOG_HALTED', 'and no message is accepted into the rebuilt log');
  const state = await fetch(`${witnessUrl}/add-checkpoint`, { method: 'POST', body: 'old 0\n\nnot a checkpoint\n' });
  t.ok(state.status >= 400, 'the witness keeps refusing malformed input');
});
