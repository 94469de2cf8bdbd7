// What Debian's sigsum-witness (sigsum-go 0.11.1) checks, reproduced from its
// published source against answers its own tools gave (tests/vectors/sigsum.json),
// so that the interoperability holds where the binary is not installed
// (tests/e2e/sigsum-witness.test.ts runs the binary itself):
// - origin: types.SigsumCheckpointOrigin = "sigsum.org/v1/tree/" + hex(SHA-256(log key));
// - log signature: checkpoint.Verify needs a line named by the origin whose key ID is
//   NewLogKeyId(origin, key) = SHA-256(origin ‖ 0x0A ‖ 0x01 ‖ key)[:4], over "origin\nsize\nroot\n"
//   (no extension line: Checkpoint.Parse wants the blank line right after the root hash);
// - cosignature: "— sigsum.org/v1/witness/<hex SHA-256(witness key)> base64(key ID ‖ uint64 time ‖ sig)",
//   key ID = NewWitnessKeyId(name, key) (type 0x04), signed message "cosignature/v1\ntime T\n" + checkpoint body.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { fromB64, fromHex, toHex } from '../../../../protocol/encoding.js';
import { parseCheckpoint } from '../../../../protocol/log/checkpoint.js';
import { cosignatureTimestamp, verifyCosignature } from '../../../../protocol/log/cosignature.js';
import { formatVkey, isSignatureBy, parseNote, parseSignatureLine, parseVkey, verifyNoteSignature } from '../../../../protocol/log/note.js';
import { sigsumOrigin, sigsumWitnessName, sigsumWitnessVkey, sshEd25519PublicKey } from '../../../../protocol/log/sigsum.js';
import { loadSodium } from '../../../../protocol/sodium.js';

const crypto = await loadSodium();
const v = JSON.parse(readFileSync(new URL('../../../vectors/sigsum.json', import.meta.url), 'utf8')) as {
  log: { ssh: string; hex: string; hash: string; origin: string; vkey: string };
  witness: { ssh: string; hex: string; hash: string; name: string; vkey: string };
  checkpoint: string;
  cosignature: string;
};

t.test('names and keys as sigsum-key derives them', async (t) => {
  const logKey = fromHex(v.log.hex);
  const witnessKey = fromHex(v.witness.hex);
  t.equal(toHex(crypto.sha256(logKey)), v.log.hash, 'sigsum-key to-hash');
  t.equal(sigsumOrigin(crypto, logKey), v.log.origin);
  t.equal(formatVkey(crypto, sigsumOrigin(crypto, logKey), logKey), v.log.vkey, 'sigsum-key to-vkey (log): the Vigie hub’s vkey under a Sigsum origin');
  t.equal(sshEd25519PublicKey(logKey), v.log.ssh, 'the OpenSSH key sigsum-witness --log-key reads (sigsum-key adds a comment)');
  t.equal(sshEd25519PublicKey(witnessKey), v.witness.ssh);
  t.equal(sigsumWitnessName(crypto, witnessKey), v.witness.name);
  t.equal(sigsumWitnessVkey(crypto, witnessKey), v.witness.vkey, 'sigsum-key to-vkey -t cosignature/v1: what VIGIE_WITNESSES names');
  t.equal(parseVkey(crypto, v.witness.vkey).type, 0x04);
  t.throws(() => sigsumOrigin(crypto, logKey.slice(1)), { code: 'NOTE_INVALID' });
});

t.test('a Vigie checkpoint passes sigsum-witness’s checks, and its cosignature verifies in Vigie', async (t) => {
  const note = parseNote(v.checkpoint);
  const checkpoint = parseCheckpoint(note.text);
  t.equal(checkpoint.origin, v.log.origin, 'origin line in Sigsum form');
  t.same(checkpoint.extensions, [], 'no extension line');
  t.equal(note.text, `${v.log.origin}\n${checkpoint.size}\n${note.text.split('\n')[2]}\n`, 'the signed body is origin, size and root only');
  const logVkey = parseVkey(crypto, v.log.vkey);
  const line = note.signatures.find((s) => s.name === v.log.origin)!;
  t.ok(isSignatureBy(line, logVkey), 'its line carries the key ID NewLogKeyId(origin, key)');
  t.ok(verifyNoteSignature(crypto, note, logVkey));

  const witnessVkey = parseVkey(crypto, v.witness.vkey);
  const sig = parseSignatureLine(v.cosignature);
  t.equal(sig.name, v.witness.name);
  t.equal(sig.signature.length, 8 + 64, 'timestamp and Ed25519 signature after the key ID');
  t.ok((cosignatureTimestamp(sig.signature) ?? 0) > 1_700_000_000, 'POSIX seconds');
  t.ok(verifyCosignature(crypto, note.text, sig, witnessVkey).ok, 'Vigie accepts sigsum-witness’s cosignature');
  t.notOk(verifyCosignature(crypto, note.text.replace('\n7\n', '\n8\n'), sig, witnessVkey).ok, 'over that checkpoint only');
  const other = parseVkey(crypto, formatVkey(crypto, 'witness.example/w1', fromB64(v.witness.vkey.split('+').slice(2).join('+')).slice(1), 0x04));
  t.notOk(isSignatureBy(sig, other), 'the key ID commits to the name: the same key under another name is another witness');
});
