// C2SP tlog-cosignature (Ed25519, type 0x04): the spec examples, the exact
// byte layout of a cosignature, and the checks a verifier must make.
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  addSignatures,
  concatBytes,
  cosign,
  cosignatureMessage,
  cosignatureTimestamp,
  formatCheckpoint,
  formatSignatureLine,
  formatVkey,
  formatWitnessVkey,
  fromB64,
  fromHex,
  loadSodium,
  parseNote,
  parseSignatureLine,
  parseVkey,
  signNote,
  toHex,
  utf8,
  verifyCosignature,
  verifyNoteSignature,
} from '../../../../protocol/index.js';

const vectors = JSON.parse(readFileSync(new URL('../../../vectors/signed-note.json', import.meta.url), 'utf8'));
const crypto = await loadSodium();
const NOTE_INVALID = { name: 'ProtocolError', code: 'NOTE_INVALID' };

const log = crypto.signKeypair(new Uint8Array(32).fill(1));
const witness = crypto.signKeypair(new Uint8Array(32).fill(2));
const origin = 'vigie.example/log';
const text = formatCheckpoint({ origin, size: 8, rootHash: fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'), extensions: [] });
const checkpointNote = signNote(crypto, text, { name: origin, secretKey: log.secretKey });
const witnessName = 'witness.example/w1';
const witnessVkey = parseVkey(crypto, formatWitnessVkey(crypto, witnessName, witness.publicKey));

t.test('the C2SP examples: signed message, key ID and timestamp', async (t) => {
  const ex = vectors.c2spCosignature;
  const note = parseNote(ex.note);
  t.equal(note.signatures.length, 2);
  const cosig = note.signatures[1]!;
  t.equal(cosig.name, ex.witnessName);
  t.equal(toHex(cosig.keyId), ex.witnessKeyIdHex);
  t.equal(cosig.signature.length, 8 + 64, 'timestamp ‖ Ed25519 signature');
  t.equal(cosignatureTimestamp(cosig.signature), ex.timestamp);
  t.equal(cosignatureMessage(note.text, ex.timestamp), ex.signedMessage, 'the message is the spec example byte for byte');
  // tlog-witness: the request carries the log's note as is, the response is cosignature lines.
  const request = vectors.c2spWitness.requestBody as string;
  const noteStart = request.indexOf('\n\n') + 2;
  t.equal(request.slice(0, noteStart).split('\n')[0], 'old 20852014');
  t.equal(parseNote(request.slice(noteStart)).signatures.length, 2);
  const lines = (vectors.c2spWitness.responseBody as string).split('\n').filter(Boolean).map(parseSignatureLine);
  t.same(lines.map((l) => l.name), ['witness.example/w1', 'witness.example/w1', 'witness.example/w2']);
  t.same(lines.map((l) => l.signature.length), [72, 72, 72]);
});

t.test('cosign writes key ID ‖ uint64be(timestamp) ‖ Ed25519(cosignature/v1 message)', async (t) => {
  const timestamp = 1_700_000_000;
  const line = cosign(crypto, text, { name: witnessName, secretKey: witness.secretKey }, timestamp);
  t.match(line, /^— witness\.example\/w1 [A-Za-z0-9+/]{102}==$/);
  const bytes = fromB64(line.split(' ')[2]!);
  const expectedId = crypto.sha256(concatBytes(utf8(witnessName), new Uint8Array([0x0a, 0x04]), witness.publicKey)).subarray(0, 4);
  t.equal(toHex(bytes.subarray(0, 4)), toHex(expectedId), 'key ID uses signature type 0x04');
  t.equal(toHex(bytes.subarray(4, 12)), '000000006553f100', 'big-endian timestamp');
  const message = utf8(`cosignature/v1\ntime ${timestamp}\n${text}`);
  t.ok(crypto.verify(bytes.subarray(12), message, witness.publicKey), 'Ed25519 over the cosignature/v1 message');
  t.equal(toHex(witnessVkey.keyId), toHex(expectedId));
  t.equal(witnessVkey.type, 0x04);

  const cosigned = parseNote(addSignatures(checkpointNote, [line]));
  t.same(verifyCosignature(crypto, cosigned.text, cosigned.signatures[1]!, witnessVkey), { ok: true, timestamp });
  t.notOk(verifyNoteSignature(crypto, cosigned, witnessVkey), 'a cosignature is not a type 0x01 note signature');
  const big = cosign(crypto, text, { name: witnessName, secretKey: witness.secretKey }, Number.MAX_SAFE_INTEGER);
  t.same(verifyCosignature(crypto, text, parseSignatureLine(big), witnessVkey), { ok: true, timestamp: Number.MAX_SAFE_INTEGER }, 'timestamps up to 2^53 − 1');
});

t.test('verifyCosignature rejects every mismatch and never throws', async (t) => {
  const timestamp = 1_700_000_000;
  const sig = parseSignatureLine(cosign(crypto, text, { name: witnessName, secretKey: witness.secretKey }, timestamp));
  const logVkey = parseVkey(crypto, formatVkey(crypto, origin, log.publicKey));
  const otherText = formatCheckpoint({ origin, size: 9, rootHash: new Uint8Array(32), extensions: [] });
  const shifted = sig.signature.slice();
  shifted[7] = shifted[7]! ^ 1;
  const huge = sig.signature.slice();
  huge[0] = 0x7f;
  const cases: [string, Parameters<typeof verifyCosignature>][] = [
    ['another checkpoint', [crypto, otherText, sig, witnessVkey]],
    ['another timestamp', [crypto, text, { ...sig, signature: shifted }, witnessVkey]],
    ['a timestamp past 2^53', [crypto, text, { ...sig, signature: huge }, witnessVkey]],
    ['another name', [crypto, text, { ...sig, name: 'witness.example/w2' }, witnessVkey]],
    ['another key ID', [crypto, text, { ...sig, keyId: new Uint8Array(4) }, witnessVkey]],
    ['a truncated signature', [crypto, text, { ...sig, signature: sig.signature.subarray(0, 71) }, witnessVkey]],
    ['a type 0x01 vkey', [crypto, text, sig, { ...witnessVkey, type: 0x01 }]],
    ['the log key', [crypto, text, sig, logVkey]],
    ['a text without newline', [crypto, text.slice(0, -1), sig, witnessVkey]],
    ['garbage', [crypto, null as never, null as never, null as never]],
  ];
  for (const [why, args] of cases) t.same(verifyCosignature(...args).ok, false, why);
  t.equal(cosignatureTimestamp(new Uint8Array(71)), null);
});

t.test('argument errors', async (t) => {
  t.throws(() => cosignatureMessage(text, -1), NOTE_INVALID);
  t.throws(() => cosignatureMessage(text, 1.5), NOTE_INVALID);
  t.throws(() => cosignatureMessage('no newline', 1), NOTE_INVALID);
  t.throws(() => cosign(crypto, text, { name: 'bad name', secretKey: witness.secretKey }, 1), NOTE_INVALID);
  t.throws(() => cosign(crypto, text, { name: witnessName, secretKey: new Uint8Array(32) }, 1), NOTE_INVALID);
  t.throws(() => formatSignatureLine('a b', new Uint8Array(4), new Uint8Array(1)), NOTE_INVALID);
});
