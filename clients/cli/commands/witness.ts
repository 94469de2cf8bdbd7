/**
 * `vigie witness …`: run a C2SP tlog-witness of the hub's disclosure log. A
 * partner or an oversight body generates its witness key once (sealed under
 * its passphrase, like every key of the CLI), gives the printed vkey to the
 * hub operator, and serves: the hub then cannot show this witness one
 * history of the log and someone else another.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseVkey, SIG_TYPE_ED25519 } from '../../../protocol/log/note.js';
import { formatWitnessVkey } from '../../../protocol/log/cosignature.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { buildWitnessApp, witnessVkey, type WitnessLogConfig } from '../../witness/server.js';
import { isWitnessName, newWitnessKey, readWitnessKey, writeWitnessKey, WitnessKeyError, type WitnessKey } from '../../witness/keys.js';
import { StateError } from '../../witness/state.js';
import type { CryptoPort } from '../../../protocol/crypto-port.js';
import { requiredOption, stringOption, type Command, type Values } from '../command.js';
import type { Context } from '../context.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { interrupted } from '../interrupt.js';
import { kdfParams } from '../key-store.js';
import { obtainPassphrase } from '../passphrase.js';

export const WITNESS_FILES = {
  key: 'witness.key',
  /** The witness's public vkey, in clear, to hand to the hub operator. */
  vkey: 'witness.vkey',
  state: 'witness-state.json',
} as const;

export const DEFAULT_WITNESS_PORT = 7380;
export const DEFAULT_WITNESS_HOST = '127.0.0.1';

/** `--log <origin>=<vkey>` (repeatable; the same origin twice trusts either key, e.g. across a rotation). */
export function parseLogOptions(crypto: CryptoPort, values: Values): WitnessLogConfig[] {
  const raw = values.log;
  const specs = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  if (specs.length === 0) throw new UsageError('usage.missingOption', { option: '--log' });
  const byOrigin = new Map<string, string[]>();
  for (const spec of specs) {
    // The origin ends at the first '=': a vkey's base64 may itself end in '='.
    const at = spec.indexOf('=');
    const origin = at > 0 ? spec.slice(0, at) : '';
    const vkey = at > 0 ? spec.slice(at + 1) : '';
    if (!origin || /[\u0000-\u001f\u007f]/.test(origin)) throw new UsageError('usage.badLogSpec', { value: spec });
    let type: number | undefined;
    try {
      type = parseVkey(crypto, vkey).type;
    } catch {
      // reported below
    }
    // A log signs its checkpoints with an Ed25519 note key (type 0x01), not a cosigner key.
    if (type !== SIG_TYPE_ED25519) throw new UsageError('usage.badLogSpec', { value: spec });
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), vkey]);
  }
  return [...byOrigin].map(([origin, vkeys]) => ({ origin, vkeys }));
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WITNESS_PORT;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError('usage.badPort', { value });
  return port;
}

function describeKeyError(err: unknown, ctx: Context): never {
  if (err instanceof WitnessKeyError) {
    switch (err.code) {
      case 'KEY_MISSING':
        throw new CliError('error.keyFileMissing', { file: err.file, hint: ctx.t('hint.createWitnessKey') });
      case 'KEY_EXISTS':
        throw new CliError('error.keyFileExists', { file: err.file });
      case 'KEY_WRONG_PASSPHRASE':
        throw new CliError('error.wrongPassphrase', { file: err.file });
      case 'KEY_DAMAGED':
        throw new CliError('error.keyFileDamaged', { file: err.file });
      case 'KEY_BAD_NAME':
        throw new UsageError('usage.badWitnessName', { value: err.file });
    }
  }
  throw err;
}

