import { spawn, type ChildProcess } from 'node:child_process';
import { KEYFILE_MEMLIMIT_MIN, KEYFILE_OPSLIMIT_MIN } from '../../protocol/keyfile.js';
import { PATHS } from '../../server/paths.js';
import type { Teardown } from './env.js';

/**
 * The lowest Argon2id cost a key file may declare, for the key files a test
 * writes for the CLI or the console to open (writeKeyDir): every command that
 * opens one derives its key again, about 5 ms instead of 65 ms of CPU at
 * "interactive" (and 8 MiB instead of 64). No such test is about the key
 * file's hardness; tests/unit/protocol/keyfile.test.ts is.
 */
export const TEST_KEY_COST = { opslimit: KEYFILE_OPSLIMIT_MIN, memlimit: KEYFILE_MEMLIMIT_MIN } as const;

/** The compiled `vigie` (`npm test` builds first), as a workstation runs it. */
export const CLI_BIN = PATHS.cliBin;

/** The `vigie` process, with what it printed so far and its exit. */
export type CliChild = ChildProcess & { out: string[]; err: string[]; exit: Promise<number | null> };

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI against a hub, one home directory per person (`who`), with
 * no VIGIE_* variable of the test process leaking in; `input` goes to its
 * standard input (a pipe, not a terminal). Key files are sealed with the
 * "interactive" Argon2id cost (VIGIE_KDF): these tests are not about the key
 * file's hardness, and "moderate" costs every command that opens a key about
 * half a second of CPU and 256 MiB (tests/unit/cli/kdf.test.ts keeps the CLI's
 * "moderate" default proven).
 */
export function cliRunner(t: Teardown, opts: { hubUrl: string; cwd: string; passphrase: string }) {
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_')));
  function start(who: string, args: string[], input?: string): CliChild {
    const child = spawn(process.execPath, [CLI_BIN, ...args, '--hub', opts.hubUrl], {
      cwd: opts.cwd,
      env: { ...baseEnv, VIGIE_HOME: who, VIGIE_PASSPHRASE: opts.passphrase, VIGIE_KDF: 'interactive' },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    }) as CliChild;
    child.out = [];
    child.err = [];
    child.stdout!.on('data', (d: Buffer) => child.out.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => child.err.push(d.toString()));
    child.exit = new Promise((resolve) => child.on('close', resolve));
    if (input !== undefined) child.stdin!.end(input);
    t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')));
    return child;
  }
  async function run(who: string, args: string[], input?: string): Promise<CliRun> {
    const child = start(who, args, input);
    const code = await child.exit;
    return { code, stdout: child.out.join(''), stderr: child.err.join('') };
  }
  return { start, run };
}
