import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import {
  associatedData,
  buildEnvelope,
  canonicalBytes,
  EnvelopeSchema,
  fromB64u,
  fromUtf8,
  headerHash,
  isProtocolError,
  loadSodium,
  MAX_CIPHERTEXT_BYTES,
  openEnvelope,
  padContent,
  ProtocolError,
  signingInput,
  toB64u,
  utf8,
  UUID_PATTERN,
  verifyEnvelope,
  verifiedHeaderHash,
  type BuildEnvelopeInput,
  type Envelope,
  type EnvelopeHeader,
} from '../../../protocol/index.js';

const crypto = await loadSodium();
const member = crypto.signKeypair();
const otherMember = crypto.signKeypair();
const shelter = { id: 'shelter-laval/intake', keys: crypto.boxKeypair() };
const police = { id: 'police-laval/dispatch', keys: crypto.boxKeypair() };
const crown = { id: 'dpcp-laval/bail', keys: crypto.boxKeypair() };
const contentKey = crypto.randomBytes(32);

const input = (overrides: Partial<BuildEnvelopeInput> = {}): BuildEnvelopeInput => ({
  type: 'danger_alert',
  urgency: 'immediate',
  sender: { agency: 'shelter-laval', member: '0f8fad5b-d9cb-469f-a165-70867728950e', inbox: shelter.id },
  senderInboxKey: shelter.keys.publicKey,
  senderInboxKeyVersion: 1,
  recipients: [
    { inbox: police.id, encryptionKey: police.keys.publicKey, keyVersion: 3 },
    { inbox: crown.id, encryptionKey: crown.keys.publicKey, keyVersion: 1 },
  ],
  protocol: { id: 'shelter-police-laval', version: 2 },
  legalBasis: { code: 'consent' },
  dataCategories: ['risk_level'],
  content: { text: 'Appel reçu à 2 h', level: 'high' },
  signingSecretKey: member.secretKey,
  contentKey: contentKey.slice(),
  ...overrides,
});
const keysOf = (inbox: { id: string; keys: { publicKey: Uint8Array; secretKey: Uint8Array } }, signingKey = member.publicKey) => ({
  inbox: inbox.id,
  inboxPublicKey: inbox.keys.publicKey,
  inboxSecretKey: inbox.keys.secretKey,
  senderSigningKey: signingKey,
});
const clone = (e: Envelope): Envelope => structuredClone(e);
/** Re-signs a (tampered) header with the genuine sender key: only the deeper checks can catch it. */
const resign = (e: Envelope): Envelope => ({
  ...e,
  signature: toB64u(crypto.sign(signingInput('envelope', e.header), member.secretKey)),
});
/** Replaces the ciphertext by an encryption of arbitrary padded bytes under the real content key, then re-hashes and re-signs. */
const forgeContent = (e: Envelope, padded: Uint8Array): Envelope => {
  const out = clone(e);
  const ct = crypto.aeadEncrypt(padded, associatedData(out.header), fromB64u(out.header.content.nonce), contentKey);
  out.ciphertext = toB64u(ct);
  out.header.content.hash = toB64u(crypto.sha256(ct));
  return resign(out);
};

const genuine = buildEnvelope(crypto, input());

t.test('round trip for every recipient and for the sender’s own inbox', async (t) => {
  t.ok(Value.Check(EnvelopeSchema, genuine), 'matches EnvelopeSchema');
  t.ok(verifyEnvelope(crypto, genuine, member.publicKey));
  t.same(genuine.header.recipients, [police.id, crown.id]);
  t.same(genuine.header.wraps.map((w) => w.inbox), [police.id, crown.id, shelter.id], 'recipients in order, sender last');
  t.same(genuine.header.wraps.map((w) => w.keyVersion), [3, 1, 1], 'each wrap names the version of the key it is sealed to');
  const { keyVersion: _, ...stored } = genuine.header.wraps[0]!;
  t.ok(Value.Check(EnvelopeSchema, { ...genuine, header: { ...genuine.header, wraps: [stored, ...genuine.header.wraps.slice(1)] } }), 'an envelope stored before key versions still reads');
  for (const inbox of [police, crown, shelter]) {
    const opened = openEnvelope(crypto, genuine, keysOf(inbox));
    t.same(opened.content, { text: 'Appel reçu à 2 h', level: 'high' }, inbox.id);
    t.same(opened.header, genuine.header);
  }
  t.match(genuine.header.id, new RegExp(UUID_PATTERN), 'default id is a UUID v4');
  t.match(genuine.header.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.notOk('protocol' in buildEnvelope(crypto, input({ protocol: undefined })).header, 'absent optional fields are omitted');
  t.same(buildEnvelope(crypto, input({ dataCategories: undefined })).header.dataCategories, []);
});

t.test('every content that is JSON round-trips', async (t) => {
  for (const content of [null, 0, -1.5e-7, 'é', [], {}, [1, 'two', { three: [true, false] }], { '': '\u0000' }]) {
    const e = buildEnvelope(crypto, input({ content }));
    t.same(openEnvelope(crypto, e, keysOf(police)).content, content, JSON.stringify(content));
  }
  t.throws(() => buildEnvelope(crypto, input({ content: { at: new Date() } })), { code: 'NOT_CANONICALIZABLE' });
});

t.test('headerHash is SHA-256 of the canonical header', async (t) => {
  t.same(headerHash(crypto, genuine.header), crypto.sha256(canonicalBytes(genuine.header)));
  const reverseKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reverseKeys)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]))
    : v;
  const reordered = reverseKeys(genuine.header) as EnvelopeHeader;
  t.not(JSON.stringify(reordered), JSON.stringify(genuine.header));
  t.same(headerHash(crypto, reordered), headerHash(crypto, genuine.header), 'member order does not matter');
});

