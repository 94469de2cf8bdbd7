/**
 * The embedded default's first start: PGlite's initdb runs PostgreSQL's
 * bootstrap in WebAssembly and takes about five seconds on a small machine.
 * `npm install` runs it once (postinstall), applies the migrations, and keeps
 * the cluster's directory as a template beside the installed packages; a
 * fresh data directory is then a copy of it, which PGlite opens in about a
 * second. The template's name
 * carries the PGlite version and a hash of the migrations it holds, so a
 * template made from other migrations is never used. Without one (install
 * scripts skipped, new migrations since) the hub runs initdb as before.
 */
import { createHash } from 'node:crypto';
import { cp } from 'node:fs/promises';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MIGRATIONS } from './migrations-folder.js';


function pglitePackage(): { dir: string; version: string } {
  // The package does not export its package.json: find it from its entry point.
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return { dir, version: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version };
}

/** Where the template of this PGlite version and these migrations lives: node_modules/.cache/vigie, beside the package. */
export function templateDir(): string {
  const { dir, version } = pglitePackage();
  const migrations = createHash('sha256')
    .update(readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort().map((f) => `${f}\n${readFileSync(join(MIGRATIONS, f), 'utf8')}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  return join(dir, '..', '..', '.cache', 'vigie', `pglite-${version}-${migrations}`);
}

/**
 * Fills a fresh data directory from the template. False when there is no
 * template (or the directory already holds a cluster): PGlite then runs initdb.
 */
export async function copyTemplate(dataDir: string): Promise<boolean> {
  if (!isFreshDataDir(dataDir)) return false;
  const template = templateDir();
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  // Asynchronous: the copy runs on libuv's threads while the hub's modules load on the main one.
  await cp(template, dataDir, { recursive: true });
  return true;
}

/** True when `dir` holds no cluster yet (PostgreSQL writes PG_VERSION first). */
export function isFreshDataDir(dir: string): boolean {
  return !existsSync(join(dir, 'PG_VERSION'));
}

/** Runs initdb and the migrations once and keeps the cluster (renamed into place when complete: a half-made one is never used). */
export async function buildTemplate(): Promise<string> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = templateDir();
  const building = `${dir}.${process.pid}.tmp`;
  mkdirSync(building, { recursive: true });
  try {
    const pg = await PGlite.create(building);
    try {
      await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS });
    } finally {
      await pg.close();
    }
    renameSync(building, dir);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (existsSync(join(templateDir(), 'PG_VERSION'))) {
    process.stdout.write(`PGlite template present: ${templateDir()}\n`);
  } else {
    buildTemplate().then(
      (file) => process.stdout.write(`PGlite template written: ${file}\n`),
      // Never fail an install for it: the hub runs initdb itself without a template.
      (err: Error) => process.stderr.write(`PGlite template not written (${err.message}); the first start will run initdb\n`),
    );
  }
}
