/**
 * The key directory (`~/.vigie`, `VIGIE_HOME` or `--keys`): private keys are
 * only ever written sealed by `protocol/keyfile` (Argon2id +
 * XChaCha20-Poly1305) under the person's passphrase, in files of mode 0600
 * written atomically (a crash leaves the old file or the new one, never half
 * of one). Public halves and stream cursors sit next to them in clear.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argon2idParams, CryptoPort } from '../../protocol/crypto-port.js';
import { openKeyFile, sealKeyFile } from '../../protocol/keyfile.js';
import { isProtocolError } from '../../protocol/errors.js';
import { loadSodium } from '../../protocol/sodium.js';
import type { AgencyKeys, MemberKeys } from '../sdk/keys.js';
import type { Context } from './context.js';
import { CliError, UsageError } from './errors.js';
import { obtainPassphrase } from './passphrase.js';
import { writeSecretFile } from '../../server/lib/secret-file.js';

export const FILES = {
  agency: 'agency.key',
  agencyPublic: 'agency.pub.json',
  member: 'member.key',
  memberPublic: 'member.pub.json',
  /** Agency root keys this device has seen, pinned on first use. */
  knownRoots: 'known-roots.json',
  /** The disclosure log's key (C2SP vkey) this device trusts, per hub, pinned on first use. */
  knownLogKeys: 'known-log-keys.json',
  /** Where `vigie listen` resumes. */
  listenState: 'listen-state.json',
  /** A past stream position, where `vigie send --wait-ack` starts watching. */
  sendCursor: 'send-cursor.json',
} as const;
export type KeyFileName = (typeof FILES)['agency' | 'member'];

/** Argon2id cost: `VIGIE_KDF=interactive` for tests and scripts, moderate otherwise. */
export function kdfParams(crypto: CryptoPort, env: NodeJS.ProcessEnv): Argon2idParams {
  const choice = env.VIGIE_KDF ?? 'moderate';
  if (choice === 'interactive') return crypto.argon2idInteractive;
  if (choice === 'moderate') return crypto.argon2idModerate;
  throw new UsageError('usage.badKdf', { value: choice });
}

/** Writes a file of mode 0600 whole or not at all; `exclusive` never replaces an existing file. */
export function writeAtomically(path: string, text: string, exclusive: boolean): void {
  // A new key file never replaces an old one.
  if (!writeSecretFile(path, text, { exclusive })) throw new CliError('error.keyFileExists', { file: path });
}

export class KeyStore {
  private readonly passphrases = new Map<string, string>();

  constructor(private readonly ctx: Context) {}

  path(name: string): string {
    return join(this.ctx.keyDir, name);
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  private ensureDir(): void {
    mkdirSync(this.ctx.keyDir, { recursive: true, mode: 0o700 });
  }

  /** Seals new secrets in a file that must not exist yet. */
  async create(name: KeyFileName, secrets: AgencyKeys | MemberKeys): Promise<string> {
    const file = this.path(name);
    if (existsSync(file)) throw new CliError('error.keyFileExists', { file });
    const passphrase = await obtainPassphrase(this.ctx, file, true);
    const crypto = await loadSodium();
    const sealed = sealKeyFile(crypto, secrets, passphrase, kdfParams(crypto, this.ctx.env));
    this.ensureDir();
    writeAtomically(file, `${JSON.stringify(sealed, null, 2)}\n`, true);
    this.passphrases.set(name, passphrase);
    return file;
  }

  /** Re-seals secrets (fresh salt and nonce) under the passphrase they were opened with. */
  async replace(name: KeyFileName, secrets: AgencyKeys | MemberKeys): Promise<void> {
    const passphrase = this.passphrases.get(name);
    if (passphrase === undefined) throw new Error(`${name} was not opened before being replaced`);
    const crypto = await loadSodium();
    const sealed = sealKeyFile(crypto, secrets, passphrase, kdfParams(crypto, this.ctx.env));
    writeAtomically(this.path(name), `${JSON.stringify(sealed, null, 2)}\n`, false);
  }

  private async open(name: KeyFileName, missingHint: 'hint.createAgencyKeys' | 'hint.createMemberKeys'): Promise<unknown> {
    const file = this.path(name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CliError('error.keyFileMissing', { file, hint: this.ctx.t(missingHint) });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError('error.keyFileDamaged', { file });
    }
    const passphrase = await obtainPassphrase(this.ctx, file, false);
    const crypto = await loadSodium();
    try {
      const secrets = openKeyFile(crypto, parsed, passphrase);
      this.passphrases.set(name, passphrase);
      return secrets;
    } catch (err) {
      if (isProtocolError(err, 'KEYFILE_INVALID')) throw new CliError('error.wrongPassphrase', { file });
      throw err;
    }
  }

  async agencyKeys(): Promise<AgencyKeys> {
    const keys = (await this.open(FILES.agency, 'hint.createAgencyKeys')) as Partial<AgencyKeys> | null;
    if (keys?.kind !== 'agency' || typeof keys.agency !== 'string' || !keys.root || typeof keys.inboxes !== 'object') {
      throw new CliError('error.keyFileDamaged', { file: this.path(FILES.agency) });
    }
    return keys as AgencyKeys;
  }

  async memberKeys(): Promise<MemberKeys> {
    const keys = (await this.open(FILES.member, 'hint.createMemberKeys')) as Partial<MemberKeys> | null;
    if (keys?.kind !== 'member' || typeof keys.member !== 'string' || !keys.signing || !keys.encryption) {
      throw new CliError('error.keyFileDamaged', { file: this.path(FILES.member) });
    }
    return keys as MemberKeys;
  }

  /** A clear JSON file of the key directory, or undefined when absent or unreadable. */
  readJson<T>(name: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.path(name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  writeJson(name: string, value: unknown): void {
    this.ensureDir();
    writeAtomically(this.path(name), `${JSON.stringify(value, null, 2)}\n`, false);
  }
}
