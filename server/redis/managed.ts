import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { freePort } from '../lib/net.js';

/** redis-server is missing: the message says how to get it, in French and English. */
export class RedisServerMissingError extends Error {
  readonly code = 'REDIS_SERVER_MISSING';
  constructor(bin: string) {
    super(
      [
        `redis-server introuvable (« ${bin} »). Installez-le, par exemple :`,
        '  Debian/Ubuntu : sudo apt-get install -y redis-server',
        '  macOS : brew install redis',
        'ou indiquez un Redis existant avec REDIS_URL=redis://hôte:6379.',
        `redis-server was not found ("${bin}"). Install it, for example:`,
        '  Debian/Ubuntu: sudo apt-get install -y redis-server',
        '  macOS: brew install redis',
        'or point to an existing Redis with REDIS_URL=redis://host:6379.',
      ].join('\n'),
    );
  }
}

/**
 * A local redis-server that the hub starts, watches and stops: append-only
 * file on, noeviction, data under dataDir/redis. Restarted if it dies.
 */
export class ManagedRedis {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;
  readonly dir: string;
  port = 0;

  constructor(
    private readonly bin: string,
    dataDir: string,
    private readonly log: Logger,
  ) {
    this.dir = resolve(join(dataDir, 'redis'));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    const probe = spawnSync(this.bin, ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) throw new RedisServerMissingError(this.bin);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.port = await freePort();
    await this.spawnOnce();
    return this.url;
  }

  private spawnOnce(): Promise<void> {
    const args = [
      '--bind', '127.0.0.1',
      '--port', String(this.port),
      '--dir', this.dir,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--save', '',
      '--protected-mode', 'yes',
      '--daemonize', 'no',
      '--logfile', '',
    ];
    const child = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise((res, rej) => {
      let ready = false;
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        if (!ready && /Ready to accept connections/i.test(text)) {
          ready = true;
          this.log.info({ port: this.port, dir: this.dir }, 'managed redis-server ready');
          res();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('error', (err) => {
        if (!ready) rej(err);
      });
      child.on('exit', (code, signal) => {
        if (!ready) return rej(new Error(`redis-server exited during start (code ${code}, signal ${signal})`));
        if (this.stopping) return;
        this.restarts++;
        const delay = Math.min(200 * 2 ** Math.min(this.restarts, 5), 5000);
        this.log.error({ code, signal, delay }, 'managed redis-server exited; restarting');
        setTimeout(() => void this.spawnOnce().catch((err) => this.log.error({ err: err.message }, 'redis-server restart failed')), delay);
      });
    });
  }

  /** Stops redis-server (it writes its append-only file) and waits for it. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((res) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        res();
      });
      child.kill('SIGTERM');
    });
  }
}
