/**
 * End-to-end delivery figures, under an offered load (open loop: one alert
 * every 1000/rate ms, whatever the answers), with the floor beneath the hub
 * measured in the same run on the same Redis:
 * - e2e-latency: the sender's SDK call → the decrypted message in the
 *   recipient's WebSocket client (signature, checks, PostgreSQL commit with the
 *   log leaf, BullMQ, pub/sub, WebSocket, open), at 100, 500 and 1,000 alerts/s,
 *   with 1 and with 5 recipient inboxes; the floor is a bare BullMQ add → process;
 * - throughput: the highest offered rate the hub sustains with p99 under 100 ms;
 * - startup: `npm start` to ready on the embedded default (PGlite + managed redis-server).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { enrolAgency, enrolDevice, establishProtocol } from '../clients/harness/enrol.js';
import { ROOT, startHubProcess, type HubProcess } from '../clients/harness/hub-process.js';
import type { OpenedMessage, VigieClient } from '../clients/sdk/client.js';
import { freePort } from '../server/lib/net.js';
import { BENCH_REDIS, benchRedisPrefix, createBenchDatabase } from './database.js';
import { cpuPerAlert, cpuSnapshot } from './cpu.js';
import { percentile } from './percentile.js';

const SECONDS = Number(process.env.VIGIE_BENCH_SECONDS ?? 5);
export const PAYLOAD = 'x'.repeat(Number(process.env.VIGIE_BENCH_PAYLOAD ?? 512));

export const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const round = (ms: number) => Math.round(ms * 100) / 100;

export interface Percentiles {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  count: number;
}

export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  return { p50_ms: round(percentile(s, 0.5)), p99_ms: round(percentile(s, 0.99)), max_ms: round(s.at(-1) ?? NaN), count: s.length };
}

/** Runs `fire(n)` open loop at `rate` per second for `seconds`, without waiting for the previous ones. */
export async function openLoop(rate: number, seconds: number, fire: (n: number) => void): Promise<void> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    fire(n);
  }
}

interface Bench {
  hub: HubProcess;
  worker: VigieClient;
  officer: VigieClient;
  /** Where the one police stream hands each decrypted message (a new stream would replay the past ones). */
  onMessage: (m: OpenedMessage) => void;
  database: string;
  close(): Promise<void>;
}

const DESKS = ['dispatch', 'd2', 'd3', 'd4', 'd5'];

export interface BenchHub {
  hub: HubProcess;
  database: string;
  /** Stops the hub, drops its database and deletes its Redis keys. */
  close(): Promise<void>;
}

/** A hub process (compiled, as `npm start` runs it) on a fresh PostgreSQL database and its own prefix on the shared Redis. */
export async function startBenchHub(env: Record<string, string> = {}): Promise<BenchHub> {
  const db = await createBenchDatabase();
  const redisKeys = benchRedisPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-bench-'));
  // VIGIE_BENCH_HUB_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the hub (written when it stops).
  const hub = await startHubProcess({
    DATABASE_URL: db.url,
    REDIS_URL: BENCH_REDIS,
    VIGIE_DATA_DIR: dataDir,
    VIGIE_QUEUE_PREFIX: redisKeys.prefix,
    VIGIE_RATE_LIMIT_PER_MINUTE: '10000000',
    LOG_LEVEL: 'error',
    ...env,
  }, 60_000, (process.env.VIGIE_BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean));
  return {
    hub,
    database: db.name,
    async close() {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
      await redisKeys.drop();
    },
  };
}

/** A hub process on a fresh PostgreSQL database and the shared Redis, a shelter and a police service with five desks. */
async function setUp(): Promise<Bench> {
  const { hub, database, close } = await startBenchHub();
  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-bench', 'shelter', { fr: 'Maison', en: 'Shelter' }, { intake: { fr: 'Accueil', en: 'Intake' } });
  const police = await enrolAgency(
    hub.url,
    hub.operatorToken,
    'police-bench',
    'police',
    { fr: 'Police', en: 'Police' },
    Object.fromEntries(DESKS.map((d) => [d, { fr: d, en: d }])),
  );
  await establishProtocol([shelter, police], 'shelter-police', { shelter: 'shelter-bench', police: 'police-bench' });
  const worker = (await enrolDevice(hub.url, shelter, 'poste-maison', ['sender', 'receiver'], ['shelter-bench/intake'])).client;
  const officer = (await enrolDevice(hub.url, police, 'poste-police', ['sender', 'receiver'], DESKS.map((d) => `police-bench/${d}`))).client;
  // Keys and tokens first: the measured path is the send, not the first directory look-up.
  await worker.accessToken();
  for (const d of DESKS) await worker.directory.inboxKey(`police-bench/${d}`);
  await officer.directory.member(worker.memberId);
  const stream = officer.stream({ autoDelivered: false });
  const bench: Bench = {
    hub,
    worker,
    officer,
    onMessage: () => {},
    database,
    async close() {
      await stream.close();
      await close();
    },
  };
  stream.on('message', (m: OpenedMessage) => bench.onMessage(m));
  await stream.open();
  return bench;
}