t.test('the associated data binds everything but content.hash', async (t) => {
  const ad = new TextDecoder().decode(associatedData(genuine.header));
  t.ok(ad.startsWith('vigie/envelope-ad/v1\n{'));
  t.notMatch(ad, genuine.header.content.hash);
  t.match(ad, genuine.header.content.nonce);
  t.match(ad, genuine.header.wraps[0]!.key);
});

t.test('padding hides the exact length (multiples of 256, always at least one byte)', async (t) => {
  // A JSON string of k characters 'a' has k + 2 canonical bytes.
  for (const [canonicalLength, padded] of [[1, 256], [2, 256], [255, 256], [256, 512], [257, 512], [511, 512], [512, 768]] as const) {
    const content = canonicalLength === 1 ? 0 : 'a'.repeat(canonicalLength - 2);
    t.equal(canonicalBytes(content).length, canonicalLength);
    const e = buildEnvelope(crypto, input({ content }));
    t.equal(fromB64u(e.ciphertext).length, padded + 16, `${canonicalLength} bytes → ${padded}`);
    t.same(openEnvelope(crypto, e, keysOf(police)).content, content);
  }
  const p = padContent(new Uint8Array([1, 2, 3]));
  t.same(Array.from(p.subarray(0, 5)), [1, 2, 3, 0x80, 0]);
  t.ok(p.subarray(4).every((b) => b === 0));
});

t.test('CONTENT_TOO_LARGE at the exact bound', async (t) => {
  const largestPadded = Math.floor((MAX_CIPHERTEXT_BYTES - 16) / 256) * 256; // 261888
  const fits = 'a'.repeat(largestPadded - 1 - 2);
  const e = buildEnvelope(crypto, input({ content: fits }));
  t.equal(fromB64u(e.ciphertext).length, largestPadded + 16);
  t.ok(fromB64u(e.ciphertext).length <= MAX_CIPHERTEXT_BYTES);
  t.ok(Value.Check(EnvelopeSchema, e));
  t.ok(verifyEnvelope(crypto, e, member.publicKey));
  t.throws(() => buildEnvelope(crypto, input({ content: fits + 'a' })), { name: 'ProtocolError', code: 'CONTENT_TOO_LARGE' });
});

t.test('buildEnvelope refuses headers the hub would refuse', async (t) => {
  const r = (inbox: string) => ({ inbox, encryptionKey: police.keys.publicKey, keyVersion: 1 });
  t.throws(() => buildEnvelope(crypto, input({ recipients: [] })), TypeError, 'no recipient');
  t.throws(() => buildEnvelope(crypto, input({ recipients: [r(police.id), r(police.id)] })), TypeError, 'duplicate');
  t.throws(() => buildEnvelope(crypto, input({ recipients: [r(shelter.id)] })), TypeError, 'the sender inbox');
  t.throws(() => buildEnvelope(crypto, input({ recipients: [r('Police/Dispatch')] })), TypeError, 'bad inbox id');
  t.throws(() => buildEnvelope(crypto, input({ id: 'not-a-uuid' })), TypeError, 'bad id');
  t.throws(() => buildEnvelope(crypto, input({ nonce: new Uint8Array(12) })), RangeError, 'short nonce');
  t.throws(() => buildEnvelope(crypto, input({ contentKey: new Uint8Array(16) })), RangeError, 'short key');
  t.same(contentKey, input().contentKey, 'a caller-provided content key is copied, not wiped');
});

