import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { importJWK, type JWK, type CryptoKey } from 'jose';
import { writeSecretFile } from '../lib/secret-file.js';

export interface HubSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** Reads a secret file, or creates it once (0600) with `make()` when absent; concurrent instances agree. */
export function readOrCreateSecretFile(path: string, make: () => string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Another instance starting at the same moment may have written it first: then its file is the one.
  writeSecretFile(path, make(), { exclusive: true });
  return readFileSync(path, 'utf8');
}

/** The Ed25519 key the hub signs access tokens with (JWK file, created on first start). */
export async function loadHubSigningKey(path: string): Promise<HubSigningKey> {
  const text = readOrCreateSecretFile(path, () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'EdDSA' });
  });
  const jwk = JSON.parse(text) as JWK;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x || !jwk.kid) {
    throw new Error(`hub key file ${path} is not an Ed25519 private JWK with a kid`);
  }
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid: jwk.kid,
    privateKey: (await importJWK(jwk, 'EdDSA')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'EdDSA')) as CryptoKey,
    publicJwk,
  };
}

/** The operator token: from config, else created once under the data directory. */
export function loadOperatorToken(configured: string | undefined, path: string): string {
  if (configured) return configured;
  return readOrCreateSecretFile(path, () => randomBytes(32).toString('base64url')).trim();
}
