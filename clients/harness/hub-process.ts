import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../server/lib/net.js';
import { PATHS } from '../../server/paths.js';

export const ROOT = PATHS.root;

export interface HubProcess {
  url: string;
  operatorToken: string;
  child: ChildProcess;
  output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the compiled hub (dist/server/main.js, as `npm start` does) as its own process and waits until /readyz answers 200. */
export async function startHubProcess(env: Record<string, string>, timeoutMs = 60_000, nodeArgs: string[] = []): Promise<HubProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const operatorToken = env.VIGIE_OPERATOR_TOKEN ?? randomBytes(32).toString('base64url');
  const child = spawn(process.execPath, [...nodeArgs, PATHS.hubMain], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), VIGIE_OPERATOR_TOKEN: operatorToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited (${child.exitCode}): ${output.join('').slice(-2000)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub not ready after ${timeoutMs} ms: ${output.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    operatorToken,
    child,
    output,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
        child.once('exit', (code) => res(code));
        child.kill(signal);
      }),
  };
}