const key: Command = {
  words: ['witness', 'key'],
  synopsis: 'synopsis.witnessKey',
  summary: 'help.witnessKey.summary',
  details: 'help.witnessKey.details',
  options: {
    name: { type: 'string', value: 'arg.witnessName', help: 'opt.witnessName' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const name = requiredOption(values, 'name');
    if (!isWitnessName(name)) throw new UsageError('usage.badWitnessName', { value: name });
    const file = join(ctx.keyDir, WITNESS_FILES.key);
    if (existsSync(file)) throw new CliError('error.keyFileExists', { file });
    const passphrase = await obtainPassphrase(ctx, file, true);
    const crypto = await loadSodium();
    const witness = newWitnessKey(crypto, name);
    try {
      writeWitnessKey(crypto, file, witness, passphrase, kdfParams(crypto, ctx.env));
    } catch (err) {
      describeKeyError(err, ctx);
    } finally {
      crypto.wipe(witness.secretKey);
    }
    const vkey = formatWitnessVkey(crypto, name, witness.publicKey);
    writeFileSync(join(ctx.keyDir, WITNESS_FILES.vkey), `${vkey}\n`, { mode: 0o644 });
    if (ctx.json) return ctx.emit({ name, vkey, file });
    // The vkey is the result (to hand to the hub operator); the rest is commentary.
    ctx.print(vkey);
    ctx.note('witness.keyCreated', { name, file });
    ctx.note('witness.keyNext');
  },
};

const serve: Command = {
  words: ['witness', 'serve'],
  synopsis: 'synopsis.witnessServe',
  summary: 'help.witnessServe.summary',
  details: 'help.witnessServe.details',
  options: {
    log: { type: 'string', multiple: true, value: 'arg.logSpec', help: 'opt.witnessLog' },
    port: { type: 'string', value: 'arg.port', help: 'opt.port' },
    host: { type: 'string', value: 'arg.host', help: 'opt.host' },
    state: { type: 'string', value: 'arg.file', help: 'opt.witnessState' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const crypto = await loadSodium();
    const logs = parseLogOptions(crypto, values);
    const port = parsePort(stringOption(values, 'port'));
    const host = stringOption(values, 'host') ?? DEFAULT_WITNESS_HOST;
    const stateFile = resolve(stringOption(values, 'state') ?? join(ctx.keyDir, WITNESS_FILES.state));

    const file = join(ctx.keyDir, WITNESS_FILES.key);
    if (!existsSync(file)) throw new CliError('error.keyFileMissing', { file, hint: ctx.t('hint.createWitnessKey') });
    const passphrase = await obtainPassphrase(ctx, file, false);
    let witness: WitnessKey;
    try {
      witness = readWitnessKey(crypto, file, passphrase);
    } catch (err) {
      describeKeyError(err, ctx);
    }

    const app = buildWitnessApp({
      name: witness.name,
      secretKey: witness.secretKey,
      logs,
      stateFile,
      logger: { level: ctx.env.LOG_LEVEL ?? 'warn', stream: process.stderr },
    });
    const stop = interrupted();
    let address: string;
    try {
      address = await app.listen({ port, host });
    } catch (err) {
      stop.dispose();
      await app.close().catch(() => {});
      if (err instanceof StateError) {
        throw new CliError(err.code === 'STATE_LOCKED' ? 'error.witnessStateLocked' : 'error.witnessStateDamaged', { file: stateFile });
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
        throw new CliError('error.listen', { address: `${host}:${port}`, reason: code });
      }
      throw err;
    }
    const vkey = witnessVkey(crypto, witness.name, witness.secretKey);
    if (ctx.json) {
      ctx.emit({ event: 'ready', name: witness.name, vkey, url: address, state: stateFile, logs: logs.map((l) => l.origin) });
    } else {
      ctx.print(vkey);
      ctx.note('witness.listening', { url: address, state: stateFile });
      for (const log of logs) ctx.note('witness.trusts', { origin: log.origin, count: log.vkeys.length });
    }
    try {
      await stop.promise;
    } finally {
      stop.dispose();
      await app.close();
      crypto.wipe(witness.secretKey);
    }
    if (ctx.json) ctx.emit({ event: 'stopped' });
    else ctx.note('witness.stopped');
    return EXIT.ok;
  },
};

export const witnessCommands = [key, serve];
