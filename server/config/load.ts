import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, ENV_OVERRIDES, type Config } from './schema.js';

import { PATHS } from '../paths.js';

/** A setting that is missing or wrong: the start stops and names it. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(
      `Configuration invalide / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

function parseEnvValue(name: string, raw: string, type: 'string' | 'int' | 'bool' | 'json', problems: string[]): unknown {
  if (type === 'string') return raw;
  if (type === 'json') {
    try {
      return JSON.parse(raw);
    } catch {
      problems.push(`${name}: JSON invalide / invalid JSON`);
      return undefined;
    }
  }
  if (type === 'int') {
    if (!/^-?\d+$/.test(raw)) {
      problems.push(`${name}: nombre entier attendu / an integer is expected (reçu / got "${raw.slice(0, 40)}")`);
      return undefined;
    }
    return Number(raw);
  }
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name}: true ou false attendu / true or false is expected`);
  return undefined;
}

const RENAMED: Record<string, string> = {
  logOrigin: 'disclosureLogOrigin',
  logKeyFile: 'disclosureLogKeyFile',
  logBatchSize: 'disclosureLogBatchSize',
  logIntervalMs: 'disclosureLogIntervalMs',
  VIGIE_LOG_ORIGIN: 'VIGIE_DISCLOSURE_LOG_ORIGIN',
  VIGIE_LOG_KEY_FILE: 'VIGIE_DISCLOSURE_LOG_KEY_FILE',
};

/**
 * Builds the configuration from config/default.json, an optional JSON file
 * named by VIGIE_CONFIG, the environment, and explicit overrides (tests), in
 * that order, then validates it against one schema.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const merged: Record<string, unknown> = { redisServerBin: 'redis-server', ...JSON.parse(readFileSync(PATHS.defaults, 'utf8')) };
  if (env.VIGIE_CONFIG) {
    try {
      Object.assign(merged, JSON.parse(readFileSync(env.VIGIE_CONFIG, 'utf8')));
    } catch (err) {
      problems.push(`VIGIE_CONFIG (${env.VIGIE_CONFIG}): fichier illisible ou JSON invalide / unreadable file or invalid JSON (${(err as Error).message})`);
    }
  }
  for (const [name, { key, type }] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = parseEnvValue(name, raw, type, problems);
    if (value !== undefined) merged[key] = value;
  }
  Object.assign(merged, overrides);
  // Settings of the disclosure log were once named like the logger's: an old name is refused, with its new one.
  for (const [old, now] of Object.entries(RENAMED)) {
    if (old in merged || (old.startsWith('VIGIE_') && env[old] !== undefined)) problems.push(`${old}: s’appelle désormais / is now ${now}`);
  }
  for (const old of Object.keys(RENAMED)) delete merged[old];
  const envNameOf = (key: string) => Object.entries(ENV_OVERRIDES).find(([, v]) => v.key === key)?.[0];
  for (const error of Value.Errors(ConfigSchema, merged)) {
    const key = error.path.replace(/^\//, '').split('/')[0] || '(racine / root)';
    const envName = envNameOf(key);
    problems.push(`${key}${envName ? ` (${envName})` : ''}: ${error.message}`);
  }
  // Witnesses: a quorum the configured witnesses can meet; in production, at least one, or nobody
  // outside the hub could tell a rewritten log from the real one (docs/threat-model.md).
  const quorum = typeof merged.witnessQuorum === 'number' ? merged.witnessQuorum : 0;
  const witnesses = Array.isArray(merged.witnesses) ? merged.witnesses.length : 0;
  if (quorum > witnesses) problems.push(`witnessQuorum (VIGIE_WITNESS_QUORUM): ${quorum} > ${witnesses} témoin(s) configuré(s) / witness(es) configured (VIGIE_WITNESSES)`);
  if (env.NODE_ENV === 'production' && quorum < 1) {
    problems.push('witnessQuorum (VIGIE_WITNESS_QUORUM): en production, au moins une cosignature de témoin est exigée / production requires at least one witness cosignature (VIGIE_WITNESSES, docs/operations.md)');
  }
  if ((merged.tlsCertFile === undefined) !== (merged.tlsKeyFile === undefined)) {
    problems.push('tlsCertFile / tlsKeyFile: les deux ou aucun / both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return merged as Config;
}
