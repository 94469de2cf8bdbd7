// C2SP tlog-proof bundles: exact text layout, round trip, offline
// verification (log signature, origin, witness quorum, inclusion), and strict
// refusal of malformed bundles with PROOF_INVALID.
import t from 'tap';
import {
  addSignatures,
  appendNodes,
  cosign,
  formatCheckpoint,
  formatProofBundle,
  formatVkey,
  formatWitnessVkey,
  inclusionProof,
  leafHash,
  loadSodium,
  parseProofBundle,
  parseVkey,
  rootFromNodes,
  signNote,
  toB64,
  utf8,
  verifyProofBundle,
} from '../../../../protocol/index.js';

const crypto = await loadSodium();
const INVALID = { name: 'ProtocolError', code: 'PROOF_INVALID' };
const origin = 'vigie.example/log';
const logKeys = crypto.signKeypair(new Uint8Array(32).fill(3));
const logVkey = parseVkey(crypto, formatVkey(crypto, origin, logKeys.publicKey));
const witnesses = [4, 5, 6].map((b, i) => {
  const keys = crypto.signKeypair(new Uint8Array(32).fill(b));
  const name = `witness.example/w${i + 1}`;
  return { name, secretKey: keys.secretKey, vkey: parseVkey(crypto, formatWitnessVkey(crypto, name, keys.publicKey)) };
});

const leaves = Array.from({ length: 13 }, (_, i) => utf8(JSON.stringify({ kind: 'message.accepted', n: i })));
const nodes = new Map<string, Uint8Array>();
for (const n of appendNodes(crypto, 0, leaves.map((l) => leafHash(crypto, l)), () => new Uint8Array())) nodes.set(`${n.level}/${n.index}`, n.hash);
const get = (level: number, index: number) => nodes.get(`${level}/${index}`)!;
const text = formatCheckpoint({ origin, size: 13, rootHash: rootFromNodes(crypto, 13, get), extensions: [] });
const signed = signNote(crypto, text, { name: origin, secretKey: logKeys.secretKey });
// Two of the three witnesses cosign.
const cosigned = addSignatures(signed, witnesses.slice(0, 2).map((w) => cosign(crypto, text, w, 1_700_000_000)));
const proof = inclusionProof(crypto, 9, 13, get);

t.test('layout and round trip', async (t) => {
  const bundle = formatProofBundle({ index: 9, proof, checkpointNote: cosigned });
  const lines = bundle.split('\n');
  t.equal(lines[0], 'c2sp.org/tlog-proof@v1');
  t.equal(lines[1], 'index 9');
  t.same(lines.slice(2, 2 + proof.length), proof.map(toB64));
  t.equal(lines[2 + proof.length], '', 'an empty line before the checkpoint');
  t.equal(bundle.slice(bundle.indexOf('\n\n') + 2), cosigned, 'the checkpoint is included verbatim');
  t.same(parseProofBundle(bundle), { index: 9, proof, checkpointNote: cosigned });
  const withExtra = formatProofBundle({ index: 9, leafData: leaves[9]!, proof, checkpointNote: cosigned });
  t.equal(withExtra.split('\n')[1], `extra ${toB64(leaves[9]!)}`, 'leaf data goes in the extra line');
  t.same(parseProofBundle(withExtra).leafData, leaves[9]);
  t.equal(formatProofBundle(parseProofBundle(withExtra)), withExtra);
  const empty = formatProofBundle({ index: 0, leafData: new Uint8Array(0), proof: [], checkpointNote: signed });
  t.ok(empty.startsWith('c2sp.org/tlog-proof@v1\nextra \nindex 0\n\n'), 'empty extra data and an empty proof');
  t.same(parseProofBundle(empty).leafData, new Uint8Array(0));
});

