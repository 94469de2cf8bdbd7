import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import { MIGRATIONS } from './migrations-folder.js';
import { copyTemplate } from './pglite-template.js';
import { trackCommits } from './after-commit.js';

export type Schema = typeof schema;
/** The same drizzle API over PostgreSQL (node-postgres) and embedded PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** True when the last migration on disk is applied. */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

// Serialises migrations of several hub instances starting together on one database.
const MIGRATION_LOCK = 7_180_427_001;

/** Connects to PostgreSQL when a URL is given, else to PGlite under dataDir/pglite. */
export async function connectDatabase(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Database> {
  return opts.databaseUrl ? connectPostgres(opts.databaseUrl, opts.poolSize ?? 20) : connectPglite(opts.dataDir);
}

async function expectedMigrations(): Promise<number> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  return readMigrationFiles({ migrationsFolder: MIGRATIONS }).length;
}

/**
 * True when no migration on disk is newer than the last one applied (drizzle's
 * own rule), read with SELECT alone; false when that cannot be read.
 */
async function migrationsUpToDate(db: Db): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const newest = Math.max(0, ...readMigrationFiles({ migrationsFolder: MIGRATIONS }).map((m) => m.folderMillis));
  try {
    const res = (await db.execute(sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`)) as unknown as { rows: { at: string | null }[] };
    const at = res.rows[0]?.at;
    return at !== null && at !== undefined && Number(at) >= newest;
  } catch {
    return false;
  }
}

/**
 * Lets the hub's least-privileged role read which migrations are applied (at
 * start, and /readyz). Granted by whoever applies them, since drizzle creates
 * that table itself, not a migration; nothing happens where the role is absent.
 */
export async function grantMigrationsRead(db: Db): Promise<void> {
  await db.execute(sql.raw(`DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigie_hub') THEN
    GRANT USAGE ON SCHEMA drizzle TO vigie_hub;
    GRANT SELECT ON drizzle.__drizzle_migrations TO vigie_hub;
  END IF;
END
$$`));
}

/** Whether PostgreSQL refused for lack of a privilege (SQLSTATE 42501), the error itself or its cause. */
function insufficientPrivilege(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '42501') return true;
  return false;
}

async function appliedMigrations(db: Db): Promise<number> {
  try {
    const res = (await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
      rows: { n: number }[];
    };
    return res.rows[0]?.n ?? 0;
  } catch {
    return 0;
  }
}

async function connectPostgres(url: string, max: number): Promise<Database> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  // Nor one that is checked out (in a transaction, between two queries) when the
  // server restarts: pg emits 'error' on it, and the pool listens only to idle
  // clients. The query in flight fails by itself; release() drops the dead client.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = trackCommits(drizzle(pool, { schema }) as unknown as Db);
  let closed = false;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      // Nothing to apply: nothing done that needs more than SELECT. The hub may log in as a
      // member of vigie_hub (docs/audit-log.md), which cannot create schemas or tables: the
      // owner applies the migrations first (server/migrate.ts, docker-compose.yml's `migrate`).
      if (await migrationsUpToDate(db)) return;
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        const locked = drizzle(client, { schema });
        await migrate(locked, { migrationsFolder: MIGRATIONS });
        await grantMigrationsRead(locked as unknown as Db);
      } catch (err) {
        if (!insufficientPrivilege(err)) throw err;
        throw new Error(
          'this database role cannot read or apply the migrations: apply them as the role that owns the tables ' +
            '(DATABASE_URL=<owner> node dist/server/migrate.js), then start the hub as a member of vigie_hub (docs/audit-log.md)',
          { cause: err },
        );
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async migrationsApplied() {
      return (await appliedMigrations(db)) >= (await expectedMigrations());
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

async function connectPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A fresh directory is a copy of the install-time template: no initdb, no migrations to apply.
  await copyTemplate(dir);
  const client = await PGlite.create(dir);
  const db = trackCommits(drizzle(client, { schema }) as unknown as Db);
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async migrate() {
      await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS });
    },
    async ping() {
      await client.query('select 1');
    },
    async migrationsApplied() {
      return (await appliedMigrations(db)) >= (await expectedMigrations());
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
