/**
 * `npm run bench [-- <scenario> …]`: runs the benchmark scenarios (all of
 * them by default), prints one JSON line per result, and — for a full run —
 * writes the table of results into docs/performance.md (between its
 * `bench:begin` and `bench:end` markers; the analysis around them is written
 * by hand). Figures, never assertions.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { e2eLatencyScenario, oneRateScenario, startupScenario, throughputScenario, peerComparisonScenario } from './delivery.js';
import { cliScenario } from './cli.js';
import { escalationScenario } from './escalation.js';
import { consoleScenario } from './console.js';
import { logScenario } from './log.js';
import { pausedReadersScenario } from './paused-readers.js';
import { runSockets } from './sockets.js';
import { preferNodeHttp } from '../clients/sdk/node-http.js';
import { preferNativeSodium } from '../server/lib/native-sodium.js';

// The load generator is the SDK on Node, as a partner's integration runs it: native libsodium.
preferNativeSodium();
preferNodeHttp();

const SCENARIOS: Record<string, () => Promise<void>> = {
  'e2e-latency': e2eLatencyScenario,
  throughput: throughputScenario,
  peer: peerComparisonScenario,
  escalation: escalationScenario,
  sockets: async () => {
    const r = await runSockets({ sockets: Number(process.env.VIGIE_BENCH_SOCKETS ?? 10_000) });
    process.stdout.write(`${JSON.stringify({ scenario: 'sockets', ...r })}\n`);
  },
  log: logScenario,
  'paused-readers': pausedReadersScenario,
  startup: startupScenario,
  console: consoleScenario,
  cli: cliScenario,
};
// Not part of a full run: one rate, for profiling (`npm run bench -- one-rate`).
const EXTRA: Record<string, () => Promise<void>> = { 'one-rate': oneRateScenario };

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const scenario = (name: string) => SCENARIOS[name] ?? EXTRA[name];
for (const name of wanted) {
  if (!scenario(name)) {
    process.stderr.write(`unknown scenario "${name}"; known: ${[...Object.keys(SCENARIOS), ...Object.keys(EXTRA)].join(', ')}\n`);
    process.exit(2);
  }
}

// Every JSON line a scenario prints is also kept for the report.
const results: Record<string, unknown>[] = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  for (const line of String(chunk).split('\n')) {
    if (line.startsWith('{"scenario"')) {
      try {
        results.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a result line
      }
    }
  }
  return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

// VIGIE_BENCH_REPORT_FROM=<file of JSON lines>: rewrite the report from a saved run, without running anything.
if (process.env.VIGIE_BENCH_REPORT_FROM) {
  for (const line of readFileSync(process.env.VIGIE_BENCH_REPORT_FROM, 'utf8').split('\n')) {
    if (line.startsWith('{"scenario"')) results.push(JSON.parse(line) as Record<string, unknown>);
  }
  writeReport(Number(process.env.VIGIE_BENCH_REPORT_SECONDS ?? 0));
  process.exit(0);
}
const began = Date.now();
for (const name of wanted.length ? wanted : Object.keys(SCENARIOS)) {
  try {
    await scenario(name)!();
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ scenario: name, error: (err as Error).message.slice(0, 500) })}\n`);
  }
}
const seconds = Math.round((Date.now() - began) / 1000);
if (wanted.length === 0) writeReport(seconds);
process.exit(0);

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000 }).trim().split('\n')[0]!;
  } catch {
    return 'unknown';
  }
}

function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '_no result_\n';
  const head = `| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`;
  return head + rows.map((r) => `| ${columns.map((c) => String(r[c] ?? '')).join(' | ')} |`).join('\n') + '\n';
}

function writeReport(totalSeconds: number): void {
  const file = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
  // A scenario's result rows; progress lines (`phase`) stay out of the tables.
  const of = (s: string) => results.filter((r) => r.scenario === s && r.phase === undefined);
  const keysOf = (rows: Record<string, unknown>[]) => [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'scenario');
  const cpu = cpus();
  // CPU per alert, by process, flattened for its table.
  const cpuRow = (r: Record<string, unknown>) => {
    const c = (r.cpu_ms_per_alert ?? {}) as Record<string, number>;
    const sum = ['hub', 'postgres', 'redis', 'client'].reduce((a, k) => a + (c[k] ?? 0), 0);
    return { hub: c.hub, postgres: c.postgres, redis: c.redis, client: c.client, total: Math.round(sum * 100) / 100 };
  };
  const cpuRows = of('e2e-latency').map((r) => ({ rate: r.rate, recipients: r.recipients, ...cpuRow(r) }));
  const escalationRows = of('escalation').map((r) => ({
    ...((r.notices ?? {}) as Record<string, number>),
    received: r.notices_received,
    expected: r.notices_expected,
    step_late_p50_ms: r.step_late_p50_ms,
    step_late_p99_ms: r.step_late_p99_ms,
    step_late_max_ms: r.step_late_max_ms,
    notice_arrival_late_p99_ms: r.notice_arrival_late_p99_ms,
  }));
  const escalationCpu = of('escalation').map((r) => ({ rate: r.rate, ...cpuRow(r) }));
  const from = process.env.VIGIE_BENCH_REPORT_FROM;
  const at = from ? statSync(from).mtime : new Date();
  const body = [
    `Run of ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${totalSeconds} s in all${from ? ' (the tables were written from that run’s JSON lines)' : ''}.`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}; ${version('psql', ['--version'])}; ${version('redis-server', ['--version'])}. The load generator runs on the same two cores as the hub, PostgreSQL and Redis.`,
    '',
    '### e2e-latency (SDK call → decrypted message in the recipient’s WebSocket client; floor: bare BullMQ add → process)',
    table(of('e2e-latency'), ['rate', 'recipients', 'p50_ms', 'p99_ms', 'max_ms', 'floor_p50_ms', 'floor_p99_ms', 'accepted', 'failed']),
    'CPU milliseconds per alert, by process, in the same measures (from /proc; `bench/cpu.ts`):',
    '',
    table(cpuRows, ['rate', 'recipients', 'hub', 'postgres', 'redis', 'client', 'total']),
    '### throughput (highest offered rate with every alert accepted, delivered, and p99 < 100 ms)',
    table(of('throughput-step'), ['rate', 'p50_ms', 'p99_ms', 'accepted', 'failed', 'delivered', 'held']),
    table(of('throughput'), ['alerts_per_s', 'p99_ms']),
    '### peer (the same one-to-one delivery, same payload, same rates, through Prosody with offline storage and archiving)',
    table(of('peer'), ['rate', 'vigie_p50_ms', 'vigie_p99_ms', 'peer_p50_ms', 'peer_p99_ms', 'server']),
    '### escalation (danger alerts nobody acknowledges, short deadline and a two-step chain: delivery while every chain runs; SDK call → decrypted message in the recipient’s stream)',
    table(of('escalation'), ['rate', 'seconds', 'deadline_s', 'steps_s', 'poll_ms', 'accepted', 'delivered', 'failed', 'p50_ms', 'p95_ms', 'p99_ms', 'max_ms', 'quiet_p99_ms', 'escalating_p99_ms', 'held']),
    'Escalation notices received (by kind, against what the chains should produce) and the lateness of each step: the hub’s `at` on its notice minus the step’s due time, and the notice’s arrival in the sender’s stream minus it:',
    '',
    table(escalationRows, ['unacknowledged', 'renotify', 'escalation', 'escalated', 'escalation_exhausted', 'received', 'expected', 'step_late_p50_ms', 'step_late_p99_ms', 'step_late_max_ms', 'notice_arrival_late_p99_ms']),
    'CPU milliseconds per alert over its whole life (send, delivery and every step), by process:',
    '',
    table(escalationCpu, ['rate', 'hub', 'postgres', 'redis', 'client', 'total']),
    '### sockets (authenticated WebSocket members on one hub instance)',
    table(of('sockets'), ['sockets', 'rss_mib', 'fanout_ms', 'fanout_p50_ms', 'connect_seconds']),
    '### paused-readers (hub RSS while 8 sockets that never read replay a large backlog from cursor 0)',
    table(of('paused-readers'), ['readers', 'backlog_events', 'backlog_mib', 'rss_baseline_mib', 'rss_paused_mib', 'rss_peak_mib']),
    '### log',
    table(of('log'), keysOf(of('log'))),
    '### startup (`npm start` to ready, embedded default, fresh data directory; median of five starts)',
    table(of('startup'), ['ready_ms', 'runs_ms']),
    '### console (initial download of /console/ in Chromium: the first view, then with libsodium, loaded when keys are first made or opened; bytes on the wire; budget 1 MB compressed)',
    table(of('console'), ['requests', 'first_view_kib', 'compressed_kib', 'uncompressed_kib', 'budget_kib', 'encodings', 'largest']),
    '### cli (`vigie --help` and `vigie status <id>`, each a fresh process of the compiled command against a hub; median of five; key file sealed with Argon2id moderate as `vigie keys` seals it, and with interactive beside it)',
    table(of('cli'), ['help_ms', 'status_ms', 'status_interactive_kdf_ms', 'runs_ms']),
    results.some((r) => r.error) ? `Errors: ${JSON.stringify(results.filter((r) => r.error))}\n` : '',
  ].join('\n');
  let doc: string;
  try {
    doc = readFileSync(file, 'utf8');
  } catch {
    doc = '# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
  }
  const begin = doc.indexOf('<!-- bench:begin -->');
  const end = doc.indexOf('<!-- bench:end -->');
  const next = begin >= 0 && end > begin ? `${doc.slice(0, begin)}<!-- bench:begin -->\n${body}\n${doc.slice(end)}` : `${doc}\n<!-- bench:begin -->\n${body}\n<!-- bench:end -->\n`;
  writeFileSync(file, next);
  process.stderr.write(`docs/performance.md written (${results.length} results)\n`);
}
