// docker-compose.yml's database roles, checked on a real PostgreSQL 15 without
// a Docker engine. The hub must not log in as the PostgreSQL superuser (it once
// did: POSTGRES_USER and the hub's DATABASE_URL named the same `vigie`), nor
// as the owner of its tables, who can disable the disclosure log's append-only
// triggers. The compose file's init script (deploy/postgres-init/, what the
// postgres image runs once as the superuser) is run here the same way, with
// psql as the superuser in a fresh database; the migrations are applied by the
// owner role through the same entry point as the compose `migrate` service;
// then a real hub runs connected as the hub's role, with only the grants the
// migrations give `vigie_hub`, and carries a danger alert end to end.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import t from 'tap';
import { parse } from 'yaml';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, PG_ADMIN_URL, startTestHub } from '../../helpers/env.js';
import { PATHS } from '../../../server/paths.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Service {
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  healthcheck?: { test: string[] };
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const { postgres, hub, hub2, migrate } = compose.services;

/** The login of a compose DATABASE_URL, whatever its ${…} substitutions are set to. */
function urlUser(service: Service | undefined): { user: string; password: string } {
  const url = new URL(service!.environment!.DATABASE_URL!.replace(/\$\{[^}]*\}/g, 'x'));
  return { user: decodeURIComponent(url.username), password: /^postgres:\/\/[^:]+:(\$\{[A-Z_]+)/.exec(service!.environment!.DATABASE_URL!)?.[1] ?? '' };
}

/** The host folder compose mounts on the image's /docker-entrypoint-initdb.d. */
function initFolder(): string {
  const mount = postgres!.volumes!.find((v) => v.split(':')[1] === '/docker-entrypoint-initdb.d');
  if (!mount) throw new Error('no init folder mounted on /docker-entrypoint-initdb.d');
  return join(ROOT, mount.split(':')[0]!);
}

