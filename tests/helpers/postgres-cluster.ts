// A private PostgreSQL 15 cluster for tests that stop, restart or kill their
// database (tests/fault): initdb in a temporary directory, one postmaster on a
// free loopback port. The shared server on 5432 is never touched.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../server/lib/net.js';

export const PG_BIN = process.env.VIGIE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  adminUrl: string;
  port: number;
  /** The temporary directory: data/ and the Unix socket. */
  dir: string;
  /** The running postmaster (null while stopped). */
  readonly child: ChildProcess | null;
  /** Server log lines (stdout and stderr), for diagnostics. */
  output: string[];
  /** A URL for one database of this cluster. */
  urlFor(database: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Starts the postmaster again on the same port and data (after stop or kill). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): open transactions roll back, clients are disconnected. */
  stop(): Promise<void>;
  /** Stop, then start on the same port and data. */
  restart(): Promise<void>;
  /** SIGKILL to the postmaster and its backends (crash; the next start recovers from the WAL). */
  kill(): Promise<void>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** uid/gid to run the server as: initdb and postgres refuse to run as root. */
function serverUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

function waitExit(c: ChildProcess, ms: number): Promise<boolean> {
  if (exited(c)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    c.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts a private PostgreSQL cluster owned by the `postgres` user (when the
 * tests run as root) and stops and deletes it at teardown.
 */
export async function startPostgresCluster(t: Teardown, opts: { startTimeoutMs?: number } = {}): Promise<TestPostgres> {
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const spawnOpts = { stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], env: { ...process.env, HOME: dir, LC_ALL: 'C' }, ...(user ?? {}) };

  await new Promise<void>((resolve, reject) => {
    const init = spawn(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], spawnOpts);
    const out: string[] = [];
    init.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
    init.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
    init.on('error', reject);
    init.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited ${code}: ${out.join('').slice(-2000)}`))));
  });

  const port = await freePort();
  const output: string[] = [];
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const state: { child: ChildProcess | null } = { child: null };

  const accepting = async (): Promise<boolean> => {
    const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => {});
    }
  };

  const start = async () => {
    if (state.child && !exited(state.child)) return;
    // A crashed postmaster leaves its pid file; postgres checks it and starts anyway when that pid is gone.
    const child = spawn(
      join(PG_BIN, 'postgres'),
      [
        ...['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
        // Diagnosis only, e.g. VIGIE_TEST_PG_ARGS='-c log_min_duration_statement=0 -c logging_collector=on -c log_directory=/tmp/pglog'.
        ...(process.env.VIGIE_TEST_PG_ARGS ?? '').split(' ').filter(Boolean),
      ],
      // Its own process group: kill() reaches the backends too.
      { ...spawnOpts, detached: true },
    );
    state.child = child;
    const keep = (d: Buffer) => {
      output.push(d.toString());
      if (output.length > 2000) output.splice(0, output.length - 2000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (err) => output.push(`spawn error: ${err.message}`));
    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
    for (;;) {
      if (exited(child)) throw new Error(`postgres exited (${child.exitCode ?? child.signalCode}): ${output.join('').slice(-2000)}`);
      if (await accepting()) return;
      if (Date.now() > deadline) throw new Error(`postgres not accepting connections on ${port}: ${output.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const killGroup = (c: ChildProcess) => {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };

  const groupAlive = (c: ChildProcess) => {
    try {
      if (c.pid) process.kill(-c.pid, 0);
      return c.pid !== undefined;
    } catch {
      return false;
    }
  };

  const stop = async () => {
    const c = state.child;
    if (!c || exited(c)) return;
    c.kill('SIGINT'); // fast shutdown
    if (!(await waitExit(c, 30_000))) {
      killGroup(c);
      await waitExit(c, 5000);
    }
  };

  const kill = async () => {
    const c = state.child;
    if (!c || exited(c)) return;
    killGroup(c);
    await waitExit(c, 10_000);
    // The backends got the same SIGKILL (one process group): wait until the group is empty, so that none still
    // holds the shared memory a restart needs.
    const deadline = Date.now() + 10_000;
    while (groupAlive(c) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };

  // If the test process ends without its teardown, do not leave a postmaster behind.
  const onExit = () => {
    if (state.child && !exited(state.child)) killGroup(state.child);
  };
  process.on('exit', onExit);
  t.teardown(async () => {
    await stop();
    process.off('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
  });

  await start();
  return {
    adminUrl,
    port,
    dir,
    get child() {
      return state.child;
    },
    output,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`create database ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    kill,
  };
}

/** True when the PostgreSQL 15 binaries this helper needs are installed. */
export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'postgres'));
}
