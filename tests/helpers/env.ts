import { createHash, randomBytes } from 'node:crypto';
import { VigieApiError } from '../../clients/sdk/http.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { Redis } from 'ioredis';
import { buildApp, type AppOptions } from '../../server/app.js';
import { loadConfig } from '../../server/config/load.js';
import { connectDatabase, type Database } from '../../server/db/connect.js';
import { MIGRATIONS } from '../../server/db/migrations-folder.js';
import type { Config } from '../../server/config/schema.js';

export const PG_ADMIN_URL = process.env.VIGIE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_TEST_URL = process.env.VIGIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

const databaseUrl = (name: string) => {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/** Any number, the same in every test process: it serialises the making of the template below. */
const TEMPLATE_LOCK = 0x76_69_67_74;

/** The SQL migrations' content, hashed: a template is only ever used for the migrations it was made from. */
function migrationsHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${path.slice(MIGRATIONS.length)}\0`).update(readFileSync(path)).update('\0');
    }
  };
  walk(MIGRATIONS);
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<string> | null = null;

/**
 * A database with every committed migration applied, made once on this
 * server for this content of migrations/ (by whichever test process comes
 * first; the others wait on an advisory lock) and never connected to again:
 * each test hub's database is a copy of it (CREATE DATABASE … TEMPLATE), where
 * the hub finds its migrations applied, instead of applying the ten of them
 * to an empty database each time.
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `vigie_tpl_${migrationsHash()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
      const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
      if (!exists) {
        // Made under another name and renamed when complete: a process killed half-way leaves no half template.
        const building = `${name}_building`;
        await admin.query(`drop database if exists ${building} with (force)`);
        await admin.query(`create database ${building}`);
        const database = await connectDatabase({ databaseUrl: databaseUrl(building), dataDir: tmpdir(), poolSize: 1 });
        try {
          await database.migrate();
        } finally {
          await database.close();
        }
        // The migration's backend may still be leaving when its pool has closed (55006: "being accessed by other users").
        await eventually(() => admin.query(`alter database ${building} rename to ${name}`).then(() => true, (err: { code?: string }) => {
          if (err.code !== '55006') throw err;
          return false;
        }), 10_000, 20);
      }
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => {});
      await admin.end();
    }
    return name;
  })();
  template.catch(() => (template = null));
  return template;
}

/**
 * A fresh PostgreSQL database for one test file, dropped at the end: empty,
 * or with `migrated` a copy of the migrated template (what a test hub needs).
 */
export async function createTestDatabase(t: Teardown, opts: { migrated?: boolean } = {}): Promise<string> {
  const name = `vigie_t_${randomBytes(6).toString('hex')}`;
  const from = opts.migrated ? await migratedTemplate() : null;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(from ? `create database ${name} template ${from}` : `create database ${name}`);
  await admin.end();
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return databaseUrl(name);
}

/**
 * A migrated database of its own (createTestDatabase), the hub's connection
 * to it, and a raw client beside it for what a test does behind the hub's
 * back; all closed at the end.
 */
export async function migratedDatabase(t: Teardown): Promise<{ database: Database; raw: pg.Client }> {
  const url = await createTestDatabase(t, { migrated: true });
  const database = await connectDatabase({ databaseUrl: url, dataDir: tempDir(t) });
  t.teardown(() => database.close());
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  t.teardown(() => raw.end());
  return { database, raw };
}

/** A unique queue/channel prefix whose Redis keys are deleted at the end. */
export function testPrefix(t: Teardown, redisUrl = REDIS_TEST_URL): string {
  const prefix = `vt${randomBytes(5).toString('hex')}`;
  t.teardown(async () => {
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      for (const pattern of [`${prefix}:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await r.del(...keys);
        } while (cursor !== '0');
      }
    } catch {
      // the test may have stopped this Redis on purpose
    } finally {
      r.disconnect();
    }
  });
  return prefix;
}

export function tempDir(t: Teardown, label = 'vigie'): string {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestHub {
  app: FastifyInstance;
  url: string;
  config: Config & { redisUrl: string; audience: string };
  operatorToken: string;
  /** Every log line the app wrote. */
  logs: string[];
}

export interface TestHubOptions {
  databaseUrl?: string;
  redisUrl?: string;
  queuePrefix?: string;
  dataDir?: string;
  hubKeyFile?: string;
  operatorToken?: string;
  config?: Partial<Config>;
  app?: AppOptions;
  listen?: boolean;
  /** The address to listen on (loopback unless a test needs the LAN address). */
  host?: string;
}

/** Builds the hub app on real PostgreSQL and Redis, listening on a free loopback port. */
export async function startTestHub(t: Teardown, opts: TestHubOptions = {}): Promise<TestHub> {
  const dataDir = opts.dataDir ?? tempDir(t);
  const operatorToken = opts.operatorToken ?? randomBytes(32).toString('base64url');
  const config = {
    ...loadConfig({}, {
      databaseUrl: opts.databaseUrl ?? (await createTestDatabase(t, { migrated: true })),
      queuePrefix: opts.queuePrefix ?? testPrefix(t),
      dataDir,
      operatorToken,
      hubKeyFile: opts.hubKeyFile ?? join(dataDir, 'hub-key.jwk'),
      logLevel: 'info',
      port: 0,
      outboxPollMs: 200,
      // A console bundle built elsewhere than dist/web (several builds side by side).
      ...(process.env.VIGIE_CONSOLE_DIR ? { consoleDir: process.env.VIGIE_CONSOLE_DIR } : {}),
      ...opts.config,
    }),
    redisUrl: opts.redisUrl ?? REDIS_TEST_URL,
  };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const app = await buildApp(config, { logStream, ...opts.app });
  t.teardown(() => app.close());
  let url = '';
  if (opts.listen !== false) {
    await app.listen({ host: opts.host ?? '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
  } else {
    await app.ready();
  }
  return { app, url, config: { ...config, audience: app.audience }, operatorToken, logs };
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, stepMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** 'OK' when the call succeeds, else the hub's refusal code (or the error's message). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return err instanceof VigieApiError ? err.code : (err as Error).message;
  }
}

/**
 * A connection to a test database as a fresh login role that is only a
 * member of `vigie_hub`: the hub's own least privilege, what a database
 * writer who took the hub's credentials can do. Dropped at the end.
 */
export async function hubRoleConnection(t: Teardown, databaseUrl: string): Promise<pg.Client> {
  const role = `vigie_r_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`create role ${role} login in role vigie_hub`);
  await admin.end();
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`drop owned by ${role}`).catch(() => {});
    await c.query(`drop role if exists ${role}`).catch(() => {});
    await c.end();
  });
  const url = new URL(databaseUrl);
  url.username = role;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  t.teardown(() => client.end());
  return client;
}
