import t, { type Test } from 'tap';
import { isProtocolError, loadSodium, toB64u, unwrapInboxKey, wrapInboxKey, fromB64u } from '../../../protocol/index.js';

const crypto = await loadSodium();
const inbox = crypto.boxKeypair();
const device = crypto.boxKeypair();
const otherDevice = crypto.boxKeypair();

const invalid = (t: Test, fn: () => unknown, why: string) => {
  try {
    fn();
    t.fail(`${why}: should throw`);
  } catch (err) {
    t.ok(isProtocolError(err, 'INBOX_KEY_INVALID'), why);
  }
};

t.test('wrap and unwrap an inbox key', async (t) => {
  const wrap = wrapInboxKey(crypto, inbox.secretKey, device.publicKey);
  t.equal(fromB64u(wrap).length, 80);
  t.same(unwrapInboxKey(crypto, wrap, device, inbox.publicKey), inbox.secretKey);
  t.not(wrapInboxKey(crypto, inbox.secretKey, device.publicKey), wrap, 'sealed boxes are randomized');
});

t.test('refusals are INBOX_KEY_INVALID', async (t) => {
  const wrap = wrapInboxKey(crypto, inbox.secretKey, device.publicKey);
  invalid(t, () => unwrapInboxKey(crypto, wrap, otherDevice, inbox.publicKey), 'another device');
  const impostor = crypto.boxKeypair();
  const swapped = wrapInboxKey(crypto, impostor.secretKey, device.publicKey);
  invalid(t, () => unwrapInboxKey(crypto, swapped, device, inbox.publicKey), 'a key that is not the certified one');
  invalid(t, () => unwrapInboxKey(crypto, 'not*base64', device, inbox.publicKey), 'malformed');
  invalid(t, () => unwrapInboxKey(crypto, wrap.slice(0, 40), device, inbox.publicKey), 'truncated');
  const flipped = fromB64u(wrap);
  flipped[50]! ^= 1;
  invalid(t, () => unwrapInboxKey(crypto, toB64u(flipped), device, inbox.publicKey), 'flipped');
  const wrongLength = toB64u(crypto.seal(new Uint8Array(31), device.publicKey));
  invalid(t, () => unwrapInboxKey(crypto, wrongLength, device, inbox.publicKey), 'not 32 bytes');
  t.throws(() => wrapInboxKey(crypto, new Uint8Array(64), device.publicKey), RangeError, 'only 32-byte X25519 secret keys');
});