// Every way of breaking an envelope, each with whether verifyEnvelope (the hub) can already see it.
const tamperings: [string, (e: Envelope) => unknown, { hubSees: boolean; keys?: ReturnType<typeof keysOf> }][] = [
  ['header field changed (urgency)', (e) => ({ ...e, header: { ...e.header, urgency: 'routine' } }), { hubSees: true }],
  ['header field changed (createdAt)', (e) => ({ ...e, header: { ...e.header, createdAt: '2020-01-01T00:00:00.000Z' } }), { hubSees: true }],
  ['header field added', (e) => ({ ...e, header: { ...e.header, replyTo: '0f8fad5b-d9cb-469f-a165-70867728950e' } }), { hubSees: true }],
  ['nonce changed', (e) => { const c = clone(e); c.header.content.nonce = toB64u(crypto.randomBytes(24)); return c; }, { hubSees: true }],
  ['ciphertext bit flipped', (e) => { const ct = fromB64u(e.ciphertext); ct[10]! ^= 1; return { ...e, ciphertext: toB64u(ct) }; }, { hubSees: true }],
  ['ciphertext truncated', (e) => ({ ...e, ciphertext: toB64u(fromB64u(e.ciphertext).subarray(0, 256)) }), { hubSees: true }],
  ['signature of another member', (e) => ({ ...e, signature: toB64u(crypto.sign(signingInput('envelope', e.header), otherMember.secretKey)) }), { hubSees: true }],
  ['signature flipped', (e) => { const s = fromB64u(e.signature); s[0]! ^= 0x80; return { ...e, signature: toB64u(s) }; }, { hubSees: true }],
  ['signature for another context', (e) => ({ ...e, signature: toB64u(crypto.sign(signingInput('receipt', e.header), member.secretKey)) }), { hubSees: true }],
  ['verified with the wrong sender key', (e) => e, { hubSees: true, keys: keysOf(police, otherMember.publicKey) }],
  ['wrap removed (re-signed)', (e) => { const c = clone(e); c.header.wraps.splice(1, 1); return resign(c); }, { hubSees: true }],
  ['wrap duplicated (re-signed)', (e) => { const c = clone(e); c.header.wraps.push(c.header.wraps[0]!); return resign(c); }, { hubSees: true }],
  ['wrap for a stranger (re-signed)', (e) => { const c = clone(e); c.header.wraps[1]!.inbox = 'spy-agency/desk'; return resign(c); }, { hubSees: true }],
  ['sender wrap missing, recipient duplicated (re-signed)', (e) => { const c = clone(e); c.header.wraps[2]!.inbox = police.id; return resign(c); }, { hubSees: true }],
  ['sender inbox listed as a recipient (re-signed)', (e) => { const c = clone(e); c.header.recipients.push(shelter.id); return resign(c); }, { hubSees: true }],
  ['content hash of other bytes (re-signed)', (e) => { const c = clone(e); c.header.content.hash = toB64u(crypto.sha256(utf8('x'))); return resign(c); }, { hubSees: true }],
  ['not an envelope', () => ({ hello: 'world' }), { hubSees: true }],
  ['null', () => null, { hubSees: true }],
  ['header is a string', (e) => ({ ...e, header: 'x' }), { hubSees: true }],
  ['wrap keys swapped between recipients (re-signed)', (e) => { const c = clone(e); const [a, b] = [c.header.wraps[0]!.key, c.header.wraps[1]!.key]; c.header.wraps[0]!.key = b; c.header.wraps[1]!.key = a; return resign(c); }, { hubSees: false }],
  ['wrong inbox key', (e) => e, { hubSees: false, keys: { ...keysOf(police), inboxPublicKey: crown.keys.publicKey, inboxSecretKey: crown.keys.secretKey } }],
  ['inbox not addressed', (e) => e, { hubSees: false, keys: { ...keysOf(police), inbox: 'other-agency/desk' } }],
  ['header changed, re-signed and re-hashed: AD mismatch', (e) => resign({ ...e, header: { ...e.header, dataCategories: ['contact_details'] } }), { hubSees: false }],
  ['padding without the 0x80 marker', (e) => forgeContent(e, new Uint8Array(256).fill(0x30)), { hubSees: false }],
  ['padding all zeros', (e) => forgeContent(e, new Uint8Array(256)), { hubSees: false }],
  ['more padding than needed', (e) => { const p = new Uint8Array(512); p.set(utf8('{}')); p[2] = 0x80; return forgeContent(e, p); }, { hubSees: false }],
  ['bytes after the padding marker', (e) => { const p = padContent(utf8('{}')); p[200] = 1; return forgeContent(e, p); }, { hubSees: false }],
  ['invalid UTF-8', (e) => forgeContent(e, padContent(new Uint8Array([0x22, 0xc3, 0x22]))), { hubSees: false }],
  ['not JSON', (e) => forgeContent(e, padContent(utf8('{"a":'))), { hubSees: false }],
  ['non-canonical JSON', (e) => forgeContent(e, padContent(utf8('{"b":1,"a":2}'))), { hubSees: false }],
  ['non-canonical number', (e) => forgeContent(e, padContent(utf8('1.0'))), { hubSees: false }],
  ['canonical JSON behind a UTF-8 byte-order mark', (e) => forgeContent(e, padContent(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"a":1}')]))), { hubSees: false }],
];

t.test('every tampering fails with the same opaque ENVELOPE_INVALID', async (t) => {
  const reference = new ProtocolError('ENVELOPE_INVALID');
  for (const [name, tamper, { hubSees, keys }] of tamperings) {
    const forged = tamper(clone(genuine));
    const verifyKey = keys?.senderSigningKey ?? member.publicKey;
    t.equal(verifyEnvelope(crypto, forged, verifyKey), !hubSees, `${name}: verifyEnvelope ${hubSees ? 'refuses' : 'accepts (only the recipient can tell)'}`);
    // What the hub uses: the same verdict, and then the header's hash.
    const hash = verifiedHeaderHash(crypto, forged, verifyKey);
    if (hubSees) t.equal(hash, null, `${name}: verifiedHeaderHash refuses`);
    else t.same(hash, headerHash(crypto, (forged as Envelope).header), `${name}: verifiedHeaderHash is headerHash`);
    try {
      openEnvelope(crypto, forged, keys ?? keysOf(police));
      t.fail(`${name}: should throw`);
    } catch (err) {
      t.ok(isProtocolError(err, 'ENVELOPE_INVALID'), `${name}: ENVELOPE_INVALID`);
      t.equal((err as Error).message, reference.message, `${name}: same message`);
      t.equal((err as Error).cause, undefined, `${name}: no cause to leak`);
    }
  }
  t.ok(verifyEnvelope(crypto, genuine, member.publicKey), 'the genuine envelope was not mutated');
});

t.test('a plaintext that begins with a UTF-8 byte-order mark is refused (wire-format §1), the same plaintext without it opens', async (t) => {
  const plain = forgeContent(clone(genuine), padContent(utf8('{"a":1}')));
  t.same(openEnvelope(crypto, plain, keysOf(police)).content, { a: 1 }, 'without the mark: opens');
  const marked = forgeContent(clone(genuine), padContent(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"a":1}')])));
  t.ok(verifyEnvelope(crypto, marked, member.publicKey), 'the hub cannot tell (it never decrypts)');
  t.throws(() => openEnvelope(crypto, marked, keysOf(police)), new ProtocolError('ENVELOPE_INVALID'), 'with it: the same opaque ENVELOPE_INVALID');
  t.equal(fromUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), '\ufeffa', 'fromUtf8 keeps a leading mark instead of stripping it');
});

t.test('verifyEnvelope never throws on hostile input', async (t) => {
  const hostile: unknown[] = [undefined, 0, 'x', [], { header: {}, signature: 1, ciphertext: [] }];
  const e = clone(genuine) as unknown as Record<string, Record<string, unknown>>;
  hostile.push({ ...e, ciphertext: '!!!' }, { ...e, signature: 'Zh' });
  hostile.push({ ...e, header: { ...e.header, wraps: [null, 1, 'x'] } });
  hostile.push({ ...e, header: { ...e.header, recipients: [1, 2] } });
  hostile.push({ ...e, header: { ...e.header, content: { alg: 'aes', nonce: 1, hash: null } } });
  hostile.push({ ...e, header: { ...e.header, extra: NaN } });
  const cyclic: Record<string, unknown> = { ...e.header };
  cyclic.self = cyclic;
  hostile.push({ ...e, header: cyclic });
  for (const h of hostile) t.equal(verifyEnvelope(crypto, h, member.publicKey), false);
  t.equal(verifyEnvelope(crypto, genuine, new Uint8Array(31)), false, 'short public key');
});
