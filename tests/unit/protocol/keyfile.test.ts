import t, { type Test } from 'tap';
import {
  fromB64u,
  isProtocolError,
  KEYFILE_MEMLIMIT_MIN,
  loadSodium,
  openKeyFile,
  sealKeyFile,
  toB64u,
  type CryptoPort,
  type KeyFile,
} from '../../../protocol/index.js';

const sodium = await loadSodium();
/** The port, counting key derivations: a refused hostile file must not reach Argon2id. */
let derivations = 0;
const crypto: CryptoPort = {
  ...sodium,
  argon2id: (...args) => {
    derivations++;
    return sodium.argon2id(...args);
  },
};
const fast = { opslimit: 1, memlimit: KEYFILE_MEMLIMIT_MIN };
const secrets = { signing: toB64u(sodium.randomBytes(32)), encryption: toB64u(sodium.randomBytes(32)), label: 'Poste de nuit' };

const invalid = (t: Test, fn: () => unknown, why: string) => {
  try {
    fn();
    t.fail(`${why}: should throw`);
  } catch (err) {
    t.ok(isProtocolError(err, 'KEYFILE_INVALID'), why);
  }
};

t.test('round trip', async (t) => {
  const file = sealKeyFile(crypto, secrets, 'correct horse battery staple', fast);
  t.equal(file.v, 1);
  t.same(file.kdf.alg, 'argon2id13');
  t.equal(fromB64u(file.kdf.salt).length, 16);
  t.equal(fromB64u(file.nonce).length, 24);
  const parsed = JSON.parse(JSON.stringify(file)) as unknown;
  t.same(openKeyFile(crypto, parsed, 'correct horse battery staple'), secrets);
  t.notMatch(JSON.stringify(file), secrets.signing, 'no secret in clear');
});

t.test('the libsodium INTERACTIVE parameters work too', async (t) => {
  const file = sealKeyFile(crypto, [1, 2, 3], 'pass', crypto.argon2idInteractive);
  t.equal(file.kdf.opslimit, crypto.argon2idInteractive.opslimit);
  t.equal(file.kdf.memlimit, crypto.argon2idInteractive.memlimit);
  t.same(openKeyFile(crypto, file, 'pass'), [1, 2, 3]);
});

t.test('passphrases are NFKC-normalized', async (t) => {
  const file = sealKeyFile(crypto, 'ok', 'Cl\u00e9', fast); // precomposed é
  t.equal(openKeyFile(crypto, file, 'Cle\u0301'), 'ok', 'decomposed e + combining acute');
});

t.test('wrong passphrase or corrupted file → KEYFILE_INVALID', async (t) => {
  const file = sealKeyFile(crypto, secrets, 'right', fast);
  invalid(t, () => openKeyFile(crypto, file, 'wrong'), 'wrong passphrase');
  invalid(t, () => openKeyFile(crypto, file, ''), 'empty passphrase');
  const flip = (b64: string) => {
    const b = fromB64u(b64);
    b[0]! ^= 1;
    return toB64u(b);
  };
  invalid(t, () => openKeyFile(crypto, { ...file, ciphertext: flip(file.ciphertext) }, 'right'), 'ciphertext flipped');
  invalid(t, () => openKeyFile(crypto, { ...file, nonce: flip(file.nonce) }, 'right'), 'nonce flipped');
  invalid(t, () => openKeyFile(crypto, { ...file, kdf: { ...file.kdf, salt: flip(file.kdf.salt) } }, 'right'), 'salt flipped');
  invalid(t, () => openKeyFile(crypto, { ...file, kdf: { ...file.kdf, opslimit: 2 } }, 'right'), 'other (sane) parameters');
});

t.test('malformed or hostile files are refused before any key derivation', async (t) => {
  const file = sealKeyFile(crypto, secrets, 'right', fast);
  const hostile: [string, unknown][] = [
    ['null', null],
    ['a string', 'keyfile'],
    ['version 2', { ...file, v: 2 }],
    ['another KDF', { ...file, kdf: { ...file.kdf, alg: 'scrypt' } }],
    ['4 GiB of memory', { ...file, kdf: { ...file.kdf, memlimit: 4 * 1024 ** 3 } }],
    ['1 GiB + 1 byte', { ...file, kdf: { ...file.kdf, memlimit: 1024 ** 3 + 1 } }],
    ['too little memory', { ...file, kdf: { ...file.kdf, memlimit: 8192 } }],
    ['a billion passes', { ...file, kdf: { ...file.kdf, opslimit: 1e9 } }],
    ['21 passes', { ...file, kdf: { ...file.kdf, opslimit: 21 } }],
    ['zero passes', { ...file, kdf: { ...file.kdf, opslimit: 0 } }],
    ['fractional passes', { ...file, kdf: { ...file.kdf, opslimit: 1.5 } }],
    ['string parameters', { ...file, kdf: { ...file.kdf, opslimit: '1' } }],
    ['short salt', { ...file, kdf: { ...file.kdf, salt: 'AAAA' } }],
    ['padded nonce', { ...file, nonce: `${file.nonce}=` }],
    ['missing ciphertext', { v: 1, kdf: file.kdf, nonce: file.nonce }],
    ['extra member', { ...file, hint: 'my dog' }],
    ['huge ciphertext', { ...file, ciphertext: 'A'.repeat(200_000) }],
  ];
  const before = derivations;
  const started = performance.now();
  for (const [why, value] of hostile) invalid(t, () => openKeyFile(crypto, value, 'right'), why);
  t.equal(derivations, before, 'Argon2id never ran');
  t.ok(performance.now() - started < 2000, 'and it was quick');
});

t.test('sealKeyFile refuses parameters that openKeyFile would refuse, and non-JSON secrets', async (t) => {
  t.throws(() => sealKeyFile(crypto, {}, 'p', { opslimit: 1, memlimit: 1024 }), RangeError);
  t.throws(() => sealKeyFile(crypto, {}, 'p', { opslimit: 100, memlimit: KEYFILE_MEMLIMIT_MIN }), RangeError);
  t.throws(() => sealKeyFile(crypto, { key: new Uint8Array(32) }, 'p', fast), { code: 'NOT_CANONICALIZABLE' });
  t.equal(crypto.argon2idModerate.memlimit, 256 * 1024 * 1024, 'the default (MODERATE) is within bounds');
  const typed: KeyFile = sealKeyFile(crypto, null, 'p', fast);
  t.equal(openKeyFile(crypto, typed, 'p'), null);
});

t.test('a key file whose plaintext begins with a UTF-8 byte-order mark is refused, not read (wire-format §1, §12)', async (t) => {
  const passphrase = 'correct horse battery staple';
  const salt = sodium.randomBytes(16);
  const nonce = sodium.randomBytes(24);
  const key = sodium.argon2id(new TextEncoder().encode(passphrase), salt, fast);
  const seal = (plaintext: Uint8Array): KeyFile => ({
    v: 1,
    kdf: { alg: 'argon2id13', ...fast, salt: toB64u(salt) },
    nonce: toB64u(nonce),
    ciphertext: toB64u(sodium.aeadEncrypt(plaintext, new TextEncoder().encode('vigie/keyfile/v1'), nonce, key)),
  });
  const json = new TextEncoder().encode('{"kind":"member"}');
  t.same(openKeyFile(crypto, seal(json), passphrase), { kind: 'member' }, 'the same secrets without the mark open');
  invalid(t, () => openKeyFile(crypto, seal(new Uint8Array([0xef, 0xbb, 0xbf, ...json])), passphrase), 'with the mark: KEYFILE_INVALID');
});
