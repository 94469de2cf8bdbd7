// One database holds one log: a second hub instance with another log key or
// another origin refuses to start, naming the setting, instead of signing
// checkpoints that alternate keys (auditors would get a false
// CHECKPOINT_SIGNATURE_INVALID). As an app, and as a real process (exit 78).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import t from 'tap';
import pg from 'pg';
import { ROOT } from '../../../clients/harness/hub-process.js';
import { toB64u } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { LogIdentityError } from '../../../server/disclosure-log/log-identity.js';
import { createTestDatabase, REDIS_TEST_URL, startTestHub, tempDir, testPrefix } from '../../helpers/env.js';
import { PATHS } from '../../../server/paths.js';

const crypto = await loadSodium();
const keyFile = (t: { teardown(fn: () => unknown): void }) => {
  const file = join(tempDir(t), 'log-signing-key');
  writeFileSync(file, toB64u(crypto.randomBytes(32)), { mode: 0o600 });
  return file;
};

t.test('a second instance with another log key or origin refuses to start', async (t) => {
  const databaseUrl = await createTestDatabase(t, { migrated: true });
  const origin = 'vigie.test/disclosure-log';
  const keyA = keyFile(t);
  const first = await startTestHub(t, { databaseUrl, config: { disclosureLogOrigin: origin, disclosureLogKeyFile: keyA } });
  await first.app.disclosureLog.flush();

  const start = (config: { disclosureLogOrigin: string; disclosureLogKeyFile: string }) => startTestHub(t, { databaseUrl, config, listen: false });
  const otherKey = await start({ disclosureLogOrigin: origin, disclosureLogKeyFile: keyFile(t) }).then(() => null, (err: unknown) => err);
  t.type(otherKey, LogIdentityError);
  t.match(otherKey, { code: 'LOG_IDENTITY_MISMATCH', setting: 'VIGIE_DISCLOSURE_LOG_KEY_FILE', stored: first.app.disclosureLog.vkey });
  t.match((otherKey as Error).message, /VIGIE_DISCLOSURE_LOG_KEY_FILE[\s\S]*clé[\s\S]*Every instance mounts the same log key file/, 'named, in French and English');

  const otherOrigin = await start({ disclosureLogOrigin: 'vigie.test/other-log', disclosureLogKeyFile: keyA }).then(() => null, (err: unknown) => err);
  t.match(otherOrigin, { code: 'LOG_IDENTITY_MISMATCH', setting: 'VIGIE_DISCLOSURE_LOG_ORIGIN', stored: origin, configured: 'vigie.test/other-log' });

  const same = await start({ disclosureLogOrigin: origin, disclosureLogKeyFile: keyA });
  t.equal(same.app.disclosureLog.vkey, first.app.disclosureLog.vkey, 'an instance with the same key and origin starts');

  // A database whose log was signed before the check existed (no identity recorded) is claimed
  // only by the key that signed its checkpoints.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query('delete from log_identity');
  const legacy = await start({ disclosureLogOrigin: origin, disclosureLogKeyFile: keyFile(t) }).then(() => null, (err: unknown) => err);
  t.match(legacy, { setting: 'VIGIE_DISCLOSURE_LOG_KEY_FILE' }, 'a legacy log is not claimed by another key');
  t.equal((await db.query('select count(*)::int as n from log_identity')).rows[0].n, 0, 'and nothing was recorded for it');
  await start({ disclosureLogOrigin: origin, disclosureLogKeyFile: keyA });
  t.same((await db.query('select origin, vkey from log_identity')).rows, [{ origin, vkey: first.app.disclosureLog.vkey }], 'its own key claims it');

  // The process: a configuration error, exit 78, the setting named on stderr.
  const child = spawn(process.execPath, [PATHS.hubMain], {
    cwd: ROOT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_'))),
      DATABASE_URL: databaseUrl,
      REDIS_URL: REDIS_TEST_URL,
      VIGIE_QUEUE_PREFIX: testPrefix(t),
      VIGIE_DATA_DIR: tempDir(t),
      VIGIE_DISCLOSURE_LOG_ORIGIN: origin,
      VIGIE_DISCLOSURE_LOG_KEY_FILE: keyFile(t),
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.equal(code, 78, 'exit code 78, like any invalid setting');
  t.match(stderr, /Réglage invalide \/ Invalid setting: VIGIE_DISCLOSURE_LOG_KEY_FILE/);
  t.match(stderr, /This database holds|The log in this database is signed by key/);
});
