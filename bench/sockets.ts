/**
 * WebSocket fan-out figures (issue 7, part 4): N concurrent authenticated
 * members of one inbox on ONE hub instance (its own process, so the load
 * generator's memory is not counted), the hub's resident memory with all of
 * them connected, and the time to fan one danger alert out to every socket.
 *
 * Set-up: a shelter (one device, the SDK sender) and a police agency with one
 * inbox `police-bench/dispatch` and N receiver devices certified by its root
 * key (bounded concurrency), bound by the signed shelter–police protocol.
 * Each member gets a token (RFC 7523 assertion) and a raw `ws` socket to
 * /v1/stream: no SDK client, no decryption, only the frame's `type` is read.
 *
 * `node --import tsx bench/sockets.ts 10000` prints one JSON line; the
 * breakdown (enrolment, tokens, sockets, idle RSS) goes to stderr.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startHubProcess, type HubProcess } from '../clients/harness/hub-process.js';
import { enrolAgency, enrolDevice, establishProtocol } from '../clients/harness/enrol.js';
import { newMemberKeys, publicMemberKeys } from '../clients/sdk/keys.js';
import { createClientAssertion, CLIENT_ASSERTION_TYPE } from '../protocol/client-assertion.js';
import { fromB64u } from '../protocol/encoding.js';
import { loadSodium } from '../protocol/sodium.js';
import { ROUTES } from '../protocol/api/routes.js';
import { streamSubprotocols } from '../protocol/stream.js';
import { BENCH_REDIS, benchRedisPrefix, createBenchDatabase } from './database.js';
import { percentile } from './percentile.js';

const CONCURRENCY = Number(process.env.VIGIE_BENCH_SOCKETS_CONCURRENCY ?? 32);
const INBOX = 'police-bench/dispatch';

export interface SocketsResult {
  sockets: number;
  rss_mib: number;
  fanout_ms: number;
  fanout_p50_ms: number;
  connect_seconds: number;
}

const note = (o: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ scenario: 'sockets', ...o })}\n`);
const secondsSince = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

/** Runs `task(i)` for i in [0, n) with at most `limit` in flight. */
async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

async function retrying<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let k = 1; ; k++) {
    try {
      return await attempt();
    } catch (err) {
      if (k >= tries) throw err;
      await new Promise((r) => setTimeout(r, 200 * k));
    }
  }
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round((Number(m[1]) / 1024) * 10) / 10;
}

/** The `type` of a stream frame, from its first bytes only. */
function frameType(data: Buffer | ArrayBuffer | Buffer[]): string | null {
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const m = /"type":"([a-z_]+)"/.exec(buf.subarray(0, 256).toString('latin1'));
  return m ? m[1]! : null;
}