const BASIS = {
  protocol: { id: 'shelter-police', version: 1 },
  legalBasis: {
    code: 'apprehended_danger' as const,
    attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
    reason: 'death_threat',
    reference: 'DIR-BENCH',
  },
  dataCategories: ['identity', 'location', 'threat'],
};

/**
 * The hub as it runs for days, not as it starts: 1,000 alerts at 100/s
 * before any measure (JIT tiers, pools, prepared statements, the first
 * autovacuum of the new tables). The peer gets the same warm-up.
 */
export const WARM_UP = { rate: 100, seconds: 10 };

async function warmUp(b: Bench): Promise<void> {
  await measureHub(b, WARM_UP.rate, 1, WARM_UP.seconds);
}

/** Alerts at `rate` to `recipients` inboxes: latency from the send call to the last inbox's decrypted message. */
async function measureHub(b: Bench, rate: number, recipients: number, seconds = SECONDS): Promise<Percentiles & { accepted: number; failed: number; failures?: Record<string, number>; cpu_ms_per_alert: ReturnType<typeof cpuPerAlert> }> {
  const to = DESKS.slice(0, recipients).map((d) => `police-bench/${d}`);
  const started = new Map<string, number>();
  const arrived = new Map<string, number>();
  const latencies: number[] = [];
  b.onMessage = (m: OpenedMessage) => {
    const t0 = started.get(m.id);
    if (t0 === undefined) return;
    const n = (arrived.get(m.id) ?? 0) + 1;
    arrived.set(m.id, n);
    if (n === recipients) latencies.push(performance.now() - t0);
  };
  let accepted = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  const pending: Promise<unknown>[] = [];
  const cpuBefore = cpuSnapshot(b.hub.child.pid!);
  await openLoop(rate, seconds, () => {
    const id = randomUUID();
    started.set(id, performance.now());
    pending.push(
      b.worker.send({ id, type: 'danger_alert', recipients: to, content: { text: PAYLOAD }, ...BASIS }).then(
        () => accepted++,
        (err: { code?: string; status?: number }) => {
          failed++;
          const why = `${err.status ?? ''} ${err.code ?? 'network'}`.trim();
          failures[why] = (failures[why] ?? 0) + 1;
        },
      ),
    );
  });
  await Promise.all(pending);
  const deadline = Date.now() + 30_000;
  while (latencies.length < accepted && Date.now() < deadline) await sleep(50);
  return { ...percentiles(latencies), accepted, failed, ...(failed > 0 ? { failures } : {}), cpu_ms_per_alert: cpuPerAlert(cpuBefore, cpuSnapshot(b.hub.child.pid!), accepted) };
}

/** The floor: a bare BullMQ add → process on the same Redis, at the same rate. */
async function measureFloor(rate: number, seconds = SECONDS): Promise<Percentiles> {
  const prefix = `floor${randomBytes(3).toString('hex')}`;
  const connection = { url: BENCH_REDIS, maxRetriesPerRequest: null } as never;
  const queue = new Queue('floor', { connection, prefix });
  const latencies: number[] = [];
  const worker = new Worker(
    'floor',
    async (job) => {
      latencies.push(performance.now() - (job.data as { t: number }).t);
    },
    { connection, prefix, concurrency: 16 },
  );
  await worker.waitUntilReady();
  const pending: Promise<unknown>[] = [];
  await openLoop(rate, seconds, () => void pending.push(queue.add('f', { t: performance.now(), p: PAYLOAD }, { removeOnComplete: true })));
  await Promise.all(pending);
  const deadline = Date.now() + 30_000;
  while (latencies.length < pending.length && Date.now() < deadline) await sleep(20);
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  return percentiles(latencies);
}

