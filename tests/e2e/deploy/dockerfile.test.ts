// The Dockerfile, stage by stage, on a machine without a Docker engine: each
// stage gets a directory of its own standing for its filesystem, receives
// exactly the files its COPY lines name (from the build context as
// .dockerignore filters it, or from the earlier stage), and runs its RUN
// commands there with npm and the node of this machine (node 20, as the
// image). What each stage makes must be what the next one copies; the last
// stage's CMD must start the hub and its HEALTHCHECK must pass; and every
// docker-compose.yml service built from this Dockerfile must run a file the
// image holds. The build stage once could not build: `npm run build` copies
// config/ and migrations/, which the stage never copied in.
//
// Two departures from `docker build`, for speed and for this machine's sake:
// `npm ci` runs with --prefer-offline (from the npm cache that `npm ci` of the
// checkout filled: some 15–20 s for both stages here, about a minute for the
// whole file), and `npm cache clean --force` is skipped (it only makes the
// image smaller, and would empty this machine's cache). Commands on absolute
// paths outside the stage's WORKDIR (the runtime's data directory, owned by
// the image's `node` user) are skipped too: nothing the next stage or the CMD
// reads comes from them. Each skip is printed as a comment.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import { formatWitnessVkey } from '../../../protocol/log/cosignature.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { freePort } from '../../../server/lib/net.js';
import { copyInto, readDockerfile, type Stage } from '../../helpers/dockerfile.js';
import { eventually, REDIS_TEST_URL, tempDir, testPrefix } from '../../helpers/env.js';

t.setTimeout(600_000);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const { stages, ignored } = readDockerfile(ROOT);
const work = tempDir(t, 'vigie-dockerfile');

/** A clean environment: this test runner's npm_* settings must not reach the stage's npm. */
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VIGIE_|NODE_OPTIONS$|TAP)/i.test(k)));

interface Ran {
  code: number | null;
  output: string;
}