export async function runSockets(opts: { sockets: number }): Promise<SocketsResult> {
  const n = opts.sockets;
  const crypto = await loadSodium();
  const db = await createBenchDatabase();
  const redisKeys = benchRedisPrefix('vb');
  const prefix = redisKeys.prefix;
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-bench-sockets-'));

  const sockets: WebSocket[] = [];
  let hub: HubProcess | null = null;
  try {
    hub = await startHubProcess({
      DATABASE_URL: db.url,
      REDIS_URL: BENCH_REDIS,
      VIGIE_QUEUE_PREFIX: prefix,
      VIGIE_DATA_DIR: dataDir,
      VIGIE_RATE_LIMIT_PER_MINUTE: '100000000',
      VIGIE_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    });
    const url = hub.url;
    const pid = hub.child.pid!;
    const rssIdle = rssMiB(pid);

    // Shelter (SDK sender) and police, bound by the signed shelter–police protocol.
    const shelter = await enrolAgency(url, hub.operatorToken, 'shelter-bench', 'shelter', { fr: 'Maison Banc', en: 'Bench shelter' }, {
      intake: { fr: 'Intervention', en: 'Intake' },
    });
    const police = await enrolAgency(url, hub.operatorToken, 'police-bench', 'police', { fr: 'Police Banc', en: 'Bench police' }, {
      dispatch: { fr: 'Répartition', en: 'Dispatch' },
    });
    const worker = await enrolDevice(url, shelter, 'intervenante-1', ['sender', 'receiver'], ['shelter-bench/intake']);
    await establishProtocol([shelter, police], 'shelter-police', { shelter: 'shelter-bench', police: 'police-bench' });

    // 1. Enrol N receiver devices of the police inbox; keep only what a token needs.
    const t0 = performance.now();
    const members: { id: string; secret: Uint8Array }[] = new Array(n);
    await pool(n, CONCURRENCY, async (i) => {
      const keys = newMemberKeys(crypto, 'police-bench');
      await retrying(() => police.admin.enrolMember({ ...publicMemberKeys(keys), label: `poste-${i}`, roles: ['receiver'], inboxes: [INBOX] }));
      members[i] = { id: keys.member, secret: fromB64u(keys.signing.secretKey) };
    });
    const enrolSeconds = secondsSince(t0);
    note({ phase: 'enrolled', members: n, seconds: enrolSeconds, rss_mib: rssMiB(pid) });

    // 2. One token per member (RFC 7523 assertion).
    const t1 = performance.now();
    const { audience } = (await (await fetch(`${url}/v1/auth/metadata`)).json()) as { audience: string };
    const tokens: string[] = new Array(n);
    await pool(n, CONCURRENCY, async (i) => {
      tokens[i] = await retrying(async () => {
        const res = await fetch(`${url}/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_assertion_type: CLIENT_ASSERTION_TYPE,
            client_assertion: createClientAssertion(crypto, { member: members[i]!.id, audience, signingSecretKey: members[i]!.secret }),
          }),
        });
        if (res.status !== 200) throw new Error(`token ${res.status}: ${await res.text()}`);
        return ((await res.json()) as { access_token: string }).access_token;
      });
    });
    const tokenSeconds = secondsSince(t1);
    note({ phase: 'tokens', seconds: tokenSeconds });

    // 3. N raw sockets, each live once the hub says `ready` (replay done).
    const t2 = performance.now();
    const arrivedAt = new Float64Array(n);
    let arrived = 0;
    let onAllArrived: (() => void) | null = null;
    let unexpectedCloses = 0;
    const wsUrl = `${url.replace(/^http/, 'ws')}${ROUTES.stream}`;
    const open = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(wsUrl, streamSubprotocols(tokens[i]!), { perMessageDeflate: false });
        let ready = false;
        socket.on('message', (data) => {
          const type = frameType(data as Buffer);
          if (type === 'ready' && !ready) {
            ready = true;
            sockets[i] = socket;
            resolve();
          } else if (type === 'message' && arrivedAt[i] === 0) {
            arrivedAt[i] = performance.now();
            if (++arrived === n) onAllArrived?.();
          }
        });
        socket.on('error', (err) => {
          if (!ready) reject(err);
        });
        socket.on('close', (code) => {
          if (!ready) reject(new Error(`socket ${i} closed before ready (${code})`));
          else if (code !== 1000 && code !== 1005) unexpectedCloses++;
        });
      });
    await pool(n, CONCURRENCY * 2, (i) => retrying(() => open(i), 3));
    const socketSeconds = secondsSince(t2);
    const connectSeconds = secondsSince(t0);
    tokens.length = 0;
    // Let the sockets' buffers and the hub's heap settle before reading its memory.
    await new Promise((r) => setTimeout(r, 2000));
    const rssConnected = rssMiB(pid);
    note({ phase: 'connected', sockets: n, seconds: socketSeconds, rss_idle_mib: rssIdle, rss_mib: rssConnected });

    // 4. One danger alert from the shelter; time from its 202 to the frame at every socket.
    const allArrived = new Promise<void>((resolve) => (onAllArrived = resolve));
    const sent = await worker.client.send({
      type: 'danger_alert',
      recipients: [INBOX],
      content: { text: 'Menace de mort ce soir.' },
      protocol: { id: 'shelter-police', version: 1 },
      legalBasis: {
        code: 'apprehended_danger',
        attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
        reason: 'death_threat',
        reference: 'DIR-2026-04',
      },
      dataCategories: ['identity', 'location', 'threat'],
    });
    const accepted = performance.now();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`fan-out incomplete after 120 s: ${arrived}/${n} (unexpected closes ${unexpectedCloses})`)), 120_000).unref(),
    );
    await Promise.race([allArrived, timeout]);
    const rssAfter = rssMiB(pid);
    const lat = Array.from(arrivedAt, (t) => t - accepted).sort((a, b) => a - b);
    const fanoutMs = Math.round(lat[n - 1]! * 10) / 10;
    const p50 = Math.round(percentile(lat, 0.5) * 10) / 10;
    note({
      phase: 'fanout',
      message: sent.id,
      first_ms: Math.round(lat[0]! * 10) / 10,
      p50_ms: p50,
      p99_ms: Math.round(percentile(lat, 0.99) * 10) / 10,
      max_ms: fanoutMs,
      rss_after_mib: rssAfter,
      enrol_seconds: enrolSeconds,
      token_seconds: tokenSeconds,
      socket_seconds: socketSeconds,
    });
    return { sockets: n, rss_mib: rssConnected, fanout_ms: fanoutMs, fanout_p50_ms: p50, connect_seconds: connectSeconds };
  } finally {
    for (const s of sockets) s?.terminate();
    if (hub) {
      const h = hub;
      const kill = setTimeout(() => h.child.kill('SIGKILL'), 15_000);
      await h.stop();
      clearTimeout(kill);
    }
    await db.drop();
    await redisKeys.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 10_000);
  if (!Number.isSafeInteger(n) || n < 1) {
    process.stderr.write('usage: node --import tsx bench/sockets.ts <sockets>\n');
    process.exit(2);
  }
  const result = await runSockets({ sockets: n });
  process.stdout.write(`${JSON.stringify({ scenario: 'sockets', ...result })}\n`);
  process.exit(0);
}