export async function e2eLatencyScenario(): Promise<void> {
  const b = await setUp();
  try {
    await warmUp(b);
    for (const recipients of [1, 5]) {
      for (const rate of [100, 500, 1000]) {
        const hub = await measureHub(b, rate, recipients);
        const floor = await measureFloor(rate);
        print({
          scenario: 'e2e-latency',
          rate,
          recipients,
          p50_ms: hub.p50_ms,
          p99_ms: hub.p99_ms,
          max_ms: hub.max_ms,
          floor_p50_ms: floor.p50_ms,
          floor_p99_ms: floor.p99_ms,
          accepted: hub.accepted,
          failed: hub.failed,
          delivered: hub.count,
          ...(hub.failures ? { failures: hub.failures } : {}),
          cpu_ms_per_alert: hub.cpu_ms_per_alert,
        });
      }
    }
  } finally {
    await b.close();
  }
}

/** One measure at one rate (for profiling): `VIGIE_BENCH_RATE`, one recipient. */
export async function oneRateScenario(): Promise<void> {
  const b = await setUp();
  try {
    const rate = Number(process.env.VIGIE_BENCH_RATE ?? 250);
    await warmUp(b);
    const r = await measureHub(b, rate, 1);
    print({ scenario: 'one-rate', rate, ...r });
  } finally {
    await b.close();
  }
}

/** Steps the offered rate up until p99 passes 100 ms or alerts fail; reports the last rate that held. */
export async function throughputScenario(): Promise<void> {
  const b = await setUp();
  try {
    await warmUp(b);
    let best: { rate: number; p99: number } | null = null;
    for (const rate of [50, 75, 100, 150, 200, 250, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000]) {
      const r = await measureHub(b, rate, 1, 4);
      const held = r.failed === 0 && r.count === r.accepted && r.p99_ms < 100;
      print({ scenario: 'throughput-step', rate, p50_ms: r.p50_ms, p99_ms: r.p99_ms, accepted: r.accepted, failed: r.failed, delivered: r.count, held });
      if (!held) break;
      best = { rate, p99: r.p99_ms };
    }
    print({ scenario: 'throughput', alerts_per_s: best?.rate ?? 0, p99_ms: best?.p99 ?? null });
  } finally {
    await b.close();
  }
}

/** `npm start` on the embedded default, in a fresh data directory: from spawn to the "ready" log line. */
async function startOnce(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-startup-'));
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, VIGIE_DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready in 120 s: ${out.slice(-1000)}`)), 120_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/Vigie prêt/.test(out)) {
          clearTimeout(timer);
          resolve(performance.now() - t0);
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    });
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Five fresh starts, one after another (this machine is noisy): the median, and each run.
 * First what `npm ci` does after installing (postinstall: compile, PGlite template), so
 * that an edited source does not send `npm start` to the slower uncompiled path.
 */
export async function startupScenario(): Promise<void> {
  // What `npm ci` does once: the build and the embedded database's template.
  execFileSync('npm', ['run', '--silent', 'prepare'], { cwd: ROOT, stdio: 'ignore' });
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(Math.round(await startOnce()));
  const sorted = [...runs].sort((a, b) => a - b);
  print({ scenario: 'startup', ready_ms: sorted[2], runs_ms: runs.join(' ') });
}

/**
 * The peer: the same one-to-one delivery of the same payload at the same
 * rates through Prosody (XMPP, offline storage and archiving on), measured in
 * the same run as the hub, because only ratios from one run compare.
 */
export async function peerComparisonScenario(): Promise<void> {
  const { runPeer } = await import('./peer.js');
  const rates = [100, 500, 1000];
  const b = await setUp();
  const vigie = new Map<number, Percentiles>();
  try {
    await warmUp(b);
    for (const rate of rates) vigie.set(rate, await measureHub(b, rate, 1));
  } finally {
    await b.close();
  }
  const peer = await runPeer({ rates, seconds: SECONDS, payloadBytes: PAYLOAD.length, warmUp: WARM_UP });
  const server = `prosody ${peer.version}`;
  for (const p of peer.results) {
    const v = vigie.get(p.rate)!;
    print({ scenario: 'peer', rate: p.rate, vigie_p50_ms: v.p50_ms, vigie_p99_ms: v.p99_ms, peer_p50_ms: p.peer_p50_ms, peer_p99_ms: p.peer_p99_ms, server });
  }
}
