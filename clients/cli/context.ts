/**
 * What every command receives: the person's language, where the hub and the
 * key directory are, and how to write for a person (stdout), for a script
 * (`--json`, one JSON value per line) or about progress (stderr).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { t, type Lang, type MessageKey, type Params } from './i18n.js';
import { UsageError } from './errors.js';

export const DEFAULT_HUB = 'http://127.0.0.1:8080';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export class Context {
  constructor(
    readonly lang: Lang,
    readonly hub: string,
    readonly keyDir: string,
    readonly json: boolean,
    readonly env: NodeJS.ProcessEnv,
    readonly io: Io = processIo,
  ) {}

  t(key: MessageKey, params?: Params): string {
    return t(this.lang, key, params);
  }

  /** A line for the person, on stdout. */
  say(key: MessageKey, params?: Params): void {
    this.io.stdout(`${this.t(key, params)}\n`);
  }

  /** Raw text on stdout (already translated or data). */
  print(text: string): void {
    this.io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Progress and hints, on stderr, so that stdout stays the result. */
  note(key: MessageKey, params?: Params): void {
    this.io.stderr(`${this.t(key, params)}\n`);
  }

  /** One JSON value per line on stdout (`--json`). */
  emit(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value)}\n`);
  }
}

/** The hub URL from --hub, VIGIE_HUB or the default; only http(s). */
export function resolveHub(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const raw = flag ?? env.VIGIE_HUB ?? DEFAULT_HUB;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('usage.badHub', { hub: raw });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('usage.badHub', { hub: raw });
  return url.toString().replace(/\/$/, '');
}

/** The key directory from --keys, VIGIE_HOME or ~/.vigie. */
export function resolveKeyDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const raw = flag ?? env.VIGIE_HOME;
  return raw ? resolve(raw) : join(homedir(), '.vigie');
}
