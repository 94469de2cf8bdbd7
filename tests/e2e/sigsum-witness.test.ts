// A partner runs a standard witness beside Vigie's own: Debian's
// sigsum-witness (sigsum-go), set up as docs/operations.md shows, cosigns the
// checkpoints of a real hub whose origin is the Sigsum form of its log key,
// the hub stores those cosignatures and an auditor's quorum counts them; and
// when the log is rebuilt to the same size with another root, sigsum-witness's
// refusal (a 422) is a fork alarm that halts acceptance.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import pg from 'pg';
import { auditLog } from '../../clients/sdk/audit.js';
import { ROOT } from '../../clients/harness/hub-process.js';
import { fromB64 } from '../../protocol/encoding.js';
import { sigsumWitnessVkey } from '../../protocol/log/sigsum.js';
import { loadSodium } from '../../protocol/sodium.js';
import { freePort } from '../../server/lib/net.js';
import { enrolPartners } from '../helpers/agencies.js';
import { codeOf, eventually, startTestHub, tempDir } from '../helpers/env.js';
import { PATHS } from '../../server/paths.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const missing = ['sigsum-witness', 'sigsum-key'].filter((b) => !has(b));
const skip = missing.length > 0 ? `${missing.join(' and ')} not installed (Debian: apt-get install -t bookworm-backports sigsum-go; .ci/run does it)` : false;

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

t.test('sigsum-witness cosigns a Vigie log in Sigsum form, and its fork refusal halts the hub', { skip }, async (t) => {
  const crypto = await loadSodium();
  const dir = tempDir(t, 'vigie-sigsum');
  const dataDir = tempDir(t);

  // The hub operator: the log key and its Sigsum origin, before the first start.
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_'))), VIGIE_DATA_DIR: dataDir };
  const logKey = JSON.parse(run(process.execPath, [PATHS.logKey, '--json'], env)) as { sigsumOrigin: string; sigsumVkey: string; ssh: string };
  writeFileSync(join(dir, 'vigie-log.pub'), `${logKey.ssh}\n`);
  t.equal(run('sigsum-key', ['to-vkey', '-k', join(dir, 'vigie-log.pub')]), logKey.sigsumVkey, 'sigsum-key derives the same origin and key ID from the OpenSSH key');

  // The partner: a witness key, and the vkey the hub operator configures for it.
  run('sigsum-key', ['generate', '-o', join(dir, 'witness.key')]);
  const hash = run('sigsum-key', ['to-hash', '-k', join(dir, 'witness.key.pub')]);
  const witnessVkey = run('sigsum-key', ['to-vkey', '-t', 'cosignature/v1', '-n', `sigsum.org/v1/witness/${hash}`, '-k', join(dir, 'witness.key.pub')]);
  t.equal(sigsumWitnessVkey(crypto, fromB64(witnessVkey.split('+').slice(2).join('+')).slice(1)), witnessVkey, 'Vigie names a sigsum-witness key as sigsum-key does');
  const port = await freePort();
  const witness: ChildProcess = spawn('sigsum-witness', ['-k', join(dir, 'witness.key'), '--log-key', join(dir, 'vigie-log.pub'), '--state-file', join(dir, 'state'), `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Debian's build (0.11.1~bpo12) defaults to Go 1.21 routing, which does not understand its own
    // "POST /add-checkpoint" route and answers 404 to everything: docs/operations.md says so too.
    env: { ...process.env, GODEBUG: 'httpmuxgo121=0' },
  });
  let witnessOutput = '';
  witness.stdout!.on('data', (d: Buffer) => (witnessOutput += d.toString()));
  witness.stderr!.on('data', (d: Buffer) => (witnessOutput += d.toString()));
  t.teardown(() => void witness.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/add-checkpoint`, { method: 'POST', body: '' })).status === 400, 10_000, 50);

  const hub = await startTestHub(t, { dataDir, config: { disclosureLogOrigin: logKey.sigsumOrigin, witnesses: [{ url, vkey: witnessVkey }], witnessQuorum: 1 } });
  t.equal(hub.app.disclosureLog.vkey, logKey.sigsumVkey);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: {}, ...underDanger });
  await hub.app.disclosureLog.flush();
  const trust = { url: hub.url, logKey: logKey.sigsumVkey, witnesses: [witnessVkey], quorum: 1 };
  const audited = await eventually(async () => {
    const r = await auditLog({ ...trust, full: true }, crypto);
    const size = (await hub.app.db.execute(sql`select max(size)::int as s from log_checkpoints`)) as unknown as { rows: { s: number }[] };
    return r.ok && r.checkpoint!.size === size.rows[0]!.s ? r : null;
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${witnessOutput}\n${hub.logs.filter((l) => /witness/i.test(l)).slice(-5).join('')}`);
  });
  t.equal(audited.cosignatures, 1, 'the auditor’s quorum of one is met by the sigsum-witness cosignature');
  t.notOk(hub.logs.some((l) => /"level":(40|50)/.test(l) && /witness/i.test(l)), 'no witness warning');

  // A superuser rebuilds the log at the same size with other entries: sigsum-witness refuses (422),
  // which is a fork; with the only witness of the quorum in alarm, the hub stops accepting.
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const size = (await db.query('select max(size)::int as s from log_checkpoints')).rows[0].s as number;
  // An alert made before, to see what the hub answers (the SDK itself would stop at the forked log first).
  const alert = { type: 'danger_alert' as const, urgency: 'immediate' as const, recipients: ['police-laval/dispatch'], content: {}, ...underDanger };
  const held = await worker.client.seal(alert, [await worker.client.directory.recipient('police-laval/dispatch', underDanger.protocol!)]);
  await db.query('begin');
  await db.query('set local session_replication_role = replica');
  await db.query('truncate log_leaves, log_records, log_nodes, log_checkpoints, log_cosignatures');
  await db.query("insert into log_queue (kind, subject, data, record) select 'register.read', null, '{\"forged\":' || i || '}', '{\"forged\":' || i || '}' from generate_series(1, $1) i", [size]);
  await db.query('commit');
  await hub.app.disclosureLog.flush();
  await eventually(() => hub.app.disclosureLog.halt.status().reasons.includes('witness_fork'));
  t.ok(hub.logs.some((l) => l.includes('WITNESS_ALARM') && l.includes('"status":422') && l.includes('"kind":"fork"')), 'sigsum-witness’s 422 at the same size is a fork alarm');
  t.equal(await codeOf(worker.client.resubmit(held)), 'LOG_HALTED', 'the hub accepts nothing');
  // Whether the SDK's checkpoint is fresh enough to see the fork itself or the hub answers first, nothing is sent.
  t.match(await codeOf(worker.client.send(alert)), /^(LOG_HALTED|.*does not extend the last one|two different trees of the same size)$/, 'a send through the SDK is refused too');
  witness.kill('SIGTERM');
});
