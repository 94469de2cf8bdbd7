/**
 * The hub's resident memory while 8 readers that never read replay a large
 * backlog (issue 12, part 5): one hub process on a fresh database, a police
 * inbox with a backlog of N feed events (default 40,000, about 2.5 kB each on
 * the wire), and 8 police devices whose raw `ws` sockets connect to
 * /v1/stream from cursor 0 and pause at once. The catch-up must follow each
 * reader's pace, so the hub's RSS stays near its baseline instead of growing
 * by readers × backlog.
 *
 * Prints one line: {"scenario":"paused-readers","readers","backlog_events",
 * "backlog_mib","rss_baseline_mib","rss_paused_mib","rss_peak_mib"}. RSS is
 * read from /proc while the readers are paused, until it has not grown for
 * 3 s (at most 60 s); `rss_peak_mib` is the largest value seen.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { WebSocket } from 'ws';
import { enrolAgency, enrolDevice, establishProtocol } from '../clients/harness/enrol.js';
import { startHubProcess, type HubProcess } from '../clients/harness/hub-process.js';
import { ROUTES } from '../protocol/api/routes.js';
import { streamSubprotocols } from '../protocol/stream.js';
import { BENCH_REDIS, benchRedisPrefix, createBenchDatabase } from './database.js';

const READERS = 8;
const INBOX = 'police-bench/dispatch';

const note = (o: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ scenario: 'paused-readers', ...o })}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number) => Math.round(n * 10) / 10;

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

export async function pausedReadersScenario(): Promise<void> {
  const backlog = Number(process.env.VIGIE_BENCH_BACKLOG ?? 40_000);
  const db = await createBenchDatabase();
  const redisKeys = benchRedisPrefix('vp');
  const dataDir = mkdtempSync(join(tmpdir(), 'vigie-bench-paused-'));
  const sockets: WebSocket[] = [];
  let hub: HubProcess | null = null;
  try {
    hub = await startHubProcess({
      DATABASE_URL: db.url,
      REDIS_URL: BENCH_REDIS,
      VIGIE_QUEUE_PREFIX: redisKeys.prefix,
      VIGIE_DATA_DIR: dataDir,
      VIGIE_RATE_LIMIT_PER_MINUTE: '100000000',
      VIGIE_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    });
    const pid = hub.child.pid!;
    const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-bench', 'shelter', { fr: 'Maison Banc', en: 'Bench shelter' }, { intake: { fr: 'Intervention', en: 'Intake' } });
    const police = await enrolAgency(hub.url, hub.operatorToken, 'police-bench', 'police', { fr: 'Police Banc', en: 'Bench police' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
    await establishProtocol([shelter, police], 'shelter-police', { shelter: 'shelter-bench', police: 'police-bench' });
    const worker = (await enrolDevice(hub.url, shelter, 'intervenante-1', ['sender', 'receiver'], ['shelter-bench/intake'])).client;
    const readers = [];
    for (let i = 0; i < READERS; i++) readers.push((await enrolDevice(hub.url, police, `poste-${i}`, ['receiver'], [INBOX])).client);
    const tokens = await Promise.all(readers.map((r) => r.accessToken()));

    // One real message under the victim's consent, then its feed event repeated: the backlog every reader replays from cursor 0.
    await worker.recordConsent({
      id: randomUUID(),
      case: 'DOSSIER-BANC',
      recipients: ['police-bench'],
      purposes: ['victim_safety'],
      dataCategories: ['identity', 'threat'],
      evidenceHash: 'A'.repeat(43),
    });
    const sent = await worker.send({
      type: 'note',
      urgency: 'routine',
      recipients: [INBOX],
      content: { text: 'x'.repeat(1500) },
      protocol: { id: 'shelter-police', version: 1 },
      legalBasis: { code: 'consent', case: 'DOSSIER-BANC', purpose: 'victim_safety' },
      dataCategories: ['identity'],
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    let eventBytes = 0;
    try {
      await client.query(`insert into inbox_events (inbox_id, kind, message_id) select $1, 'message', $2 from generate_series(1, $3::int)`, [INBOX, sent.id, backlog - 1]);
      eventBytes = Number((await client.query(`select length(ciphertext) + length(header::text) + 120 as n from messages where id = $1`, [sent.id])).rows[0].n);
    } finally {
      await client.end();
    }
    const backlogMiB = (backlog * eventBytes) / 2 ** 20;
    note({ phase: 'backlog', events: backlog, event_bytes: eventBytes, backlog_mib: round(backlogMiB) });

    await sleep(2000);
    const baseline = rssMiB(pid);

    // Eight readers that never read: each socket is paused as soon as it opens.
    const wsUrl = `${hub.url.replace(/^http/, 'ws')}${ROUTES.stream}?after=0`;
    let closedEarly = 0;
    await Promise.all(
      tokens.map(
        (token) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(wsUrl, streamSubprotocols(token), { perMessageDeflate: false });
            ws.once('open', () => {
              ws.pause();
              sockets.push(ws);
              resolve();
            });
            ws.on('close', () => closedEarly++);
            ws.once('error', reject);
          }),
      ),
    );

    // Until the RSS has not grown for 3 s (at most 60 s), keeping the peak.
    let peak = rssMiB(pid);
    let last = peak;
    let stableSince = Date.now();
    const until = Date.now() + 60_000;
    while (Date.now() < until && Date.now() - stableSince < 3000) {
      await sleep(250);
      const now = rssMiB(pid);
      peak = Math.max(peak, now);
      if (now > last + 1) stableSince = Date.now();
      last = now;
    }
    const paused = rssMiB(pid);
    note({ phase: 'paused', rss_mib: round(paused), closed_early: closedEarly });
    process.stdout.write(
      `${JSON.stringify({
        scenario: 'paused-readers',
        readers: READERS,
        backlog_events: backlog,
        backlog_mib: round(backlogMiB),
        rss_baseline_mib: round(baseline),
        rss_paused_mib: round(paused),
        rss_peak_mib: round(peak),
      })}\n`,
    );
  } finally {
    for (const s of sockets) s.terminate();
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
