// A witness added while the log is idle cosigns at once: the hub submits its
// newest stored checkpoint to every witness when it starts, so the quorum is
// not left waiting for the next leaf. The witness is the real `vigie witness
// serve` process, the hub a real app on PostgreSQL and Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { ROOT } from '../../clients/harness/hub-process.js';
import { PATHS } from '../../server/paths.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import { parseNote, parseVkey } from '../../protocol/log/note.js';
import { loadSodium } from '../../protocol/sodium.js';
import { freePort } from '../../server/lib/net.js';
import { enrolPartners } from '../helpers/agencies.js';
import { createTestDatabase, eventually, startTestHub, tempDir } from '../helpers/env.js';

const BIN = PATHS.cliBin;
const crypto = await loadSodium();

t.test('a witness added to an idle log receives the current checkpoint at once', async (t) => {
  const home = tempDir(t, 'vigie-witness-idle');
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_'))),
    VIGIE_HOME: home,
    VIGIE_PASSPHRASE: 'correct horse battery staple',
    VIGIE_KDF: 'interactive',
  };
  const run = (args: string[]) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & { out: string };
    child.out = '';
    child.stdout!.on('data', (d: Buffer) => (child.out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (child.out += d.toString()));
    return child;
  };
  const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', r)));

  // The log grows, then goes quiet, with no witness.
  const databaseUrl = await createTestDatabase(t, { migrated: true });
  const dataDir = tempDir(t);
  const first = await startTestHub(t, { databaseUrl, dataDir });
  await enrolPartners(first.url, first.operatorToken);
  await first.app.disclosureLog.flush();
  const { origin, vkey: logVkey } = first.app.disclosureLog;
  await first.app.close();

  // A partner starts its witness for this log.
  const key = run(['witness', 'key', '--name', 'witness.idle/w1', '--json']);
  t.equal(await exited(key), 0, 'vigie witness key');
  const port = await freePort();
  const serve = run(['witness', 'serve', '--log', `${origin}=${logVkey}`, '--port', String(port), '--json']);
  t.teardown(() => void serve.kill('SIGKILL'));
  const ready = await eventually(() => serve.out.split('\n').find((l) => l.includes('"ready"')), 30_000, 50);
  const witness = JSON.parse(ready) as { vkey: string; url: string };

  // The hub restarts with the witness configured; nothing new is queued.
  const hub = await startTestHub(t, { databaseUrl, dataDir, config: { witnesses: [{ url: witness.url, vkey: witness.vkey }], witnessQuorum: 1 } });
  const latest = ((await hub.app.db.execute(sql`select max(size)::int as size from log_checkpoints`)) as unknown as { rows: { size: number }[] }).rows[0]!.size;
  const line = await eventually(async () => {
    const rows = ((await hub.app.db.execute(sql`select size::int as size, line from log_cosignatures`)) as unknown as { rows: { size: number; line: string }[] }).rows;
    return rows.find((r) => r.size === latest)?.line;
  });
  t.equal(((await hub.app.db.execute(sql`select max(size)::int as size from log_checkpoints`)) as unknown as { rows: { size: number }[] }).rows[0]!.size, latest, 'no new checkpoint was needed');
  const served = await (await fetch(`${hub.url}/v1/log/checkpoint`)).text();
  const note = parseNote(served);
  const cosignature = note.signatures.find((s) => s.line === line);
  t.ok(cosignature, 'the served checkpoint carries the witness’s cosignature');
  t.ok(verifyCosignature(crypto, note.text, cosignature!, parseVkey(crypto, witness.vkey)).ok, 'and it verifies');
  serve.kill('SIGTERM');
  t.equal(await exited(serve), 0);
});