function sh(command: string, cwd: string, env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** One part of a RUN line (split on &&): how this test reproduces it, or why it need not. */
function reproduce(part: string, workdir: string): { run: string } | { skip: string } {
  if (/^npm ci\b/.test(part)) return { run: `${part} --prefer-offline` };
  if (/^npm cache clean\b/.test(part)) return { skip: 'only makes the image smaller' };
  if (/^(npm run|node) /.test(part)) return { run: part };
  if (/^(mkdir|chown|chmod)\b/.test(part)) {
    const paths = part.split(/\s+/).filter((w) => w.startsWith('/'));
    if (paths.length && paths.every((p) => !(p + '/').startsWith(workdir.replace(/\/?$/, '/')))) return { skip: `outside ${workdir}: ${paths.join(' ')}` };
  }
  throw new Error(`a RUN command this test does not know how to reproduce: ${part} (teach tests/e2e/deploy/dockerfile.test.ts)`);
}

interface Built {
  root: string;
  workdir: string;
  env: Record<string, string>;
}
const built = new Map<string, Built>();
const inStage = (b: Built, path: string) => join(b.root, posix.resolve(b.workdir, path));

async function buildStage(t: Test, stage: Stage): Promise<Built> {
  const b: Built = { root: join(work, stage.name), workdir: '/', env: {} };
  mkdirSync(b.root, { recursive: true });
  for (const step of stage.steps) {
    if (step.kind === 'WORKDIR') {
      b.workdir = posix.resolve(b.workdir, step.path);
      mkdirSync(inStage(b, '.'), { recursive: true });
    } else if (step.kind === 'ENV') {
      Object.assign(b.env, step.vars);
    } else if (step.kind === 'COPY') {
      if (step.from) {
        const from = built.get(step.from);
        if (!from) throw new Error(`COPY --from=${step.from}: no such earlier stage`);
        t.ok(step.sources.every((s) => existsSync(join(from.root, posix.resolve(from.workdir, s)))), `stage ${step.from} made what ${stage.name} copies: ${step.sources.join(' ')}`);
        copyInto(step.sources.map((s) => ({ root: from.root, path: posix.resolve(from.workdir, s).slice(1) })), inStage(b, step.dest));
      } else {
        copyInto(step.sources.map((path) => ({ root: ROOT, path })), inStage(b, step.dest), ignored);
      }
    } else {
      for (const part of step.command.split(/\s*&&\s*/)) {
        const how = reproduce(part, b.workdir);
        if ('skip' in how) {
          t.comment(`${stage.name}: skipped \`${part}\` (${how.skip})`);
          continue;
        }
        const started = Date.now();
        const ran = await sh(how.run, inStage(b, '.'), b.env);
        t.equal(ran.code, 0, `${stage.name}: RUN ${part} (${((Date.now() - started) / 1000).toFixed(1)} s)`, { output: ran.output.slice(-3000) });
        if (ran.code !== 0) throw new Error(`${stage.name}: ${part} failed`);
      }
    }
  }
  return b;
}

t.test('each stage builds from exactly the files it copies, and makes what the next one copies', async (t) => {
  t.ok(stages.length >= 2, 'a build stage and a runtime stage');
  for (const stage of stages) {
    await t.test(`stage ${stage.name} (${stage.image})`, async (t) => void built.set(stage.name, await buildStage(t, stage)));
    if (!built.has(stage.name)) return;
  }
  const build = built.get(stages[0]!.name)!;
  for (const made of ['dist/server/main.js', 'dist/server/migrate.js', 'dist/config/default.json', 'dist/migrations/meta/_journal.json']) {
    t.ok(existsSync(inStage(build, made)), `the build stage made ${made}`);
  }
});

t.test('the image’s CMD starts the hub on its embedded default, and its HEALTHCHECK passes', async (t) => {
  const stage = stages.at(-1)!;
  const image = built.get(stage.name);
  if (!image) return t.fail('the runtime stage was not built');
  t.ok(stage.cmd, 'an exec-form CMD');
  t.ok(stage.healthcheck, 'an exec-form HEALTHCHECK');
  const port = String(await freePort());
  // The image's own settings (NODE_ENV=production among them), but for where it listens, its data
  // directory (not /var/lib/vigie here) and this machine's Redis; production requires a witness
  // quorum of at least one: here a witness that never answers, as on a first start before it does.
  const crypto = await loadSodium();
  const env = {
    ...image.env,
    VIGIE_WITNESSES: JSON.stringify([{ url: 'http://127.0.0.1:9', vkey: formatWitnessVkey(crypto, 'witness.test/image', crypto.signKeypair().publicKey) }]),
    VIGIE_WITNESS_QUORUM: '1',
    HOST: '127.0.0.1',
    PORT: port,
    VIGIE_DATA_DIR: tempDir(t, 'vigie-image-data'),
    REDIS_URL: REDIS_TEST_URL,
    VIGIE_QUEUE_PREFIX: testPrefix(t),
    LOG_LEVEL: 'warn',
  };
  const [bin, ...args] = stage.cmd!;
  t.equal(bin, 'node');
  const hub = spawn(process.execPath, args, { cwd: inStage(image, '.'), env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  hub.stdout.on('data', (d: Buffer) => (output += d.toString()));
  hub.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => hub.on('exit', resolve));
  t.teardown(() => void (hub.exitCode === null && hub.kill('SIGKILL')));
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 60_000, 200).catch((err: Error) => {
    throw new Error(`${err.message}\n${output.slice(-3000)}`);
  });
  t.pass('ready on PGlite (the cluster the runtime stage prepared) and Redis');

  const [probe, ...probeArgs] = stage.healthcheck!;
  t.equal(probe, 'node');
  const health = await new Promise<number | null>((resolve) =>
    spawn(process.execPath, probeArgs, { env: { ...baseEnv, ...env }, stdio: 'ignore' }).on('exit', resolve),
  );
  t.equal(health, 0, 'the HEALTHCHECK command passes');

  hub.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM ends it cleanly', { output: output.slice(-2000) });
});

t.test('every docker-compose.yml service built from this Dockerfile runs a file the image holds', async (t) => {
  const image = built.get(stages.at(-1)!.name);
  if (!image) return t.fail('the runtime stage was not built');
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: unknown; command?: string[] }>;
  };
  const ours = Object.entries(compose.services).filter(([, s]) => s.build === '.' || (s.build as { context?: string } | undefined)?.context === '.');
  t.ok(ours.length >= 2, `the hub and the migration step: ${ours.map(([n]) => n).join(', ')}`);
  for (const [name, service] of ours) {
    const command = service.command ?? stages.at(-1)!.cmd!;
    t.equal(command[0], 'node', `${name} runs node`);
    t.ok(existsSync(inStage(image, command[1]!)), `${name}: ${command.join(' ')} is in the image`);
  }
});
