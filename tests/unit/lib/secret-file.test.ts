// A secret file is written whole, mode 0600, and an exclusive write never
// replaces an existing one; no temporary file is left behind either way.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSecretFile } from '../../../server/lib/secret-file.js';

t.test('exclusive: written once, never replaced', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-secret-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'member.key');
  t.equal(writeSecretFile(file, 'first', { exclusive: true }), true);
  t.equal(statSync(file).mode & 0o777, 0o600, 'mode 0600');
  t.equal(writeSecretFile(file, 'second', { exclusive: true }), false, 'an existing file is reported');
  t.equal(readFileSync(file, 'utf8'), 'first', 'and kept as it was');
  t.same(readdirSync(dir), ['member.key'], 'no temporary file left');
});

t.test('not exclusive: replaced whole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-secret-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'cursor');
  writeSecretFile(file, 'old', { exclusive: false });
  t.equal(writeSecretFile(file, 'new', { exclusive: false }), true);
  t.equal(readFileSync(file, 'utf8'), 'new');
  t.equal(statSync(file).mode & 0o777, 0o600);
  t.same(readdirSync(dir), ['cursor']);
});

t.test('a failure leaves nothing behind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-secret-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.throws(() => writeSecretFile(join(dir, 'missing-folder', 'key'), 'x', { exclusive: true }), { code: 'ENOENT' });
  t.same(readdirSync(dir), []);
});
