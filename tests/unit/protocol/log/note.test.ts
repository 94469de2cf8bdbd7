// C2SP signed notes and vkeys against the reference vectors (tests/vectors/signed-note.json):
// golang.org/x/mod/sumdb/note's PeterNeumann/EnochRoot keys and notes, and the
// spec's own example note.
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  addSignatures,
  formatVkey,
  fromB64,
  isSignatureBy,
  keyId,
  loadSodium,
  MAX_NOTE_SIGNATURES,
  parseNote,
  parseSignatureLine,
  parseVkey,
  signNote,
  toHex,
  utf8,
  verifyNoteSignature,
} from '../../../../protocol/index.js';

const vectors = JSON.parse(readFileSync(new URL('../../../vectors/signed-note.json', import.meta.url), 'utf8'));
const go = vectors.goSumdbNote;
const crypto = await loadSodium();
const NOTE_INVALID = { name: 'ProtocolError', code: 'NOTE_INVALID' };
// The Go signer key is PRIVATE+KEY+<name>+<id>+base64(0x01 ‖ 32-byte Ed25519 seed).
const peterSeed = fromB64(go.skey.split('+').slice(4).join('+')).subarray(1);
const peter = crypto.signKeypair(peterSeed);
const peterVkey = parseVkey(crypto, go.vkey);
const enochVkey = parseVkey(crypto, go.enochVkey);

t.test('vkeys: parse, key ID and format round trip', async (t) => {
  t.equal(peterVkey.name, 'PeterNeumann');
  t.equal(peterVkey.type, 0x01);
  t.equal(toHex(peterVkey.keyId), go.keyIdHex);
  t.same(peterVkey.publicKey, peter.publicKey, 'the vkey holds the public key of the Go signer key');
  t.equal(toHex(keyId(crypto, 'PeterNeumann', 1, peter.publicKey)), go.keyIdHex);
  // key ID = SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4], computed by hand.
  const manual = crypto.sha256(new Uint8Array([...utf8('PeterNeumann'), 0x0a, 0x01, ...peter.publicKey])).subarray(0, 4);
  t.equal(toHex(manual), go.keyIdHex);
  t.equal(formatVkey(crypto, 'PeterNeumann', peter.publicKey), go.vkey);
  t.equal(formatVkey(crypto, enochVkey.name, enochVkey.publicKey), go.enochVkey);
});

t.test('vkeys: every substring and every mangled byte is refused (as Go tests NewVerifier)', async (t) => {
  const accepted: string[] = [];
  const b = go.vkey as string;
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      if (i === 0 && j === b.length) continue;
      try {
        parseVkey(crypto, b.slice(i, j));
        accepted.push(b.slice(i, j));
      } catch (e) {
        if ((e as { code?: string }).code !== 'NOTE_INVALID') accepted.push(`threw ${String(e)}`);
      }
    }
  }
  for (let i = 0; i < b.length; i++) {
    const mangled = b.slice(0, i) + String.fromCharCode(b.charCodeAt(i) + 1) + b.slice(i + 1);
    try {
      parseVkey(crypto, mangled);
      accepted.push(mangled);
    } catch (e) {
      if ((e as { code?: string }).code !== 'NOTE_INVALID') accepted.push(`threw ${String(e)}`);
    }
  }
  t.same(accepted, []);
  for (const bad of [...go.badVkeys, 'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'a b+00000000+AQ==', '', 7, null]) {
    t.throws(() => parseVkey(crypto, bad), NOTE_INVALID, String(bad));
  }
  t.throws(() => formatVkey(crypto, 'a+b', peter.publicKey), NOTE_INVALID);
  t.throws(() => formatVkey(crypto, 'name', new Uint8Array(31)), NOTE_INVALID);
  t.throws(() => formatVkey(crypto, 'name', peter.publicKey, 0x02), NOTE_INVALID, 'only types 0x01 and 0x04');
});

t.test('signNote reproduces the Go signed note byte for byte', async (t) => {
  t.equal(signNote(crypto, go.text, { name: 'PeterNeumann', secretKey: peter.secretKey }), go.note);
  t.throws(() => signNote(crypto, 'abc', { name: 'PeterNeumann', secretKey: peter.secretKey }), NOTE_INVALID, 'text without final newline');
  t.throws(() => signNote(crypto, 'a\tb\n', { name: 'PeterNeumann', secretKey: peter.secretKey }), NOTE_INVALID, 'control character');
  t.throws(() => signNote(crypto, 'a\n', { name: 'bad name', secretKey: peter.secretKey }), NOTE_INVALID, 'name with a space');
  t.throws(() => signNote(crypto, 'a\n', { name: 'n', secretKey: peterSeed }), NOTE_INVALID, 'a seed is not a secret key');
});

