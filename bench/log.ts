/**
 * Disclosure-log figures: leaves/s appended through the sequencer with
 * durable commits; time for a client to verify a 1,000,000-leaf log from
 * scratch (download every entry tile, re-hash, compare with the signed root);
 * inclusion-proof latency at 1,000,000 leaves. The verifier and the proofs'
 * client talk to a hub process of its own, as an auditor's machine talks to
 * the hub (the appends are timed in this process, the sequencer's own pass).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { auditLog } from '../clients/sdk/audit.js';
import { startHubProcess, type HubProcess } from '../clients/harness/hub-process.js';
import { HubHttp } from '../clients/sdk/http.js';
import { parseCheckpoint } from '../protocol/log/checkpoint.js';
import { parseNote } from '../protocol/log/note.js';
import { ROUTES } from '../protocol/api/routes.js';
import { utf8 } from '../protocol/encoding.js';
import { appendNodes, frontier, leafHash } from '../protocol/log/merkle.js';
import { loadSodium } from '../protocol/sodium.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config/load.js';
import { BENCH_REDIS, benchRedisPrefix, createBenchDatabase } from './database.js';

const LEAVES = Number(process.env.VIGIE_BENCH_LOG_LEAVES ?? 1_000_000);
const APPEND = Number(process.env.VIGIE_BENCH_LOG_APPEND ?? 20_000);

const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ scenario: 'log', ...o })}\n`);

function leafRecord(i: number): string {
  // The size of a real message.accepted leaf (~600 bytes), without content.
  return JSON.stringify({ v: 1, type: 'message.accepted', at: new Date(1_790_000_000_000 + i).toISOString(), message: `bench-${i}`, pad: 'x'.repeat(520) });
}

export async function logScenario(): Promise<void> {
  const crypto = await loadSodium();
  const database = await createBenchDatabase();
  const redisKeys = benchRedisPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-bench-'));
  const config = {
    ...loadConfig({}, { databaseUrl: database.url, dataDir, queuePrefix: redisKeys.prefix, logLevel: 'warn', operatorToken: 'b'.repeat(40), disclosureLogIntervalMs: 60_000, disclosureLogBatchSize: 1024 }),
    redisUrl: BENCH_REDIS,
  };
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  let appOpen = true;
  let hub: HubProcess | null = null;
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    // 1. Appends through the sequencer: queue APPEND leaves, then time integration (durable commits).
    for (let i = 0; i < APPEND; i += 1000) {
      const values = Array.from({ length: Math.min(1000, APPEND - i) }, (_, k) => leafRecord(i + k));
      await db.query(`insert into log_queue (kind, subject, data, record) select 'message.accepted', null, v, v from unnest($1::text[]) as v`, [values]);
    }
    let t0 = performance.now();
    await app.disclosureLog.flush();
    const appendMs = performance.now() - t0;
    print({ metric: 'append', leaves: APPEND, batch: config.disclosureLogBatchSize, leaves_per_s: Math.round((APPEND / appendMs) * 1000) });
    // The tree is then grown behind the hub's back: no hub may run a sequencer pass meanwhile.
    await app.close();
    appOpen = false;

    // 2. Grow the log to LEAVES quickly (bulk path, same nodes as the sequencer), then sign.
    let size = APPEND;
    let frontierNodes = new Map<string, Uint8Array>();
    const rows = await db.query<{ level: number; index: string; hash: Buffer }>('select level, index, hash from log_nodes');
    for (const r of rows.rows) frontierNodes.set(`${r.level}:${r.index}`, new Uint8Array(r.hash));
    const get = (l: number, i: number) => frontierNodes.get(`${l}:${i}`)!;
    while (size < LEAVES) {
      const n = Math.min(20_000, LEAVES - size);
      const datas = Array.from({ length: n }, (_, k) => leafRecord(size + k));
      const created = appendNodes(crypto, size, datas.map((d) => leafHash(crypto, utf8(d))), get);
      for (const c of created) frontierNodes.set(`${c.level}:${c.index}`, c.hash);
      await db.query('insert into log_leaves (index, kind, data) select * from unnest($1::bigint[], $2::text[], $3::text[])', [
        datas.map((_, k) => size + k),
        datas.map(() => 'message.accepted'),
        datas,
      ]);
      await db.query('insert into log_nodes (level, index, hash) select * from unnest($1::int[], $2::bigint[], $3::bytea[])', [
        created.map((c) => c.level),
        created.map((c) => c.index),
        created.map((c) => Buffer.from(c.hash)),
      ]);
      size += n;
      // Later appends read only the right edge of the tree.
      const edge = new Map<string, Uint8Array>();
      for (const id of frontier(size)) edge.set(`${id.level}:${id.index}`, get(id.level, id.index));
      frontierNodes = edge;
    }
    // A log grown to this size over months has been vacuumed, analysed and written out as it grew; this one,
    // grown in seconds, would be by autovacuum and the checkpointer in the middle of the figures below.
    await db.query('vacuum analyze log_leaves, log_nodes');
    await db.query('checkpoint');
    await db.query(`insert into log_queue (kind, subject, data, record) values ('message.accepted', null, $1, $1)`, [leafRecord(size)]);
    // The hub, a process of its own on the same data directory (the same log key), signs the last leaf in at start.
    const settings = join(dataDir, 'bench-log.json');
    writeFileSync(settings, JSON.stringify({ disclosureLogIntervalMs: 60_000, disclosureLogBatchSize: 1024 }));
    const startHub = () =>
      startHubProcess({ DATABASE_URL: database.url, REDIS_URL: BENCH_REDIS, VIGIE_DATA_DIR: dataDir, VIGIE_QUEUE_PREFIX: redisKeys.prefix, VIGIE_CONFIG: settings, LOG_LEVEL: 'error' }, 60_000, (process.env.VIGIE_BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean));
    hub = await startHub();
    size += 1;
    for (const deadline = Date.now() + 60_000; parseCheckpoint(parseNote(await new HubHttp(hub.url).requestText('GET', ROUTES.logCheckpoint)).text).size < size; ) {
      if (Date.now() > deadline) throw new Error('the hub did not sign the last leaf in within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Started again, as a hub restarts on a log of this size: it reads the signed tree before it is ready,
    // rather than while it is measured (it could not before: the tree was grown behind its back).
    await hub.stop();
    hub = await startHub();
    const base = hub.url;
    const http = new HubHttp(base);
    const logKey = (await http.requestText('GET', ROUTES.logKey)).trim();

    // 3. Full verification from scratch, as `vigie audit verify --full` does it.
    t0 = performance.now();
    const report = await auditLog({ url: base, logKey, full: true }, crypto);
    const verifyMs = performance.now() - t0;
    print({ metric: 'full_verification', leaves: report.entriesChecked, ok: report.ok, seconds: +(verifyMs / 1000).toFixed(2) });

    // 4. Inclusion proofs at this size, served over HTTP to a client process of its own (bench/log-proofs.ts).
    const proofs = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL('./log-proofs.ts', import.meta.url)), base, String(size)], { encoding: 'utf8' });
    if (proofs.status !== 0) throw new Error(`bench/log-proofs.ts failed: ${proofs.stderr.slice(-2000)}`);
    process.stdout.write(proofs.stdout);
  } finally {
    await db.end();
    if (appOpen) await app.close();
    await hub?.stop();
    await database.drop();
    await redisKeys.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