t.test('the hub logs in as its own least-privileged role, not as the superuser nor as the owner', async (t) => {
  const superuser = postgres!.environment!.POSTGRES_USER ?? 'postgres';
  const env = postgres!.environment!;
  for (const [name, service] of [['hub', hub], ['hub2', hub2]] as const) {
    const { user, password } = urlUser(service);
    t.not(user, superuser, `${name} does not connect as the PostgreSQL superuser (POSTGRES_USER ${superuser})`);
    t.equal(user, env.VIGIE_DB_USER, `${name} connects as the role the init script makes for the hub`);
    t.equal(password, '${VIGIE_DB_PASSWORD', `${name}'s password is the one the init script gives that role`);
    t.match(env.VIGIE_DB_PASSWORD, /^\$\{VIGIE_DB_PASSWORD[:}]/);
    t.same(service!.depends_on?.migrate, { condition: 'service_completed_successfully' }, `${name} starts once the migrations are applied`);
    // The image runs with NODE_ENV=production, where the hub refuses to start without a witness quorum.
    t.match(service!.environment!.VIGIE_WITNESSES, /^\$\{VIGIE_WITNESSES:\?/, `${name}: the witnesses are required`);
    t.ok(Number(/^\$\{VIGIE_WITNESS_QUORUM:-(\d+)\}$/.exec(service!.environment!.VIGIE_WITNESS_QUORUM ?? '')?.[1] ?? 0) >= 1, `${name}: a quorum of at least one by default`);
  }
  const owner = urlUser(migrate);
  t.equal(owner.user, env.VIGIE_DB_OWNER, 'the migrations are applied by the owner role the init script makes');
  t.not(owner.user, superuser, 'which is not the superuser');
  t.not(owner.user, urlUser(hub).user, 'nor the hub’s role');
  t.same(migrate!.command, ['node', 'dist/server/migrate.js']);
  // While the image runs the init scripts its temporary server listens on a socket only: ready means ready over TCP.
  t.match(postgres!.healthcheck!.test.join(' '), /pg_isready -h 127\.0\.0\.1 /);
  t.ok(readdirSync(initFolder()).some((f) => f.endsWith('.sql')), 'an init script is mounted');
});

t.test('the init script’s roles run a real hub with only the grants of the migrations', async (t) => {
  const id = randomBytes(5).toString('hex');
  const database = `vigie_t_${id}`;
  const roles = { owner: `vt_${id}_owner`, app: `vt_${id}_app` };
  const admin = async (text: string, values: unknown[] = []) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      return (await c.query(text, values)).rows as Record<string, unknown>[];
    } finally {
      await c.end();
    }
  };
  const urlOf = (user: string, db: string) => {
    const url = new URL(PG_ADMIN_URL);
    url.username = user;
    url.password = 'pw';
    url.pathname = `/${db}`;
    return url.toString();
  };
  // As the postgres image: POSTGRES_DB made by the superuser, then the init scripts as the superuser in it.
  await admin(`create database ${database}`);
  t.teardown(async () => {
    await admin(`drop database if exists ${database} with (force)`);
    await admin(`drop role if exists ${roles.app}`);
    await admin(`drop role if exists ${roles.owner}`);
  });
  const adminUrl = new URL(PG_ADMIN_URL);
  const initEnv = {
    ...process.env,
    PGHOST: adminUrl.hostname,
    PGPORT: adminUrl.port || '5432',
    PGUSER: decodeURIComponent(adminUrl.username),
    PGPASSWORD: decodeURIComponent(adminUrl.password),
    PGDATABASE: database,
    VIGIE_DB_OWNER: roles.owner,
    VIGIE_DB_OWNER_PASSWORD: 'pw',
    VIGIE_DB_USER: roles.app,
    VIGIE_DB_PASSWORD: 'pw',
  };
  for (const file of readdirSync(initFolder()).filter((f) => f.endsWith('.sql')).sort()) {
    const ran = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(initFolder(), file)], initEnv);
    t.equal(ran.code, 0, `psql -f ${file}, as the superuser`, { output: ran.output });
  }
  const [app] = await admin(
    `select r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls, pg_has_role(r.oid, 'vigie_hub', 'member') as hub from pg_roles r where rolname = $1`,
    [roles.app],
  );
  t.same(app, { rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, hub: true }, 'the hub’s role: a member of vigie_hub, nothing more');
  const [own] = await admin(`select r.rolsuper, r.rolcreaterole, d.datdba = r.oid as owns from pg_roles r, pg_database d where r.rolname = $1 and d.datname = $2`, [roles.owner, database]);
  t.same(own, { rolsuper: false, rolcreaterole: false, owns: true }, 'the owner role owns the database and is no superuser');

  const appUrl = urlOf(roles.app, database);
  await t.rejects(startTestHub(t, { databaseUrl: appUrl }), /cannot read or apply the migrations/, 'before the migrations, the hub’s role refuses to start, saying who must apply them');

  const migrated = await run(process.execPath, [PATHS.migrate], { ...process.env, DATABASE_URL: urlOf(roles.owner, database) });
  t.equal(migrated.code, 0, 'the owner applies the migrations (server/migrate.ts, the compose `migrate` service)', { output: migrated.output });

  const asApp = new pg.Client({ connectionString: appUrl });
  await asApp.connect();
  t.teardown(() => asApp.end());
  const refused = async (text: string) => {
    try {
      await asApp.query(text);
      return 'allowed';
    } catch (err) {
      return (err as { code?: string }).code;
    }
  };
  for (const statement of ['update log_leaves set data = data', 'delete from log_leaves', 'truncate log_leaves', 'alter table log_leaves disable trigger all', 'create table intruder (i int)', 'drop table messages']) {
    t.equal(await refused(statement), '42501', `the hub’s role may not: ${statement}`);
  }
  const tables = (await asApp.query(`select c.relname as name, has_table_privilege(c.oid, 'SELECT, INSERT') as ok from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`)).rows as { name: string; ok: boolean }[];
  t.ok(tables.length > 10, `${tables.length} tables`);
  t.same(tables.filter((r) => !r.ok).map((r) => r.name), [], 'every table, those of later migrations included, readable and writable as vigie_hub’s grants allow');

  const running = await startTestHub(t, { databaseUrl: appUrl });
  const who = ((await running.app.db.execute(sql`select current_user as user`)) as unknown as { rows: { user: string }[] }).rows[0]?.user;
  t.equal(who, roles.app, 'the hub runs as the hub’s role');
  t.equal((await fetch(`${running.url}/readyz`)).status, 200, 'ready: it reads which migrations are applied');

  const partners = await enrolPartners(running.url, running.operatorToken);
  const sent = await partners.worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'Menace de mort ce soir.' }, ...partners.underConsent });
  const opened = await partners.officer.client.open(await partners.officer.client.fetchEnvelope(sent.id), 'police-laval/dispatch');
  await partners.officer.client.acknowledge(opened);
  const status = await partners.worker.client.status(sent.id);
  t.equal(status.recipients[0]!.state, 'acknowledged', 'a danger alert accepted, delivered and acknowledged, every write as the hub’s role');
  const receipt = await eventually(() => partners.worker.client.fetchAcceptanceProof(sent.id).catch(() => null), 20_000, 100);
  t.ok(receipt, 'the disclosure log integrated and signed it (the sequencer’s writes too)');
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => resolve({ code: -1, output: err.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
}
