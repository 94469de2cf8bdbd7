// C2SP tlog-checkpoint: the spec example, round trips, and strict refusal of
// everything else with CHECKPOINT_INVALID.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { emptyRoot, formatCheckpoint, formatVkey, fromHex, loadSodium, parseCheckpoint, parseNote, parseVkey, signNote, toB64, toHex, verifyNoteSignature } from '../../../../protocol/index.js';

const vectors = JSON.parse(readFileSync(new URL('../../../vectors/signed-note.json', import.meta.url), 'utf8'));
const rfc6962 = JSON.parse(readFileSync(new URL('../../../vectors/rfc6962.json', import.meta.url), 'utf8'));
const crypto = await loadSodium();
const INVALID = { name: 'ProtocolError', code: 'CHECKPOINT_INVALID' };

t.test('the C2SP checkpoint example', async (t) => {
  const ex = vectors.c2spCheckpoint;
  const note = parseNote(ex.note);
  const cp = parseCheckpoint(note.text);
  t.equal(cp.origin, ex.origin);
  t.equal(cp.size, ex.size);
  t.equal(toB64(cp.rootHash), ex.rootHash);
  t.same(cp.extensions, []);
  t.equal(formatCheckpoint(cp), note.text, 'format(parse(text)) is the text');
  t.equal(toHex(note.signatures[0]!.keyId), ex.logKeyIdHex);
  t.equal(note.signatures[0]!.name, cp.origin, 'the log key name matches the origin');
});

t.test('a signed checkpoint of our own tree round-trips and verifies', async (t) => {
  const keys = crypto.signKeypair(new Uint8Array(32).fill(9));
  const origin = 'vigie.example/log';
  const rootHash = fromHex(rfc6962.roots[7]);
  const text = formatCheckpoint({ origin, size: 8, rootHash, extensions: [] });
  t.equal(text, 'vigie.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n');
  const note = signNote(crypto, text, { name: origin, secretKey: keys.secretKey });
  t.ok(verifyNoteSignature(crypto, parseNote(note), parseVkey(crypto, formatVkey(crypto, origin, keys.publicKey))));
  const withExtensions = formatCheckpoint({ origin, size: 8, rootHash, extensions: ['ext one', '— not a signature'] });
  t.same(parseCheckpoint(withExtensions).extensions, ['ext one', '— not a signature']);
  t.same(parseCheckpoint(formatCheckpoint({ origin, size: 0, rootHash: emptyRoot(crypto), extensions: [] })).size, 0, 'the empty tree is size 0');
  t.equal(parseCheckpoint(`${origin}\n9007199254740991\n${toB64(rootHash)}\n`).size, Number.MAX_SAFE_INTEGER);
  t.equal(parseCheckpoint(`origin with spaces+plus\n1\n${toB64(rootHash)}\n`).origin, 'origin with spaces+plus', 'origins are not assumed to be URLs');
});

t.test('malformed checkpoints throw CHECKPOINT_INVALID', async (t) => {
  const h = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
  const bad = [
    '',
    'o\n1\n',
    `o\n1\n${h}`,
    `\n1\n${h}\n`,
    `o\n01\n${h}\n`,
    `o\n00\n${h}\n`,
    `o\n-1\n${h}\n`,
    `o\n+1\n${h}\n`,
    `o\n1e3\n${h}\n`,
    `o\n 1\n${h}\n`,
    `o\n1 \n${h}\n`,
    `o\n0x10\n${h}\n`,
    `o\n9007199254740992\n${h}\n`,
    `o\n99999999999999999999\n${h}\n`,
    `o\n\n${h}\n`,
    `o\n1\n${h.slice(0, -1)}\n`,
    `o\n1\n${h.replace(/=$/, '')}\n`,
    `o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n`,
    `o\n1\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n`,
    `o\n1\n${toB64(new Uint8Array(31))}\n`,
    `o\n1\n${toB64(new Uint8Array(33))}\n`,
    `o\n1\n${h}\n\n`,
    `o\n1\n${h}\next\n\n`,
    `o\r\n1\n${h}\n`,
    `o\n1\r\n${h}\n`,
    `o\n1\n${h}\r\n`,
    `o\u0000\n1\n${h}\n`,
    `\udc00\n1\n${h}\n`,
    `o\n1\n${h}\n${'x'.repeat(70_000)}\n`,
  ];
  for (const text of bad) t.throws(() => parseCheckpoint(text), INVALID, JSON.stringify(text.slice(0, 60)));
  for (const value of [null, undefined, 1, {}]) t.throws(() => parseCheckpoint(value as never), INVALID);
  const rootHash = fromHex(rfc6962.roots[0]);
  for (const cp of [
    { origin: '', size: 1, rootHash, extensions: [] },
    { origin: 'a\nb', size: 1, rootHash, extensions: [] },
    { origin: 'o', size: -1, rootHash, extensions: [] },
    { origin: 'o', size: 1.5, rootHash, extensions: [] },
    { origin: 'o', size: 2 ** 53, rootHash, extensions: [] },
    { origin: 'o', size: 1, rootHash: new Uint8Array(31), extensions: [] },
    { origin: 'o', size: 1, rootHash, extensions: [''] },
    { origin: 'o', size: 1, rootHash, extensions: ['a\nb'] },
  ]) {
    t.throws(() => formatCheckpoint(cp), INVALID, JSON.stringify({ ...cp, rootHash: cp.rootHash.length }));
  }
});
