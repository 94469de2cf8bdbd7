// Standard padded base64 (RFC 4648 §4) and hex, the encodings of the C2SP
// log formats: RFC 4648 §10 vectors, round trips, and strict canonical decoding.
import t from 'tap';
import { fromB64, fromHex, fromUtf8, toB64, toHex, utf8 } from '../../../../protocol/index.js';

t.test('RFC 4648 §10 vectors', async (t) => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [text, encoded] of vectors) {
    t.equal(toB64(utf8(text)), encoded);
    t.equal(fromUtf8(fromB64(encoded)), text);
  }
  t.equal(toB64(new Uint8Array([0xfb, 0xff, 0xbf])), '+/+/', 'standard alphabet');
});

t.test('round trip of every length, and agreement with the platform encoder', async (t) => {
  for (let n = 0; n <= 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 53 + n * 7) & 0xff);
    const text = toB64(bytes);
    t.equal(text, Buffer.from(bytes).toString('base64'), `length ${n}`);
    t.same(fromB64(text), bytes);
  }
});

t.test('strict decoding', async (t) => {
  for (const bad of ['Zg', 'Zg=', 'Zh==', 'Zm9=x', 'Zm9w=', '====', 'Zg==Zg==', 'Zm-v', 'Zm_v', 'Zm9 v', 'Zm9v\n', 'Zm8=\n', '=Zm8', 'Zm=8', 'é===']) {
    t.throws(() => fromB64(bad), { code: 'INVALID_ENCODING' }, JSON.stringify(bad));
  }
  t.throws(() => fromB64(null as never), { code: 'INVALID_ENCODING' });
});

t.test('hex', async (t) => {
  t.equal(toHex(new Uint8Array([0, 1, 0xab, 0xff])), '0001abff');
  t.same(fromHex('0001ABff'), new Uint8Array([0, 1, 0xab, 0xff]));
  for (const bad of ['0', 'zz', '0x00', ' 00']) t.throws(() => fromHex(bad), { code: 'INVALID_ENCODING' }, bad);
});
