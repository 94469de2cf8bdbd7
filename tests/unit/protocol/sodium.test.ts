// Both adapters of the crypto port — libsodium.js (WebAssembly, browsers and
// Node) and sodium-native (the hub and the CLI) — against published known
// answers (FIPS 180-2, RFC 8032, RFC 7748), their never-throw contract on
// attacker-controlled input, and each other.
import t from 'tap';
import { loadLibsodiumJs, loadSodium, utf8, type CryptoPort } from '../../../protocol/index.js';
import { loadNativeSodium } from '../../../server/lib/native-sodium.js';

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const ADAPTERS: [string, () => Promise<CryptoPort>][] = [
  ['libsodium.js', loadLibsodiumJs],
  ['sodium-native', loadNativeSodium],
];

t.test('loadSodium is memoized', async (t) => {
  t.equal(await loadSodium(), await loadSodium());
});

for (const [name, load] of ADAPTERS) {
t.test(name, async (t) => {
  const crypto = await load();
  t.test('SHA-256 ("abc", FIPS 180-2)', async (t) => {
    t.equal(toHex(crypto.sha256(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  t.test('Ed25519 (RFC 8032 §7.1 test 1)', async (t) => {
    const kp = crypto.signKeypair(hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
    t.equal(toHex(kp.publicKey), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    t.equal(kp.secretKey.length, 64);
    const sig = crypto.sign(new Uint8Array(0), kp.secretKey);
    t.equal(
      toHex(sig),
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    t.ok(crypto.verify(sig, new Uint8Array(0), kp.publicKey));
    t.notOk(crypto.verify(sig, new Uint8Array(1), kp.publicKey));
  });

  t.test('X25519 (RFC 7748 §6.1)', async (t) => {
    const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    t.equal(toHex(crypto.boxPublicKey(alice)), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    const bob = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    t.equal(toHex(crypto.boxPublicKey(bob)), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const kp = crypto.boxKeypair(new Uint8Array(32).fill(7));
    t.same(crypto.boxPublicKey(kp.secretKey), kp.publicKey, 'seeded box key pair is consistent');
  });

  t.test('sealed boxes and AEAD round trip', async (t) => {
    const kp = crypto.boxKeypair();
    const box = crypto.seal(utf8('key'), kp.publicKey);
    t.equal(box.length, 3 + 48);
    t.same(crypto.sealOpen(box, kp.publicKey, kp.secretKey), utf8('key'));
    const key = crypto.randomBytes(32);
    const nonce = crypto.randomBytes(24);
    const ct = crypto.aeadEncrypt(utf8('hello'), utf8('ad'), nonce, key);
    t.equal(ct.length, 5 + 16);
    t.same(crypto.aeadDecrypt(ct, utf8('ad'), nonce, key), utf8('hello'));
    t.equal(crypto.aeadDecrypt(ct, utf8('AD'), nonce, key), null, 'other associated data');
  });

  t.test('sealed boxes interoperate with libsodium, and every box has its own ephemeral key', async (t) => {
    const sodium = (await import('libsodium-wrappers-sumo')).default;
    await sodium.ready;
    const kp = crypto.boxKeypair();
    const ours = crypto.seal(utf8('content key'), kp.publicKey);
    t.same(sodium.crypto_box_seal_open(ours, kp.publicKey, kp.secretKey), utf8('content key'), "libsodium opens the adapter's box");
    const theirs = sodium.crypto_box_seal(utf8('content key'), kp.publicKey);
    t.same(crypto.sealOpen(theirs, kp.publicKey, kp.secretKey), utf8('content key'), "the adapter opens libsodium's box");
    const again = crypto.seal(utf8('content key'), kp.publicKey);
    t.not(toHex(again.subarray(0, 32)), toHex(ours.subarray(0, 32)), 'a fresh ephemeral public key per box');
    t.not(toHex(again), toHex(ours), 'so two boxes of one key differ');
    const other = crypto.boxKeypair();
    t.equal(crypto.sealOpen(ours, other.publicKey, other.secretKey), null, 'another recipient cannot open it');
    const tampered = ours.slice();
    tampered[40]! ^= 1;
    t.equal(crypto.sealOpen(tampered, kp.publicKey, kp.secretKey), null, 'a changed box does not open');
    t.equal(crypto.randomBytes(64).length, 64);
    t.not(toHex(crypto.randomBytes(32)), toHex(crypto.randomBytes(32)), 'random bytes differ between calls');
  });

  t.test('attacker-controlled input yields false/null, never an exception', async (t) => {
    const sk = crypto.signKeypair();
    const sig = crypto.sign(utf8('m'), sk.secretKey);
    t.equal(crypto.verify(sig.subarray(0, 63), utf8('m'), sk.publicKey), false, 'short signature');
    t.equal(crypto.verify(sig, utf8('m'), sk.publicKey.subarray(0, 31)), false, 'short key');
    t.equal(crypto.verify(sig, utf8('m'), new Uint8Array(32)), false, 'small-order key');
    t.equal(crypto.verify(new Uint8Array(64).fill(0xff), utf8('m'), sk.publicKey), false, 'non-canonical S');
    t.equal(crypto.verify('x' as unknown as Uint8Array, utf8('m'), sk.publicKey), false, 'not bytes');

    const kp = crypto.boxKeypair();
    const box = crypto.seal(utf8('k'), kp.publicKey);
    t.equal(crypto.sealOpen(box.subarray(0, 47), kp.publicKey, kp.secretKey), null, 'short box');
    t.equal(crypto.sealOpen(box, kp.publicKey.subarray(1), kp.secretKey), null, 'short public key');
    t.equal(crypto.sealOpen(box, kp.publicKey, new Uint8Array(3)), null, 'short secret key');
    t.equal(crypto.sealOpen(new Uint8Array(80), kp.publicKey, kp.secretKey), null, 'zero box');

    const key = crypto.randomBytes(32);
    const nonce = crypto.randomBytes(24);
    const ct = crypto.aeadEncrypt(utf8('x'), new Uint8Array(0), nonce, key);
    t.equal(crypto.aeadDecrypt(ct.subarray(0, 15), new Uint8Array(0), nonce, key), null, 'shorter than a tag');
    t.equal(crypto.aeadDecrypt(ct, new Uint8Array(0), nonce.subarray(0, 12), key), null, 'IETF 12-byte nonce');
    t.equal(crypto.aeadDecrypt(ct, new Uint8Array(0), nonce, key.subarray(0, 16)), null, 'short key');
    const flipped = ct.slice();
    flipped[0]! ^= 1;
    t.equal(crypto.aeadDecrypt(flipped, new Uint8Array(0), nonce, key), null, 'flipped');
  });

  t.test('programming errors on the sending side throw', async (t) => {
    t.throws(() => crypto.signKeypair(new Uint8Array(31)), RangeError);
    t.throws(() => crypto.sign(utf8('m'), new Uint8Array(32)), RangeError);
    t.throws(() => crypto.seal(utf8('m'), new Uint8Array(31)), RangeError);
    t.throws(() => crypto.aeadEncrypt(utf8('m'), new Uint8Array(0), new Uint8Array(12), new Uint8Array(32)), RangeError);
    t.throws(() => crypto.argon2id(utf8('p'), new Uint8Array(8), crypto.argon2idInteractive), RangeError);
  });

  t.test('argon2id is deterministic and salted; wipe zeroes', async (t) => {
    const params = { opslimit: 1, memlimit: 8 * 1024 * 1024 };
    const salt = new Uint8Array(16).fill(1);
    const a = crypto.argon2id(utf8('pass'), salt, params);
    t.equal(a.length, 32);
    t.same(crypto.argon2id(utf8('pass'), salt, params), a);
    t.notSame(crypto.argon2id(utf8('pass'), new Uint8Array(16), params), a);
    crypto.wipe(a);
    t.ok(a.every((b) => b === 0));
    t.ok(crypto.argon2idModerate.memlimit > crypto.argon2idInteractive.memlimit);
  });
});
}

t.test('the two adapters agree byte for byte, and open each other\'s boxes', async (t) => {
  const js = await loadLibsodiumJs();
  const native = await loadNativeSodium();
  const seed = new Uint8Array(32).fill(9);
  const a = js.signKeypair(seed);
  const b = native.signKeypair(seed);
  t.same(b.publicKey, a.publicKey, 'the same Ed25519 key from one seed');
  t.same(native.sign(utf8('alerte'), b.secretKey), js.sign(utf8('alerte'), a.secretKey), 'the same signature');
  t.ok(js.verify(native.sign(utf8('alerte'), b.secretKey), utf8('alerte'), a.publicKey));
  const kp = js.boxKeypair();
  t.same(native.sealOpen(js.seal(utf8('clé'), kp.publicKey), kp.publicKey, kp.secretKey), utf8('clé'), 'native opens a libsodium.js box');
  t.same(js.sealOpen(native.seal(utf8('clé'), kp.publicKey), kp.publicKey, kp.secretKey), utf8('clé'), 'and the other way round');
  const key = new Uint8Array(32).fill(3);
  const nonce = new Uint8Array(24).fill(4);
  t.same(native.aeadEncrypt(utf8('contenu'), utf8('en-tête'), nonce, key), js.aeadEncrypt(utf8('contenu'), utf8('en-tête'), nonce, key), 'the same AEAD ciphertext');
  const params = { opslimit: 2, memlimit: 8 * 1024 * 1024 };
  t.same(native.argon2id(utf8('phrase'), new Uint8Array(16).fill(5), params), js.argon2id(utf8('phrase'), new Uint8Array(16).fill(5), params), 'the same Argon2id key');
  t.same(native.argon2idModerate, js.argon2idModerate, 'the same "moderate" cost');
  t.same(native.argon2idInteractive, js.argon2idInteractive, 'the same "interactive" cost');
});
