// `npm start`'s fast path: the PGlite template made at install (initdb and
// migrations done once), and the launcher that runs the compiled hub.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { connectDatabase } from '../../../server/db/connect.js';
import { copyTemplate, templateDir } from '../../../server/db/pglite-template.js';
import { freePort } from '../../../server/lib/net.js';
import { PATHS } from '../../../server/paths.js';
import { tempDir } from '../../helpers/env.js';

t.test('the install made a PGlite template; a fresh data directory starts from it with every migration applied', async (t) => {
  t.ok(existsSync(join(templateDir(), 'PG_VERSION')), `npm install wrote the template (${templateDir()})`);
  const dir = join(tempDir(t), 'pglite');
  t.equal(await copyTemplate(dir), true, 'a fresh directory is filled from the template');
  t.equal(await copyTemplate(dir), false, 'a directory that holds a cluster is left alone');
  const database = await connectDatabase({ dataDir: tempDir(t) });
  t.teardown(() => database.close());
  t.equal(await database.migrationsApplied(), true, 'before migrate() runs, the migrations are already there');
  await database.migrate();
  t.equal(await database.migrationsApplied(), true, 'and migrate() finds nothing to undo');
});

t.test('a directory that is not empty of a cluster is never overwritten by the template', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'PG_VERSION'), '15\n');
  t.equal(await copyTemplate(dir), false);
  t.notOk(existsSync(join(dir, 'base')), 'nothing copied beside the existing cluster');
});

t.test('npm start (the compiled hub) on the embedded default: ready, then a clean SIGTERM', async (t) => {
  const pkg = JSON.parse(readFileSync(join(PATHS.root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  t.equal(pkg.scripts.start, 'node dist/server/main.js', 'npm start runs the compiled hub, which this test starts');
  const port = await freePort();
  const child = spawn(process.execPath, [PATHS.hubMain], {
    env: { ...process.env, VIGIE_DATA_DIR: tempDir(t), PORT: String(port), DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${out.slice(-2000)}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Vigie prêt \/ Vigie ready/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<string, string>;
  t.same(ready, { status: 'ready', postgres: 'ok', redis: 'ok', migrations: 'ok', log: 'ok', witnesses: 'ok' }, 'PGlite + managed redis-server, migrations applied');
  child.kill('SIGTERM');
  t.equal(await new Promise<number | null>((r) => child.once('exit', r)), 0, 'SIGTERM exits 0');
});