t.test('verification: signature, origin, quorum and inclusion', async (t) => {
  const bundle = parseProofBundle(formatProofBundle({ index: 9, proof, checkpointNote: cosigned }));
  const ok = verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey });
  t.equal(ok.ok, true);
  t.equal(ok.checkpoint?.size, 13);
  const wv = witnesses.map((w) => w.vkey);
  t.equal(verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey, witnessVkeys: wv, quorum: 2 }).ok, true, '2 of 3 witnesses cosigned');
  t.equal(verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey, witnessVkeys: wv, quorum: 3 }).ok, false, 'not 3');
  t.equal(verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey, witnessVkeys: [wv[0]!, wv[0]!], quorum: 2 }).ok, false, 'a witness listed twice counts once');
  t.equal(verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey, quorum: 1 }).ok, false, 'a quorum without witnesses fails');
  const forgedCosig = cosigned.replace(/(— witness\.example\/w1 \S{20})\S/, (_, head) => `${head}${head.endsWith('A') ? 'B' : 'A'}`);
  t.equal(verifyProofBundle(crypto, { ...bundle, checkpointNote: forgedCosig }, { leafData: leaves[9]!, logVkey, witnessVkeys: wv, quorum: 2 }).ok, false, 'a broken cosignature does not count');

  t.same(
    verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey, witnessVkeys: wv, quorum: 3 }),
    { ok: false, checkpoint: ok.checkpoint, cosignatures: 2, problem: 'QUORUM', reason: '2 of 3 required witness cosignatures' },
    'the quorum refusal counts the cosignatures that verified',
  );

  const refusals: [string, ReturnType<typeof verifyProofBundle>, string][] = [
    ['another leaf', verifyProofBundle(crypto, bundle, { leafData: leaves[8]!, logVkey }), 'NOT_INCLUDED'],
    ['another index', verifyProofBundle(crypto, { ...bundle, index: 8 }, { leafData: leaves[9]!, logVkey }), 'NOT_INCLUDED'],
    ['a shortened proof', verifyProofBundle(crypto, { ...bundle, proof: bundle.proof.slice(1) }, { leafData: leaves[9]!, logVkey }), 'NOT_INCLUDED'],
    ['another log key', verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey: witnesses[0]!.vkey }), 'SIGNATURE'],
    ['another origin', verifyProofBundle(crypto, bundle, { leafData: leaves[9]!, logVkey, origin: 'other.example/log' }), 'ORIGIN'],
    ['an unsigned checkpoint', verifyProofBundle(crypto, { ...bundle, checkpointNote: `${text}\n${cosigned.split('\n').slice(-3, -1).join('\n')}\n` }, { leafData: leaves[9]!, logVkey }), 'SIGNATURE'],
    ['garbage', verifyProofBundle(crypto, { index: 0, proof: [], checkpointNote: 'x' }, { leafData: leaves[9]!, logVkey }), 'MALFORMED'],
    ['null', verifyProofBundle(crypto, null as never, null as never), 'MALFORMED'],
  ];
  for (const [why, verdict, problem] of refusals) {
    t.equal(verdict.ok, false, why);
    t.equal(verdict.problem, problem, `${why}: ${problem}`);
    t.type(verdict.reason, 'string', `${why}: says why`);
  }
});

t.test('malformed bundles throw PROOF_INVALID', async (t) => {
  const good = formatProofBundle({ index: 9, proof, checkpointNote: cosigned });
  const [header, , ...rest] = good.split('\n');
  const bad = [
    '',
    'c2sp.org/tlog-proof@v1',
    good.replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v2'),
    good.replace('index 9', 'index 09'),
    good.replace('index 9', 'index -9'),
    good.replace('index 9', 'index 9 '),
    good.replace('index 9', 'index'),
    good.replace('index 9', 'index 99999999999999999'),
    good.replace('index 9\n', ''),
    good.replace('index 9', 'extra !!!\nindex 9'),
    good.replace('index 9', 'extra AA\nindex 9'),
    [header, 'index 9', toB64(new Uint8Array(31)), '', cosigned].join('\n'),
    [header, 'index 9', toB64(new Uint8Array(33)), '', cosigned].join('\n'),
    [header, 'index 9', ...Array(64).fill(toB64(proof[0]!)), '', cosigned].join('\n'),
    [header, 'index 9', ...rest].join('\r\n'),
    good.replace(/\n\n/, '\n'),
    good.slice(0, -1),
    good.replace(cosigned, 'not a note\n'),
    `${good}\n`,
    // The spec's example elides signature bytes with "[...]".
    'c2sp.org/tlog-proof@v1\nindex 73894\ngSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n\nexample.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n— example.com/fancylog hI2DJw[...]1roloI=\n',
  ];
  for (const text of bad) t.throws(() => parseProofBundle(text), INVALID, JSON.stringify(text.slice(0, 50)));
  for (const value of [null, undefined, 5, {}]) t.throws(() => parseProofBundle(value as never), INVALID);
  t.throws(() => formatProofBundle({ index: -1, proof, checkpointNote: cosigned }), INVALID);
  t.throws(() => formatProofBundle({ index: 1, proof: [new Uint8Array(31)], checkpointNote: cosigned }), INVALID);
  t.throws(() => formatProofBundle({ index: 1, proof, checkpointNote: text }), INVALID, 'an unsigned checkpoint is not a note');
});
