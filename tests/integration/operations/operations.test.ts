// Health, readiness, OpenAPI, security headers; the managed redis-server; graceful shutdown of the process.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import pino from 'pino';
import { Redis } from 'ioredis';
import { startHubProcess } from '../../../clients/harness/hub-process.js';
import { ManagedRedis, RedisServerMissingError } from '../../../server/redis/managed.js';
import { startTestHub, tempDir } from '../../helpers/env.js';
import { startRedisServer } from '../../helpers/redis-server.js';
import { PATHS } from '../../../server/paths.js';

t.test('health, readiness, OpenAPI and headers', async (t) => {
  const redis = await startRedisServer(t);
  const hub = await startTestHub(t, { redisUrl: redis.url });
  const health = await fetch(`${hub.url}/healthz`);
  t.equal(health.status, 200);
  const ready = await fetch(`${hub.url}/readyz`);
  t.same(await ready.json(), { status: 'ready', postgres: 'ok', redis: 'ok', migrations: 'ok', log: 'ok', witnesses: 'ok' });
  t.equal(ready.headers.get('x-content-type-options'), 'nosniff', 'security headers are set');
  t.ok(ready.headers.get('strict-transport-security'), 'HSTS is set');
  const spec = (await (await fetch(`${hub.url}/docs/json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  t.match(spec.openapi, /^3\./, 'OpenAPI 3 document');
  for (const path of ['/v1/messages', '/v1/messages/{id}/status', '/v1/messages/{id}/receipts', '/v1/auth/token', '/v1/agencies/{agency}/members', '/readyz']) {
    t.ok(spec.paths[path], `documents ${path}`);
  }
  await redis.stop();
  const down = await fetch(`${hub.url}/readyz`);
  t.equal(down.status, 503, 'not ready without Redis');
  t.match(await down.json(), { redis: 'down', postgres: 'ok' });
});

t.test('managed redis-server: append-only, noeviction, stopped on shutdown', async (t) => {
  const dir = tempDir(t);
  const log = pino({ level: 'silent' });
  const missing = new ManagedRedis('/nonexistent/redis-server', dir, log);
  const err = await missing.start().catch((e: unknown) => e);
  t.ok(err instanceof RedisServerMissingError, 'a missing binary is reported as such');
  t.match((err as Error).message, /apt-get install -y redis-server/);
  t.match((err as Error).message, /REDIS_URL/);
  t.match((err as Error).message, /introuvable/, 'in French');
  t.match((err as Error).message, /was not found/, 'and English');

  const managed = new ManagedRedis('redis-server', dir, log);
  const url = await managed.start();
  t.teardown(() => managed.stop());
  const r = new Redis(url);
  t.same(await r.config('GET', 'appendonly'), ['appendonly', 'yes']);
  t.same(await r.config('GET', 'maxmemory-policy'), ['maxmemory-policy', 'noeviction']);
  t.equal(await r.config('GET', 'dir').then((v) => (v as string[])[1]), join(dir, 'redis'), 'data under the data directory');
  r.disconnect();
  await managed.stop();
  await managed.stop();
  t.pass('stop is idempotent');
  const gone = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  gone.on('error', () => {});
  t.rejects(gone.connect(), 'the redis-server is gone');
  t.ok(existsSync(join(dir, 'redis')), 'its data stays');
});

t.test('the process: embedded default, graceful SIGTERM', async (t) => {
  const dataDir = tempDir(t);
  const hub = await startHubProcess({ VIGIE_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  t.teardown(() => hub.stop('SIGKILL'));
  const ready = (await (await fetch(`${hub.url}/readyz`)).json()) as { status: string };
  t.equal(ready.status, 'ready', 'PGlite + managed redis-server ready');
  t.ok(existsSync(join(dataDir, 'pglite')), 'PGlite data under the data directory');
  const redisPort = /"port":(\d+)[^}]*managed redis-server ready/.exec(hub.output.join(''))?.[1];
  t.ok(redisPort, 'the managed redis-server announced its port');
  const code = await hub.stop('SIGTERM');
  t.equal(code, 0, 'SIGTERM exits 0');
  const gone = new Redis(Number(redisPort), '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  gone.on('error', () => {});
  await t.rejects(gone.connect(), 'the managed redis-server was stopped with the hub');

  // redis-server missing: a clear message and a non-zero exit.
  const child = spawn(process.execPath, [PATHS.hubMain], {
    env: { ...process.env, VIGIE_DATA_DIR: tempDir(t), VIGIE_REDIS_SERVER_BIN: '/nonexistent/redis-server', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = await new Promise<number | null>((res) => child.on('exit', res));
  t.not(exit, 0, 'exits non-zero');
  t.match(stderr, /apt-get install -y redis-server/, 'says how to install redis-server');

  const bad = spawn(process.execPath, [PATHS.hubMain], { env: { ...process.env, PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let badErr = '';
  bad.stderr.on('data', (d: Buffer) => (badErr += d.toString()));
  t.not(await new Promise<number | null>((res) => bad.on('exit', res)), 0, 'a bad setting stops the start');
  t.match(badErr, /PORT/, 'and names it');

  // An instrument file that does not validate stops the start, naming the file and the field.
  const instruments = tempDir(t, 'vigie-instruments');
  const lap = JSON.parse(readFileSync('config/instruments/lap-lethality-screen.json', 'utf8')) as { rules: { level?: string }[] };
  lap.rules[1]!.level = 'danger_extreme';
  writeFileSync(join(instruments, 'lap.json'), JSON.stringify(lap));
  const badInstrument = spawn(process.execPath, [PATHS.hubMain], {
    env: { ...process.env, VIGIE_DATA_DIR: tempDir(t), VIGIE_INSTRUMENTS_DIR: instruments, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let instrumentErr = '';
  badInstrument.stderr.on('data', (d: Buffer) => (instrumentErr += d.toString()));
  t.equal(await new Promise<number | null>((res) => badInstrument.on('exit', res)), 78, 'an invalid instrument file stops the start');
  t.match(instrumentErr, 'lap.json /rules/1/level: unknown level danger_extreme', 'and names the file and the field');
});
