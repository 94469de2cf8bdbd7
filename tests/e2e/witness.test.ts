// `vigie witness` end to end: the real CLI generates a witness key and serves
// the witness as its own process; a log submits checkpoints over a real
// socket as C2SP tlog-witness says, and the process keeps its word across a
// restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../../clients/harness/hub-process.js';
import { PATHS } from '../../server/paths.js';
import { verifyCosignature } from '../../protocol/log/cosignature.js';
import { addSignatures, parseNote, parseVkey } from '../../protocol/log/note.js';
import { openKeyFile } from '../../protocol/keyfile.js';
import { loadSodium } from '../../protocol/sodium.js';
import { freePort } from '../../server/lib/net.js';
import { checkCosignature, TestLog } from '../unit/witness/fixture.js';

const BIN = PATHS.cliBin;
const PASSPHRASE = 'correct horse battery staple';
const NAME = 'witness.e2e/w1';

const crypto = await loadSodium();
const home = mkdtempSync(join(tmpdir(), 'vigie-witness-e2e-'));
t.teardown(() => rmSync(home, { recursive: true, force: true }));
const stateFile = join(home, 'state', 'witness.json');
const log = new TestLog(crypto, 'vigie.e2e/log');

const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_')));
const env = { ...baseEnv, VIGIE_HOME: home, VIGIE_PASSPHRASE: PASSPHRASE, VIGIE_KDF: 'interactive' };
const transcript: string[] = [];

type Child = ChildProcess & { out: string[]; err: string[] };

function start(args: string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }) as Child;
  child.out = [];
  child.err = [];
  child.stdout!.on('data', (d: Buffer) => (child.out.push(d.toString()), transcript.push(d.toString())));
  child.stderr!.on('data', (d: Buffer) => (child.err.push(d.toString()), transcript.push(d.toString())));
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

async function vigie(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(args);
  const code = await exited(child);
  return { code, stdout: child.out.join(''), stderr: child.err.join('') };
}

/** Starts `vigie witness serve` and waits for its `ready` line. */
async function serve(port: number): Promise<{ child: Child; ready: { vkey: string; url: string; name: string } }> {
  const child = start(['witness', 'serve', '--log', `${log.origin}=${log.vkey}`, '--port', String(port), '--state', stateFile, '--json']);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const line = child.out.join('').split('\n').find((l) => l.includes('"ready"'));
    if (line) return { child, ready: JSON.parse(line) as { vkey: string; url: string; name: string } };
    if (child.exitCode !== null) throw new Error(`witness exited (${child.exitCode}): ${child.err.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`witness not ready: ${child.err.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function addCheckpoint(url: string, body: string) {
  const res = await fetch(`${url}/add-checkpoint`, { method: 'POST', body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

const keyRun = await vigie(['witness', 'key', '--name', NAME, '--json']);
const created = JSON.parse(keyRun.stdout) as { name: string; vkey: string; file: string };

t.test('vigie witness key seals the key and prints its vkey', async (t) => {
  t.equal(keyRun.code, 0, keyRun.stderr);
  t.equal(created.name, NAME);
  t.equal(readFileSync(join(home, 'witness.vkey'), 'utf8'), `${created.vkey}\n`);
  t.equal(parseVkey(crypto, created.vkey).type, 0x04, 'a cosignature/v1 vkey');
  const again = await vigie(['witness', 'key', '--name', NAME]);
  t.equal(again.code, 1, 'an existing witness key is never replaced');
  t.match(again.stderr, /existe déjà/);
});

t.test('the witness process cosigns over a real socket, refuses what it must, and remembers', async (t) => {
  const port = await freePort();
  let { child, ready } = await serve(port);
  t.teardown(() => void child.kill('SIGKILL'));
  t.equal(ready.vkey, created.vkey, 'serve prints the same vkey');
  t.equal(ready.url, `http://127.0.0.1:${port}`);
  const vkey = parseVkey(crypto, ready.vkey);

  const cosigned = (body: string, size: number) => {
    const note = log.checkpoint(size);
    checkCosignature(crypto, body.trim(), parseNote(note).text, NAME, vkey.publicKey);
    const parsed = parseNote(addSignatures(note, [body.trim()]));
    return verifyCosignature(crypto, parsed.text, parsed.signatures[1]!, vkey).ok;
  };

  log.append(5);
  const first = await addCheckpoint(ready.url, log.request(0, 5));
  t.equal(first.status, 200, first.body);
  t.ok(cosigned(first.body, 5), 'the first checkpoint is cosigned');

  log.append(6);
  const second = await addCheckpoint(ready.url, log.request(5, 11));
  t.equal(second.status, 200, second.body);
  t.ok(cosigned(second.body, 11), 'an advance with a valid consistency proof is cosigned');

  const stale = await addCheckpoint(ready.url, log.request(5, 11));
  t.same([stale.status, stale.type, stale.body], [409, 'text/x.tlog.size', '11\n']);
  log.append(2);
  const badProof = await addCheckpoint(ready.url, log.request(11, 13, { proof: log.consistencyProof(10, 13) }));
  t.equal(badProof.status, 422);
  const unknown = await addCheckpoint(ready.url, new TestLog(crypto, 'other.e2e/log').append(1).request(0, 1));
  t.equal(unknown.status, 404);
  const forged = await addCheckpoint(ready.url, `old 11\n\n${log.checkpoint(11, { root: log.root(10) })}`);
  t.equal(forged.status, 409);

  // One witness per state file.
  const second2 = await vigie(['witness', 'serve', '--log', `${log.origin}=${log.vkey}`, '--port', String(await freePort()), '--state', stateFile]);
  t.equal(second2.code, 1);
  t.match(second2.stderr, /déjà utilisé par un autre processus/);

  child.kill('SIGTERM');
  t.equal(await exited(child), 0, 'SIGTERM stops the witness cleanly');
  t.match(child.out.join(''), /"event":"stopped"/);
  t.match(JSON.parse(readFileSync(stateFile, 'utf8')), { v: 1, logs: { [log.origin]: { size: 11 } } });

  ({ child, ready } = await serve(port));
  const afterRestart = await addCheckpoint(ready.url, log.request(0, 13));
  t.same([afterRestart.status, afterRestart.body], [409, '11\n'], 'the restarted witness remembers size 11');
  const resumed = await addCheckpoint(ready.url, log.request(11, 13));
  t.equal(resumed.status, 200);
  t.ok(cosigned(resumed.body, 13));
  child.kill('SIGTERM');
  t.equal(await exited(child), 0);
});

t.test('no secret ever reached the terminal', async (t) => {
  const secrets = openKeyFile(crypto, JSON.parse(readFileSync(created.file, 'utf8')), PASSPHRASE) as { signing: { secretKey: string } };
  const all = transcript.join('');
  t.notOk(all.includes(secrets.signing.secretKey), 'the witness secret key');
  t.notOk(all.includes(PASSPHRASE), 'the passphrase');
});
