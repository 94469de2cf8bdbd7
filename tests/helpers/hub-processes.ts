// Hub instances as real processes (the compiled hub, as `npm start` runs it) that a
// test can SIGKILL and start again on the same port, sharing one database,
// one Redis, one queue prefix and one data directory (hub signing key, log
// key, operator token).
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startHubProcess, type HubProcess } from '../../clients/harness/hub-process.js';
import { freePort } from '../../server/lib/net.js';

export interface HubInstance {
  name: string;
  url: string;
  port: number;
  /** The current process (null before the first start). */
  readonly child: ChildProcess | null;
  /** Every line every process of this instance wrote. */
  output: string[];
  /** Exits the test did not cause (a crash): code or signal. */
  unexpectedExits: string[];
  /** Starts a process on this instance's port and waits until /readyz answers 200. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown at all. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after a grace period. */
  stop(): Promise<void>;
  running(): boolean;
}

export interface HubSharedEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  VIGIE_DATA_DIR: string;
  VIGIE_QUEUE_PREFIX: string;
  VIGIE_OPERATOR_TOKEN?: string;
  [name: string]: string | undefined;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

/** Prepares `names.length` instances on free ports with the same settings and starts them. */
export async function startHubInstances(
  t: Teardown,
  shared: HubSharedEnv,
  names: string[],
): Promise<{ instances: HubInstance[]; operatorToken: string }> {
  const operatorToken = shared.VIGIE_OPERATOR_TOKEN ?? randomBytes(32).toString('base64url');
  const env = Object.fromEntries(Object.entries({ ...shared, VIGIE_OPERATOR_TOKEN: operatorToken }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const instances: HubInstance[] = [];
  for (const name of names) {
    const port = await freePort();
    const output: string[] = [];
    const unexpectedExits: string[] = [];
    const state: { proc: HubProcess | null; expected: boolean } = { proc: null, expected: false };
    const end = async (signal: NodeJS.Signals) => {
      const p = state.proc;
      if (!p || exited(p.child)) return;
      state.expected = true;
      if (signal === 'SIGKILL') {
        await p.stop('SIGKILL');
        return;
      }
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
      await p.stop(signal);
      clearTimeout(timer);
    };
    const instance: HubInstance = {
      name,
      url: `http://127.0.0.1:${port}`,
      port,
      get child() {
        return state.proc?.child ?? null;
      },
      output,
      unexpectedExits,
      async start() {
        if (state.proc && !exited(state.proc.child)) throw new Error(`hub ${name} is already running`);
        state.expected = false;
        const p = await startHubProcess({ ...env, PORT: String(port) });
        state.proc = p;
        // What it wrote until ready, then everything after (no event can run before these listeners).
        output.push(...p.output);
        const keep = (d: Buffer) => void output.push(d.toString());
        p.child.stdout!.on('data', keep);
        p.child.stderr!.on('data', keep);
        p.child.once('exit', (code, signal) => {
          if (!state.expected) unexpectedExits.push(`${name} exited (${signal ?? code})`);
        });
      },
      kill: () => end('SIGKILL'),
      stop: () => end('SIGTERM'),
      running: () => state.proc !== null && !exited(state.proc.child),
    };
    t.teardown(() => instance.stop());
    instances.push(instance);
  }
  await Promise.all(instances.map((i) => i.start()));
  return { instances, operatorToken };
}
