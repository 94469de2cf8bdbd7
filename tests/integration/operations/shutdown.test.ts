// Graceful shutdown: a request in flight when close() starts still gets its answer.
import t from 'tap';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config/load.js';
import { createTestDatabase, eventually, REDIS_TEST_URL, tempDir, testPrefix } from '../../helpers/env.js';

t.test('close() finishes in-flight requests, then refuses new connections', async (t) => {
  const dataDir = tempDir(t);
  const config = loadConfig({}, { databaseUrl: await createTestDatabase(t, { migrated: true }), queuePrefix: testPrefix(t), dataDir, logLevel: 'silent', operatorToken: 'o'.repeat(40) });
  const app = await buildApp({ ...config, redisUrl: REDIS_TEST_URL });
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  app.get('/slow', async () => {
    entered();
    // Held until close() has started: the server no longer takes connections.
    await released;
    // Still has its database: close waits for this handler before closing the pool.
    await app.database.ping();
    return { done: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const inFlight = fetch(`${url}/slow`);
  await inside;
  const closing = app.close();
  await eventually(() => fetch(`${url}/healthz`).then(() => false, () => true), 10_000, 10);
  release();
  const res = await inFlight;
  t.equal(res.status, 200, 'the in-flight request was answered');
  t.same(await res.json(), { done: true });
  t.equal(res.headers.get('connection'), 'close', 'its connection closes after the answer (no keep-alive holding the shutdown)');
  await closing;
  await t.rejects(fetch(`${url}/healthz`), 'no new connection after close');
  await app.close();
  t.pass('close is idempotent');
});
