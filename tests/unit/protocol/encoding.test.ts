import t from 'tap';
import { b64uByteLength, bytesEqual, concatBytes, EncodingError, fromB64u, fromUtf8, toB64u, utf8 } from '../../../protocol/index.js';

t.test('RFC 4648 §10 vectors, base64url without padding', async (t) => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [text, encoded] of vectors) {
    t.equal(toB64u(utf8(text)), encoded);
    t.equal(fromUtf8(fromB64u(encoded)), text);
  }
  t.equal(toB64u(new Uint8Array([0xfb, 0xff, 0xbf])), '-_-_', 'url-safe alphabet');
});

t.test('round trip of every length and byte value', async (t) => {
  for (let n = 0; n <= 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 0xff);
    const text = toB64u(bytes);
    t.match(text, /^[A-Za-z0-9_-]*$/);
    t.equal(text.length, Math.ceil((n * 4) / 3));
    t.same(fromB64u(text), bytes, `length ${n}`);
    t.equal(b64uByteLength(text), n, `b64uByteLength of length ${n}`);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  t.same(fromB64u(toB64u(all)), all);
});

t.test('rejects padding, other alphabets, bad lengths and non-canonical trailing bits', async (t) => {
  const bad = [
    'Zg==', // padding
    'Zg=',
    'Zm9v=',
    'Zm+v', // standard alphabet
    'Zm/v',
    'Zm9 v', // whitespace
    'Zm9v\n',
    'Z', // 4n+1 characters cannot encode bytes
    'Zm9vY',
    'Zh', // 'f' with non-zero unused bits (canonical: 'Zg')
    'Zm9', // 'fo' is 'Zm8'
    'Zm9vYmF', // 'foob' + bits; 'fooba' is 'Zm9vYmE'
    'Zé',
  ];
  const rejected = (text: unknown): boolean => {
    try {
      fromB64u(text as string);
      return false;
    } catch (err) {
      return err instanceof EncodingError && err.code === 'INVALID_ENCODING';
    }
  };
  for (const text of bad) t.ok(rejected(text), JSON.stringify(text));
  t.ok(rejected(42), 'non-string');
  // b64uByteLength refuses exactly what fromB64u refuses, without decoding.
  for (const text of [...bad, 42, null]) t.equal(b64uByteLength(text), -1, `b64uByteLength(${JSON.stringify(text)})`);
});

t.test('utf8 is strict', async (t) => {
  t.same(utf8('é€'), new Uint8Array([0xc3, 0xa9, 0xe2, 0x82, 0xac]));
  t.throws(() => fromUtf8(new Uint8Array([0xc3])), 'truncated sequence');
  t.throws(() => fromUtf8(new Uint8Array([0xed, 0xa0, 0x80])), 'encoded surrogate');
  t.throws(() => fromUtf8(new Uint8Array([0xc0, 0xaf])), 'overlong');
});

t.test('concatBytes and bytesEqual', async (t) => {
  t.same(concatBytes(new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3])), new Uint8Array([1, 2, 3]));
  t.ok(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  t.notOk(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
  t.notOk(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0])));
});
