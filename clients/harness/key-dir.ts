/**
 * A key directory as `vigie keys agency|member` leaves it — the sealed key
 * file and, for an agency, its public half — for the tests and the bench,
 * which give the CLI ready-made devices.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argon2idParams, CryptoPort } from '../../protocol/crypto-port.js';
import { sealKeyFile } from '../../protocol/keyfile.js';
import type { AgencyKeys, MemberKeys } from '../sdk/keys.js';

/** `cost`: the Argon2id limits (default "interactive", to keep tests fast; `vigie keys` seals with "moderate"). */
export function writeKeyDir(crypto: CryptoPort, path: string, keys: AgencyKeys | MemberKeys, passphrase: string, cost: Argon2idParams = crypto.argon2idInteractive): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const file = keys.kind === 'agency' ? 'agency.key' : 'member.key';
  writeFileSync(join(path, file), JSON.stringify(sealKeyFile(crypto, keys, passphrase, cost)), { mode: 0o600 });
  if (keys.kind === 'agency') writeFileSync(join(path, 'agency.pub.json'), JSON.stringify({ agency: keys.agency, rootKey: keys.root.publicKey }));
}
