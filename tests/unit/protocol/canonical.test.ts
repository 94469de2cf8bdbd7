import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { canonicalBytes, canonicalize, documentHash, isProtocolError, MAX_CANONICAL_DEPTH } from '../../../protocol/index.js';

const rfc = JSON.parse(readFileSync(new URL('../../vectors/rfc8785.json', import.meta.url), 'utf8'));

function fromIeee754(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

const refused = (t: Test, value: unknown, why: string) =>
  t.throws(() => canonicalize(value), { name: 'ProtocolError', code: 'NOT_CANONICALIZABLE' }, why);

t.test('RFC 8785 Appendix B number serialization', async (t) => {
  t.equal(rfc.numbers.vectors.length, 26);
  for (const v of rfc.numbers.vectors as { ieee754: string; serialized: string | null }[]) {
    const n = fromIeee754(v.ieee754);
    if (v.serialized === null) refused(t, n, v.ieee754);
    else t.equal(canonicalize(n), v.serialized, v.ieee754);
  }
});

t.test('RFC 8785 §3.2.2 sample (escaping, numbers, literals) and its §3.2.4 UTF-8 bytes', async (t) => {
  const sample = rfc.examples[0];
  const value = JSON.parse(sample.input);
  t.equal(canonicalize(value), sample.canonical);
  const hex = Array.from(canonicalBytes(value), (b) => b.toString(16).padStart(2, '0')).join('');
  t.equal(hex, sample.utf8Hex);
});

t.test('RFC 8785 §3.2.3 property sorting by UTF-16 code units', async (t) => {
  const sample = rfc.examples[1];
  const value = JSON.parse(sample.input);
  const out = canonicalize(value);
  t.equal(out, sample.canonical);
  // Read the order from the text: JS objects list integer-like keys ("1") first.
  const values = [...out.matchAll(/":"([^"]*)"/g)].map((m) => m[1]);
  t.same(values, sample.expectedValueOrder, 'values in the RFC’s order');
});

t.test('canonical form is independent of insertion order and whitespace', async (t) => {
  t.equal(canonicalize({ b: 1, a: { d: [3, { z: 0, y: -0 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":0,"z":0}]},"b":1}');
  t.equal(canonicalize(JSON.parse('{ "a" : [ 1 , 2 ] , "b" : "x" }')), canonicalize({ b: 'x', a: [1, 2] }));
  t.equal(canonicalize('\u2028\u0000\u001f"\\/'), '"\u2028\\u0000\\u001f\\"\\\\/"', 'controls escaped lowercase, others verbatim');
  t.equal(canonicalize(Object.assign(Object.create(null), { k: true })), '{"k":true}', 'null-prototype objects are plain');
  const shared = { x: 1 };
  t.equal(canonicalize([shared, shared]), '[{"x":1},{"x":1}]', 'a shared (non-cyclic) reference is fine');
  t.equal(canonicalize('😀'), '"😀"', 'surrogate pairs are kept');
  t.same(canonicalBytes('é'), new Uint8Array([0x22, 0xc3, 0xa9, 0x22]));
});

t.test('values outside the JSON data model are refused', async (t) => {
  refused(t, NaN, 'NaN');
  refused(t, Infinity, 'Infinity');
  refused(t, -Infinity, '-Infinity');
  refused(t, undefined, 'undefined');
  refused(t, { a: undefined }, 'undefined member');
  refused(t, [undefined], 'undefined element');
  refused(t, () => 1, 'function');
  refused(t, { f() {} }, 'method');
  refused(t, Symbol('s'), 'symbol');
  refused(t, { [Symbol('s')]: 1 }, 'symbol key');
  refused(t, 1n, 'bigint');
  refused(t, new Date(0), 'Date');
  refused(t, new Map(), 'Map');
  refused(t, new Uint8Array(2), 'Uint8Array');
  refused(t, new (class Point { x = 1 })(), 'class instance');
  refused(t, new String('boxed'), 'boxed string');
  // eslint-disable-next-line no-sparse-arrays
  refused(t, [1, , 3], 'sparse array');
  refused(t, '\ud800', 'lone high surrogate');
  refused(t, 'a\udc00b', 'lone low surrogate');
  refused(t, '\udc00\ud800', 'reversed pair');
  refused(t, { '\ud83d': 1 }, 'lone surrogate in a key');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = { again: cyclic };
  refused(t, cyclic, 'cycle through an object');
  const cyclicArray: unknown[] = [];
  cyclicArray.push(cyclicArray);
  refused(t, cyclicArray, 'cycle through an array');
});

t.test('nesting is bounded', async (t) => {
  const nest = (depth: number): unknown => {
    let v: unknown = 0;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  t.doesNotThrow(() => canonicalize(nest(MAX_CANONICAL_DEPTH)));
  refused(t, nest(MAX_CANONICAL_DEPTH + 1), 'too deep');
  refused(t, JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 'hostile depth is a typed error, not a RangeError');
});

t.test('errors are typed', async (t) => {
  try {
    canonicalize(NaN);
    t.fail('should throw');
  } catch (err) {
    t.ok(isProtocolError(err, 'NOT_CANONICALIZABLE'));
    t.notOk(isProtocolError(err, 'ENVELOPE_INVALID'));
    t.ok(err instanceof Error);
  }
});

t.test('documentHash: SHA-256 of the canonical form, base64url, whatever the key order or the SHA-256 implementation', async (t) => {
  const { createHash } = await import('node:crypto');
  const { loadSodium } = await import('../../../protocol/sodium.js');
  const crypto = await loadSodium();
  const doc = { type: 'inbox', v: 1, inbox: 'police-laval/dispatch', nom: 'Répartition' };
  const reordered = { nom: 'Répartition', inbox: 'police-laval/dispatch', v: 1, type: 'inbox' };
  const node = (d: Uint8Array) => createHash('sha256').update(d).digest();
  const expected = createHash('sha256').update(canonicalize(doc), 'utf8').digest('base64url');
  t.equal(documentHash(node, doc), expected);
  t.equal(documentHash((d) => crypto.sha256(d), reordered), expected, 'libsodium agrees, on any key order');
  t.not(documentHash(node, { ...doc, v: 2 }), expected, 'another document, another hash');
});
