// The witness key at rest: sealed under a passphrase, never replaced, checked when opened.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { isWitnessName, newWitnessKey, readWitnessKey, writeWitnessKey } from '../../../clients/witness/keys.js';
import { sealKeyFile } from '../../../protocol/keyfile.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { toB64u } from '../../../protocol/encoding.js';

const crypto = await loadSodium();
const dir = mkdtempSync(join(tmpdir(), 'vigie-witness-keys-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const PASSPHRASE = 'correct horse battery staple';
const params = crypto.argon2idInteractive;

t.test('a witness key round-trips through its sealed file', async (t) => {
  const file = join(dir, 'sub', 'witness.key');
  const key = newWitnessKey(crypto, 'witness.example.org/vigie');
  writeWitnessKey(crypto, file, key, PASSPHRASE, params);
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
  t.notMatch(readFileSync(file, 'utf8'), toB64u(key.secretKey), 'the secret key is not in clear');
  const opened = readWitnessKey(crypto, file, PASSPHRASE);
  t.equal(opened.name, key.name);
  t.same(opened.publicKey, key.publicKey);
  t.same(opened.secretKey, key.secretKey);
  t.throws(() => writeWitnessKey(crypto, file, newWitnessKey(crypto, 'other.example/w'), PASSPHRASE, params), { code: 'KEY_EXISTS' }, 'never replaced');
  t.same(readWitnessKey(crypto, file, PASSPHRASE).publicKey, key.publicKey);
  t.throws(() => readWitnessKey(crypto, file, 'wrong passphrase!'), { code: 'KEY_WRONG_PASSPHRASE' });
});

t.test('missing, damaged and foreign files are told apart', async (t) => {
  t.throws(() => readWitnessKey(crypto, join(dir, 'none.key'), PASSPHRASE), { code: 'KEY_MISSING' });
  const notJson = join(dir, 'not-json.key');
  writeFileSync(notJson, '{');
  t.throws(() => readWitnessKey(crypto, notJson, PASSPHRASE), { code: 'KEY_DAMAGED' });
  // A device key file sealed under the same passphrase is not a witness key.
  const member = join(dir, 'member.key');
  writeFileSync(member, JSON.stringify(sealKeyFile(crypto, { kind: 'member', member: 'x' }, PASSPHRASE, params)));
  t.throws(() => readWitnessKey(crypto, member, PASSPHRASE), { code: 'KEY_DAMAGED' });
  // A secret key that does not belong to the public key it claims.
  const a = crypto.signKeypair();
  const b = crypto.signKeypair();
  const mixed = join(dir, 'mixed.key');
  const secrets = { kind: 'witness', name: 'w.example/x', signing: { publicKey: toB64u(a.publicKey), secretKey: toB64u(b.secretKey) } };
  writeFileSync(mixed, JSON.stringify(sealKeyFile(crypto, secrets, PASSPHRASE, params)));
  t.throws(() => readWitnessKey(crypto, mixed, PASSPHRASE), { code: 'KEY_DAMAGED' });
});

t.test('witness names follow signed-note key names', async (t) => {
  for (const ok of ['witness.example.org/vigie', 'oid/1.3.6.1.4.1.99999', 'témoin.example/1']) t.ok(isWitnessName(ok), ok);
  for (const bad of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u200bb', 'a\ud800b', 'x'.repeat(256)]) t.notOk(isWitnessName(bad), JSON.stringify(bad));
  t.throws(() => newWitnessKey(crypto, 'a+b'), { code: 'KEY_BAD_NAME' });
});
