// Hostile input: thousands of seeded mutations of valid notes, vkeys,
// checkpoints, tile paths, proof bundles and entry bundles. Each parser either
// returns or throws its one typed ProtocolError, never another exception;
// the verifiers never throw at all.
import t from 'tap';
import {
  addSignatures,
  cosign,
  decodeEntryBundle,
  encodeEntryBundle,
  formatCheckpoint,
  formatProofBundle,
  formatVkey,
  formatWitnessVkey,
  isProtocolError,
  leafHash,
  loadSodium,
  parseCheckpoint,
  parseNote,
  parseProofBundle,
  parseTilePath,
  parseVkey,
  signNote,
  utf8,
  verifyConsistency,
  verifyCosignature,
  verifyInclusion,
  verifyNoteSignature,
  verifyProofBundle,
  type ProtocolErrorCode,
} from '../../../../protocol/index.js';

const crypto = await loadSodium();
const ROUNDS = 3000;

let seed = 0x2545f491;
const random = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const SPICE = ['\n', '\n\n', '—', '— ', ' ', '+', '=', '/', '0', 'x', '.p/', '\r', '\u0000', '\ud800', 'é', '\u00a0', 'A'.repeat(200), '9'.repeat(20)];
function mutate(text: string): string {
  let out = text;
  for (let n = 1 + random(3); n > 0; n--) {
    const at = random(out.length + 1);
    switch (random(5)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + random(4));
        break;
      case 1:
        out = out.slice(0, at) + SPICE[random(SPICE.length)]! + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + String.fromCharCode(random(0x80)) + out.slice(at + 1);
        break;
      case 3:
        out = out.slice(0, at);
        break;
      default:
        out = out.slice(0, at) + out.slice(random(out.length + 1));
    }
  }
  return out;
}

type Assert = Pick<typeof t, 'same' | 'ok'>;

function fuzz(t: Assert, what: string, code: ProtocolErrorCode, samples: string[], parse: (s: string) => unknown): void {
  const stray: string[] = [];
  let refused = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const input = mutate(samples[random(samples.length)]!);
    try {
      parse(input);
    } catch (e) {
      if (isProtocolError(e, code)) refused += 1;
      else stray.push(`${JSON.stringify(input.slice(0, 80))}: ${String(e)}`);
    }
  }
  t.same(stray, [], `${what}: only ${code}`);
  t.ok(refused > ROUNDS / 4, `${what}: ${refused} of ${ROUNDS} mutations refused`);
}

const origin = 'vigie.example/log';
const logKeys = crypto.signKeypair(new Uint8Array(32).fill(7));
const witnessKeys = crypto.signKeypair(new Uint8Array(32).fill(8));
const vkey = formatVkey(crypto, origin, logKeys.publicKey);
const witnessVkey = formatWitnessVkey(crypto, 'witness.example/w1', witnessKeys.publicKey);
const leaf = utf8('{"kind":"message.accepted"}');
const text = formatCheckpoint({ origin, size: 1, rootHash: leafHash(crypto, leaf), extensions: [] });
const note = addSignatures(signNote(crypto, text, { name: origin, secretKey: logKeys.secretKey }), [
  cosign(crypto, text, { name: 'witness.example/w1', secretKey: witnessKeys.secretKey }, 1_700_000_000),
]);
const bundle = formatProofBundle({ index: 0, leafData: leaf, proof: [], checkpointNote: note });
const bigBundle = formatProofBundle({ index: 5, proof: [leafHash(crypto, leaf), leafHash(crypto, new Uint8Array())], checkpointNote: note });

t.test('notes', async (t) => fuzz(t, 'parseNote', 'NOTE_INVALID', [note], parseNote));
t.test('vkeys', async (t) => fuzz(t, 'parseVkey', 'NOTE_INVALID', [vkey, witnessVkey], (s) => parseVkey(crypto, s)));
t.test('checkpoints', async (t) => fuzz(t, 'parseCheckpoint', 'CHECKPOINT_INVALID', [text, `${text}ext\n`], parseCheckpoint));
t.test('tile paths', async (t) =>
  fuzz(t, 'parseTilePath', 'TILE_PATH_INVALID', ['tile/0/x001/x234/067', 'tile/entries/273.p/112', 'tile/2/000.p/1'], parseTilePath),
);
t.test('proof bundles', async (t) => fuzz(t, 'parseProofBundle', 'PROOF_INVALID', [bundle, bigBundle], parseProofBundle));

t.test('entry bundles', async (t) => {
  const good = encodeEntryBundle([leaf, new Uint8Array(300), new Uint8Array(0)]);
  const stray: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const bytes = good.slice(0, random(good.length + 1));
    for (let n = random(3); n > 0; n--) bytes[random(bytes.length || 1)] = random(256);
    try {
      decodeEntryBundle(bytes);
    } catch (e) {
      if (!isProtocolError(e, 'ENTRY_BUNDLE_INVALID')) stray.push(String(e));
    }
  }
  t.same(stray, []);
});

t.test('verifiers never throw on mutated input', async (t) => {
  const parsedVkey = parseVkey(crypto, vkey);
  const parsedWitness = parseVkey(crypto, witnessVkey);
  const thrown: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const mutated = mutate(note);
    let parsed;
    try {
      parsed = parseNote(mutated);
    } catch {
      continue;
    }
    try {
      verifyNoteSignature(crypto, parsed, parsedVkey);
      for (const s of parsed.signatures) verifyCosignature(crypto, parsed.text, s, parsedWitness);
      verifyProofBundle(crypto, { index: 0, proof: [], checkpointNote: mutated }, { leafData: leaf, logVkey: parsedVkey, witnessVkeys: [parsedWitness], quorum: 1 });
    } catch (e) {
      thrown.push(String(e));
    }
  }
  const hostile = [undefined, null, 0, 'x', [], {}, { length: 32 }, new Uint8Array(32), [new Uint8Array(5)], NaN, -1, 2 ** 60];
  for (const a of hostile) {
    for (const b of hostile) {
      try {
        verifyInclusion(crypto, { index: a, size: b, leafHash: a, proof: b, root: a } as never);
        verifyConsistency(crypto, { oldSize: a, newSize: b, oldRoot: a, newRoot: b, proof: a } as never);
        verifyNoteSignature(crypto, a as never, b as never);
        verifyCosignature(crypto, a as never, b as never, a as never);
        verifyProofBundle(crypto, a as never, b as never);
      } catch (e) {
        thrown.push(String(e));
      }
    }
  }
  t.same(thrown, []);
});