t.test('parseNote and verifyNoteSignature on the Go notes', async (t) => {
  const note = parseNote(go.note);
  t.equal(note.text, go.text);
  t.equal(note.signatures.length, 1);
  t.equal(note.signatures[0]!.name, 'PeterNeumann');
  t.equal(toHex(note.signatures[0]!.keyId), go.keyIdHex);
  t.equal(note.signatures[0]!.signature.length, 64);
  t.equal(note.signatures[0]!.line, go.note.split('\n')[3]);
  t.ok(verifyNoteSignature(crypto, note, peterVkey));
  t.notOk(verifyNoteSignature(crypto, note, enochVkey), 'no signature by that key');

  const both = addSignatures(go.note, [go.enochLine]);
  t.equal(both, `${go.note}${go.enochLine}\n`);
  t.equal(addSignatures(both, [`${go.enochLine}\n`, go.enochLine]), both, 'adding a line it carries changes nothing');
  const parsed = parseNote(both);
  t.ok(verifyNoteSignature(crypto, parsed, peterVkey));
  t.ok(verifyNoteSignature(crypto, parsed, enochVkey));
  t.ok(isSignatureBy(parsed.signatures[1]!, enochVkey));
  t.notOk(isSignatureBy(parsed.signatures[1]!, peterVkey));
  t.throws(() => addSignatures(go.note, ['— bad line']), NOTE_INVALID);
  t.throws(() => addSignatures('not a note', [go.enochLine]), NOTE_INVALID);
});

t.test('a known key whose signature fails rejects the note; unknown keys are ignored', async (t) => {
  const line = go.note.split('\n')[3] as string;
  const broken = `${line.slice(0, 60)}ABCD${line.slice(64)}`;
  t.notOk(verifyNoteSignature(crypto, parseNote(`${go.text}\n${broken}\n`), peterVkey), 'invalid signature');
  t.notOk(verifyNoteSignature(crypto, parseNote(`${go.note}${broken}\n`), peterVkey), 'one good and one bad signature by the same key');
  const enochBroken = `${go.enochLine.slice(0, 60)}ABCD${go.enochLine.slice(64)}`;
  t.ok(verifyNoteSignature(crypto, parseNote(`${go.note}${enochBroken}\n`), peterVkey), 'a bad signature by another key is ignored');
  const renamed = line.replace('PeterNeumann', 'CarmenSandiego');
  t.notOk(verifyNoteSignature(crypto, parseNote(`${go.text}\n${renamed}\n`), peterVkey), 'same key ID, other name');
  t.notOk(verifyNoteSignature(crypto, parseNote(go.note), { ...peterVkey, type: 0x04 }), 'a cosignature key does not verify note signatures');
  t.notOk(verifyNoteSignature(crypto, null as never, peterVkey), 'never throws');
});

t.test('the C2SP signed-note example parses (text with a blank line inside)', async (t) => {
  const ex = vectors.c2spSignedNote;
  const note = parseNote(ex.note);
  t.equal(note.text, ex.text, 'the text ends at the last blank line');
  t.equal(note.signatures.length, 1);
  t.equal(note.signatures[0]!.name, ex.name);
  t.equal(toHex(note.signatures[0]!.keyId), ex.keyIdHex);
  t.equal(note.signatures[0]!.signature.length, ex.signatureBytes);
});

t.test('malformed notes throw NOTE_INVALID', async (t) => {
  const line = go.note.split('\n')[3] as string;
  const bad: string[] = [
    ...go.badNotes,
    `${go.text}\n${line.replace('— ', '- ')}\n`,
    `${go.text}\n${line.replace('— ', '—  ')}\n`,
    `${go.text}\n${line.replace(' x08', '  x08')}\n`,
    `${go.text}\n${line.replace('=', '')}\n`,
    `${go.text}\n${line}\r\n`,
    `${go.text}\n${line}\n\n`,
    `${go.text}\n— PeterNeumann AAAA\n`,
    `${go.text}\n— Peter+Neumann ${line.split(' ')[2]}\n`,
    `${go.text}\n— Peter\u00a0Neumann ${line.split(' ')[2]}\n`,
    `\ud800${go.note}`,
    `${go.text}\n— PeterNeumann\n`,
    `${go.text}\n—\n`,
    '\n',
    '',
    `${'x'.repeat(256 * 1024)}\n\n${line}\n`,
    `${'é'.repeat(130 * 1024)}\n\n${line}\n`,
    `${go.text}\n${`${line}\n`.repeat(MAX_NOTE_SIGNATURES + 1)}`,
  ];
  for (const note of bad) t.throws(() => parseNote(note), NOTE_INVALID, JSON.stringify(note.slice(0, 40)));
  t.equal(parseNote(`${go.text}\n${`${line}\n`.repeat(MAX_NOTE_SIGNATURES)}`).signatures.length, MAX_NOTE_SIGNATURES, 'at least 16 signatures are accepted, up to 100');
  for (const value of [null, undefined, 42, {}]) t.throws(() => parseNote(value as never), NOTE_INVALID);
  t.throws(() => parseSignatureLine('— a'), NOTE_INVALID);
});
