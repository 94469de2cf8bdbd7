/**
 * The `vigie` command as a desk runs it: the median of five fresh processes
 * of `vigie --help` (start-up alone) and of `vigie status <id>` (start-up,
 * the key file opened with its passphrase, a token, and the hub's answer),
 * against a hub started as `npm start` starts it. The key file is sealed as
 * `vigie keys` seals it by default (Argon2id "moderate"); the same command
 * with the lighter "interactive" cost is printed beside it, so the share of
 * the passphrase's key derivation shows.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrolAgency, enrolDevice, establishProtocol } from '../clients/harness/enrol.js';
import { startHubProcess } from '../clients/harness/hub-process.js';
import { writeKeyDir } from '../clients/harness/key-dir.js';
import { loadSodium } from '../protocol/sodium.js';
import { PATHS } from '../server/paths.js';

const RUNS = 5;
const PASSPHRASE = 'banc d’essai de la commande vigie';

/** Wall time of one `vigie` process, from spawn to exit; a failed command is an error, not a figure. */
function timeOnce(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...(process.env.VIGIE_BENCH_CLI_NODE_ARGS ?? '').split(' ').filter(Boolean), PATHS.cliBin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`vigie ${args.join(' ')} exited ${code}: ${err.slice(-500)}`));
    });
  });
}

async function median(args: string[], env: NodeJS.ProcessEnv): Promise<{ median: number; runs: number[] }> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(Math.round(await timeOnce(args, env)));
  return { median: [...runs].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!, runs };
}

export async function cliScenario(): Promise<void> {
  const crypto = await loadSodium();
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bench-cli-'));
  const hub = await startHubProcess({ VIGIE_DATA_DIR: join(dir, 'hub'), LOG_LEVEL: 'error' });
  try {
    const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-cli', 'shelter', { fr: 'Maison', en: 'Shelter' }, { intake: { fr: 'Accueil', en: 'Intake' } });
    const police = await enrolAgency(hub.url, hub.operatorToken, 'police-cli', 'police', { fr: 'Police', en: 'Police' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
    await establishProtocol([shelter, police], 'shelter-police', { shelter: 'shelter-cli', police: 'police-cli' });
    const worker = await enrolDevice(hub.url, shelter, 'poste-maison', ['sender', 'receiver'], ['shelter-cli/intake']);
    await enrolDevice(hub.url, police, 'poste-police', ['receiver'], ['police-cli/dispatch']);
    const sent = await worker.client.send({
      id: randomUUID(),
      type: 'danger_alert',
      recipients: ['police-cli/dispatch'],
      dataCategories: ['identity', 'location', 'threat'],
      protocol: { id: 'shelter-police', version: 1 },
      legalBasis: {
        code: 'apprehended_danger',
        attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
        reason: 'death_threat',
        reference: 'DIR-BENCH',
      },
      content: { text: 'banc d’essai' },
    });

    const home = (kdf: 'moderate' | 'interactive') => {
      const path = join(dir, `home-${kdf}`);
      writeKeyDir(crypto, path, worker.keys, PASSPHRASE, kdf === 'moderate' ? crypto.argon2idModerate : crypto.argon2idInteractive);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, VIGIE_HOME: path, VIGIE_HUB: hub.url, VIGIE_PASSPHRASE: PASSPHRASE };
      return env;
    };
    const moderate = home('moderate');
    const interactive = home('interactive');
    // A first status pins the agencies' root keys and the log key on each device, as a desk's first command does.
    await timeOnce(['status', sent.id], moderate);
    await timeOnce(['status', sent.id], interactive);

    const help = await median(['--help'], moderate);
    const status = await median(['status', sent.id], moderate);
    const statusLight = await median(['status', sent.id], interactive);
    process.stdout.write(
      `${JSON.stringify({
        scenario: 'cli',
        help_ms: help.median,
        status_ms: status.median,
        status_interactive_kdf_ms: statusLight.median,
        runs_ms: `help ${help.runs.join(' ')}; status ${status.runs.join(' ')}; status (interactive) ${statusLight.runs.join(' ')}`,
      })}\n`,
    );
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
