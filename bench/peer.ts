/**
 * Peer baseline (issue 7, part 3): one-to-one delivery latency through a
 * plain XMPP server (Prosody) on loopback, for comparison with Vigie.
 *
 * A private Prosody process is started with its own config file and data dir
 * in a temp dir, on a free c2s port on 127.0.0.1 (never the system service):
 * storage "internal" (files), mod_offline, mod_mam with default archiving on
 * and archive_expires_after, no TLS (plaintext/SCRAM over loopback), no
 * mod_limits (its default 10 kB/s c2s throttle would dominate the figures).
 * Two accounts are registered with prosodyctl. Sender alice sends `<message
 * type="chat">` stanzas to bob's bare JID at an open-loop offered rate (the
 * i-th message is due at t0 + i·1000/rate ms and is sent then, whether or not
 * earlier ones have arrived), each carrying its due time and a body of
 * `payloadBytes` bytes; bob records receive time − due time. Both clients
 * (xmpp.js, `@xmpp/client`) live in this process, so one monotonic clock
 * (performance.now) serves both ends; the figure includes client-side XML
 * serialisation/parsing and, being measured from the due time, any lag of
 * the sender itself (no coordinated omission).
 *
 * If `prosody` is not installed it is installed with apt-get (Debian package).
 *
 * CLI: `node --import tsx bench/peer.ts [rates=100,500,1000] [seconds=5] [payloadBytes=1024]`
 * prints one JSON line per rate.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { client, xml, type Element, type XmppClient } from '@xmpp/client';
import { freePort } from '../server/lib/net.js';
import { percentile } from './percentile.js';

export interface PeerResult {
  rate: number;
  peer_p50_ms: number;
  peer_p99_ms: number;
  peer_max_ms: number;
  delivered: number;
  sent: number;
}

const NS = 'urn:vigie:bench:peer';
const DOMAIN = 'localhost';
const PASSWORD = 'bench-pw';
/** How long to wait after the last due send for stragglers. */
const DRAIN_MS = Number(process.env.VIGIE_BENCH_PEER_DRAIN_MS ?? 15_000);
/** TCP_NODELAY on both ends (prosody `network_settings.nagle = false`, client setNoDelay); VIGIE_BENCH_PEER_NAGLE=1 keeps Nagle. */
const NODELAY = process.env.VIGIE_BENCH_PEER_NAGLE !== '1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 1000) / 1000;

function which(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
}

