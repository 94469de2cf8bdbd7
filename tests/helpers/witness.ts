/**
 * A hub whose disclosure log a partner's witness cosigns: the log's signing
 * key is chosen before the hub starts (its seed in the data directory), so
 * that the witness can be told to trust it, and the hub requires that
 * witness's cosignature (quorum 1).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWitnessApp, witnessVkey } from '../../clients/witness/server.js';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { toB64u } from '../../protocol/encoding.js';
import { formatVkey } from '../../protocol/log/note.js';
import { startTestHub, tempDir, type Teardown, type TestHub } from './env.js';

export interface WitnessedHub {
  hub: TestHub;
  /** The log's origin and verifier key (C2SP vkey). */
  origin: string;
  logKey: string;
  /** The witness's name and cosignature verifier key. */
  witnessName: string;
  witnessKey: string;
  /** Where the witness listens (its tlog-witness `add-checkpoint` is there). */
  witnessUrl: string;
  /** The hub's data directory. */
  dataDir: string;
}

export async function startWitnessedHub(t: Teardown, crypto: CryptoPort, opts: { origin?: string; witnessName?: string; dataDir?: string } = {}): Promise<WitnessedHub> {
  const dataDir = opts.dataDir ?? tempDir(t);
  const origin = opts.origin ?? 'vigie.test/disclosure-log';
  const witnessName = opts.witnessName ?? 'witness.test/oversight';
  const seed = crypto.randomBytes(32);
  writeFileSync(join(dataDir, 'log-signing-key'), toB64u(seed), { mode: 0o600 });
  const logKey = formatVkey(crypto, origin, crypto.signKeypair(seed).publicKey);
  const witnessKeys = crypto.signKeypair();
  const witness = buildWitnessApp({ name: witnessName, secretKey: witnessKeys.secretKey, logs: [{ origin, vkeys: [logKey] }], stateFile: join(dataDir, 'witness.json') });
  await witness.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => witness.close());
  const witnessKey = witnessVkey(crypto, witnessName, witnessKeys.secretKey);
  const witnessUrl = `http://127.0.0.1:${(witness.server.address() as { port: number }).port}`;
  const hub = await startTestHub(t, { dataDir, config: { disclosureLogOrigin: origin, witnesses: [{ url: witnessUrl, vkey: witnessKey }], witnessQuorum: 1 } });
  return { hub, origin, logKey, witnessName, witnessKey, witnessUrl, dataDir };
}
