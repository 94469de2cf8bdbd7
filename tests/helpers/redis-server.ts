import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../server/lib/net.js';
import { tempDir } from './env.js';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Starts again on the same port (same data directory unless wiped). */
  restart(): Promise<void>;
}

/** A disposable redis-server of the test's own, on a free port. */
export async function startRedisServer(t: { teardown(fn: () => unknown): void }, opts: { appendonly?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = tempDir(t, 'vigie-redis');
  const launch = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', opts.appendonly ? 'yes' : 'no', '--maxmemory-policy', 'noeviction'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => {
        if (/Ready to accept connections/.test(d.toString())) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
    });
  const state = { child: await launch() };
  const stop = () =>
    new Promise<void>((res) => {
      const c = state.child;
      if (c.exitCode !== null || c.signalCode !== null) return res();
      c.once('exit', () => res());
      c.kill('SIGKILL');
    });
  t.teardown(stop);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get child() {
      return state.child;
    },
    stop,
    async restart() {
      await stop();
      state.child = await launch();
    },
  };
}