/** Installs Debian's prosody if absent (needs root, as on the project's machines). */
export function ensureProsody(): void {
  if (which('prosody') && which('prosodyctl')) return;
  process.stderr.write('peer: prosody not found, installing the Debian package\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'prosody'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (install().status !== 0) throw new Error('peer: apt-get install prosody failed');
  }
  if (!which('prosody')) throw new Error('peer: prosody still not on PATH after install');
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prosody exited early (code ${child.exitCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`prosody did not listen on ${port} within ${timeoutMs} ms`);
}

const lua = (s: string) => JSON.stringify(s); // JSON string literals are valid Lua strings for paths

export interface PrivateProsody {
  port: number;
  version: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts a private Prosody (own config, data dir, free port) with alice and bob registered. */
export async function startProsody(users: string[] = ['alice', 'bob']): Promise<PrivateProsody> {
  ensureProsody();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-peer-'));
  const data = join(dir, 'data');
  const certs = join(dir, 'certs');
  mkdirSync(data);
  mkdirSync(certs); // empty: no TLS; avoids certmanager's "cannot open certs" error
  const port = await freePort();
  const cfg = join(dir, 'prosody.cfg.lua');
  writeFileSync(
    cfg,
    `-- private benchmark instance (bench/peer.ts); not the system service
pidfile = ${lua(join(dir, 'prosody.pid'))}
data_path = ${lua(data)}
certificates = ${lua(certs)}
daemonize = false
run_as_root = true
log = { { levels = { min = "warn" }, to = "file", filename = ${lua(join(dir, 'prosody.log'))} } }
modules_enabled = { "saslauth", "roster", "disco", "ping", "offline", "mam" }
modules_disabled = { "s2s" }
c2s_ports = { ${port} }
c2s_interfaces = { "127.0.0.1" }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
s2s_ports = { }
component_ports = { }
storage = "internal"
authentication = "internal_hashed"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
network_settings = { nagle = ${NODELAY ? 'false' : 'true'} }
-- the bench pushes thousands of messages through one account: raise the
-- internal store's per-user quota (default 10000) so that mod_mam never
-- falls into its over-quota truncation path mid-run
storage_archive_item_limit = 1000000
default_archive_policy = true
archive_expires_after = "1d"
VirtualHost ${lua(DOMAIN)}
`,
  );
  const ctl = (...args: string[]) =>
    execFileSync('prosodyctl', ['--config', cfg, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const u of users) ctl('register', u, DOMAIN, PASSWORD);
  const version = /^Prosody\s+(\S+)/m.exec(ctl('about'))?.[1] ?? 'unknown';

  const child = spawn('prosody', ['--config', cfg, '-F'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  const onSignal = (sig: NodeJS.Signals) => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const stop = async () => {
    process.off('exit', killOnExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 10_000);
  } catch (e) {
    const log = existsSync(join(dir, 'prosody.log')) ? readFileSync(join(dir, 'prosody.log'), 'utf8') : '';
    await stop();
    throw new Error(`${(e as Error).message}\n${stderr}${log}`);
  }
  return { port, version, dir, stop };
}

async function connect(port: number, username: string): Promise<XmppClient> {
  const c = client({ service: `xmpp://127.0.0.1:${port}`, domain: DOMAIN, resource: 'bench', username, password: PASSWORD });
  c.on('error', (err: Error) => process.stderr.write(`peer: ${username}: ${err.message}\n`));
  await c.start();
  if (NODELAY) (c as unknown as { socket?: { setNoDelay?: (v: boolean) => void } }).socket?.setNoDelay?.(true);
  return c;
}

/** One measure per rate, and the version of the Prosody that served them. */
export async function runPeer(opts: { rates: number[]; seconds: number; payloadBytes: number; warmUp: { rate: number; seconds: number } }): Promise<{ version: string; results: PeerResult[] }> {
  const server = await startProsody();
  let alice: XmppClient | undefined;
  let bob: XmppClient | undefined;
  try {
    bob = await connect(server.port, 'bob');
    alice = await connect(server.port, 'alice');
    await bob.send(xml('presence'));
    await alice.send(xml('presence'));

    const bobJid = `bob@${DOMAIN}`;
    const body = 'x'.repeat(opts.payloadBytes);
    // Receiver: run id + sequence number + due time travel in a <bench/> child.
    let current = '';
    let lat: number[] = [];
    let seen = new Set<number>();
    let onAny: (() => void) | undefined;
    bob.on('stanza', (s: Element) => {
      const now = performance.now();
      if (!s.is('message')) return;
      const b = s.getChild('bench', NS);
      if (!b) return;
      if (b.attrs.run === current) {
        const seq = Number(b.attrs.seq);
        if (!seen.has(seq)) {
          seen.add(seq);
          lat.push(now - Number(b.attrs.t));
        }
      }
      onAny?.();
    });
    const message = (run: string, seq: number, t: number) =>
      xml('message', { to: bobJid, type: 'chat', id: `${run}-${seq}` }, xml('body', null, body), xml('bench', { xmlns: NS, run, seq, t: t.toFixed(3) }));

    /** `total` messages of `run` at `rate` a second, each sent at its due time whatever the answers (open loop). */
    const sender = alice;
    const offer = (run: string, rate: number, total: number) =>
      new Promise<void>((resolve) => {
        const interval = 1000 / rate;
        const t0 = performance.now() + 10;
        let i = 0;
        const tick = () => {
          const now = performance.now();
          while (i < total && t0 + i * interval <= now) {
            sender.send(message(run, i, t0 + i * interval)).catch(() => {});
            i++;
          }
          if (i >= total) resolve();
          else setTimeout(tick, Math.max(0, t0 + i * interval - performance.now() - 0.5));
        };
        tick();
      });

    // Warm-up, as the hub's, once bob is seen available (not counted).
    current = 'warm';
    for (let i = 0; i < 200 && seen.size < 50; i++) {
      void alice.send(message('warm', i, performance.now()));
      await sleep(i < 50 ? 20 : 5);
    }
    await offer('warm-up', opts.warmUp.rate, opts.warmUp.rate * opts.warmUp.seconds);
    await sleep(500);
    if (seen.size === 0) throw new Error('peer: bob received no warm-up message');

    const results: PeerResult[] = [];
    for (const rate of opts.rates) {
      const run = randomBytes(4).toString('hex');
      current = run;
      lat = [];
      seen = new Set();
      const total = Math.max(1, Math.round(rate * opts.seconds));
      await offer(run, rate, total);
      // Drain: wait for every message, or DRAIN_MS after the last due send.
      const deadline = performance.now() + DRAIN_MS;
      while (seen.size < total && performance.now() < deadline) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 100);
          onAny = () => {
            if (seen.size >= total) {
              clearTimeout(t);
              r();
            }
          };
        });
      }
      onAny = undefined;
      const sorted = [...lat].sort((a, b) => a - b);
      results.push({
        rate,
        peer_p50_ms: round(percentile(sorted, 0.5)),
        peer_p99_ms: round(percentile(sorted, 0.99)),
        peer_max_ms: round(sorted[sorted.length - 1] ?? NaN),
        delivered: seen.size,
        sent: total,
      });
      await sleep(500);
    }
    current = '';
    return { version: server.version, results };
  } finally {
    await Promise.allSettled([alice?.stop(), bob?.stop()]);
    await server.stop();
  }
}

// CLI: node --import tsx bench/peer.ts [rates] [seconds] [payloadBytes]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [ratesArg, secondsArg, payloadArg] = process.argv.slice(2);
  const rates = (ratesArg ?? '100,500,1000').split(',').map(Number).filter((n) => n > 0);
  const seconds = Number(secondsArg ?? 5);
  const payloadBytes = Number(payloadArg ?? 1024);
  const { version, results } = await runPeer({ rates, seconds, payloadBytes, warmUp: { rate: 100, seconds: 10 } });
  for (const r of results) {
    process.stdout.write(`${JSON.stringify({ scenario: 'peer', server: `prosody ${version}`, seconds, payload_bytes: payloadBytes, ...r })}\n`);
  }
  process.exit(0);
}
