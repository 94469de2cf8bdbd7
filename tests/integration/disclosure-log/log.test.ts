// The disclosure log: every event a leaf, checkpoints signed and verifiable,
// tiles and proofs per C2SP and RFC 6962, acceptance proofs that verify offline.
import t from 'tap';
import pg from 'pg';
import { fromB64, utf8 } from '../../../protocol/encoding.js';
import { parseCheckpoint } from '../../../protocol/log/checkpoint.js';
import { leafCommitment, verifyLeafRecord } from '../../../protocol/log/commitment.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../../protocol/log/merkle.js';
import { parseNote, parseVkey, verifyNoteSignature } from '../../../protocol/log/note.js';
import { parseProofBundle, verifyProofBundle } from '../../../protocol/log/proof-bundle.js';
import { decodeEntryBundle } from '../../../protocol/log/tiles.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';

t.test('events become leaves; checkpoints, tiles, proofs and acceptance proofs verify', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const stream = officer.client.stream();
  stream.on('message', async (m) => void (await officer.client.acknowledge(m)));
  await stream.open();
  t.teardown(() => stream.close());
  const sent = await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { text: 'journal' }, ...underDanger, dataCategories: ['threat'] });
  await eventually(async () => (await worker.client.status(sent.id)).recipients[0]!.state === 'acknowledged');
  // A refusal is on the record too.
  const tampered = { ...sent.envelope, header: { ...sent.envelope.header, id: '00000000-0000-4000-8000-000000000001', urgency: 'routine' as const } };
  const refusal = await worker.client.resubmit(tampered).then(() => 'accepted', (e: { code: string }) => e.code);
  t.equal(refusal, 'SIGNATURE_INVALID');
  await hub.app.disclosureLog.flush();
  // The hub serves its newest checkpoint within a quarter second of signing it.
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const signed = Number((await db.query('select max(size) as s from log_checkpoints')).rows[0].s);
  await eventually(async () => parseCheckpoint(parseNote(await (await fetch(`${hub.url}/v1/log/checkpoint`)).text()).text).size === signed);

  const vkey = parseVkey(crypto, (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim());
  t.equal(vkey.name, hub.config.disclosureLogOrigin, 'the key is named after the log origin');
  const noteText = await (await fetch(`${hub.url}/v1/log/checkpoint`)).text();
  const note = parseNote(noteText);
  t.ok(verifyNoteSignature(crypto, note, vkey), 'the checkpoint is signed by the published key');
  const cp = parseCheckpoint(note.text);
  t.equal(cp.origin, hub.config.disclosureLogOrigin);

  // Every leaf, from the entry tiles, hashes to the checkpoint root.
  const leaves: string[] = [];
  for (let n = 0; n * 256 < cp.size; n++) {
    const width = Math.min(256, cp.size - n * 256);
    const path = width === 256 ? `tile/entries/${String(n).padStart(3, '0')}` : `tile/entries/${String(n).padStart(3, '0')}.p/${width}`;
    const res = await fetch(`${hub.url}/v1/log/${path}`);
    t.equal(res.status, 200, path);
    for (const e of decodeEntryBundle(new Uint8Array(await res.arrayBuffer()))) leaves.push(new TextDecoder().decode(e));
  }
  t.equal(leaves.length, cp.size, 'the entry tiles hold every leaf');
  t.ok(leaves.every((l) => leafCommitment(l) !== null), 'every leaf is a salted commitment, nothing else');
  // The records stay in the hub's register; each matches its leaf.
  const stored = (await db.query<{ index: string; record: string; salt: string }>('select index, record, salt from log_records order by index')).rows;
  t.equal(stored.length, cp.size, 'one record per leaf');
  t.ok(stored.every((r, i) => Number(r.index) === i && verifyLeafRecord((d) => crypto.sha256(d), leaves[i]!, r.record, r.salt)), 'every record matches its leaf');
  t.notOk(stored.some((r, i) => verifyLeafRecord((d) => crypto.sha256(d), leaves[i]!, r.record.replace('"v":1', '"v":1 '), r.salt)), 'a changed record does not');
  const records = stored.map((r) => r.record);
  const types = records.map((l) => (JSON.parse(l) as { type: string }).type);
  for (const type of [
    'key.agency_registered',
    'key.inbox_registered',
    'key.member_registered',
    'protocol.signed',
    'protocol.activated',
    'consent.recorded',
    'message.accepted',
    'message.delivered',
    'message.acknowledged',
  ]) {
    t.ok(types.includes(type), `a ${type} leaf`);
  }
  t.notOk([...leaves, ...records].some((l) => l.includes('journal')), 'no leaf or record holds content');
  t.notOk([...leaves, ...records].some((l) => l.includes('DOSSIER-1') || l.includes('EVENEMENT-1')), 'no leaf or record names a case reference');
  const refusedLeaf = records.map((l) => JSON.parse(l) as { type: string; reason?: string; message?: string }).find((l) => l.type === 'message.refused');
  t.match(refusedLeaf, { reason: 'SIGNATURE_INVALID', message: '00000000-0000-4000-8000-000000000001' }, 'the refusal is a leaf with its reason');
  const level0 = new Uint8Array(await (await fetch(`${hub.url}/v1/log/tile/0/000.p/${Math.min(cp.size, 255)}`)).arrayBuffer());
  t.same(level0.slice(0, 32), leafHash(crypto, utf8(leaves[0]!)), 'level-0 tile hashes are the leaf hashes');

  // Inclusion of every leaf, consistency between every earlier size and now.
  for (let i = 0; i < cp.size; i++) {
    const { proof } = (await (await fetch(`${hub.url}/v1/log/proof/inclusion?index=${i}&size=${cp.size}`)).json()) as { proof: string[] };
    t.ok(verifyInclusion(crypto, { index: i, size: cp.size, leafHash: leafHash(crypto, utf8(leaves[i]!)), proof: proof.map(fromB64), root: cp.rootHash }), `leaf ${i} included`);
  }
  const checkpoints = (await db.query<{ size: string; root_hash: Buffer }>('select size, root_hash from log_checkpoints order by size')).rows;
  t.ok(checkpoints.length > 2, `${checkpoints.length} checkpoints signed`);
  for (const old of checkpoints) {
    const from = Number(old.size);
    const { proof } = (await (await fetch(`${hub.url}/v1/log/proof/consistency?from=${from}&to=${cp.size}`)).json()) as { proof: string[] };
    t.ok(verifyConsistency(crypto, { oldSize: from, newSize: cp.size, oldRoot: new Uint8Array(old.root_hash), newRoot: cp.rootHash, proof: proof.map(fromB64) }), `checkpoint ${from} is consistent with ${cp.size}`);
  }

  // The acceptance proof of its alert, which the sender may fetch, verifies offline.
  const proof = (await (await fetch(`${hub.url}/v1/messages/${sent.id}/acceptance-proof`, { headers: { authorization: `Bearer ${await worker.client.accessToken()}` } })).json()) as {
    leaf: string;
    record: string;
    salt: string;
    bundle: string;
    index: number;
  };
  t.ok(verifyLeafRecord((d) => crypto.sha256(d), proof.leaf, proof.record, proof.salt), 'the acceptance proof’s record matches its leaf');
  t.match(JSON.parse(proof.record), {
    type: 'message.accepted',
    message: sent.id,
    messageType: 'danger_alert',
    dataCategories: ['threat'],
    protocol: { id: 'shelter-police', version: 1 },
    legalBasis: { code: 'apprehended_danger', reason: 'death_threat', reference: 'DIR-2026-04' },
  });
  const verdict = verifyProofBundle(crypto, parseProofBundle(proof.bundle), { leafData: utf8(proof.leaf), logVkey: vkey });
  t.ok(verdict.ok, 'the acceptance proof bundle verifies offline');
  const otherLeaf = proof.leaf.replace(/"commitment":"./, (m) => m.slice(0, -1) + (m.endsWith('A') ? 'B' : 'A'));
  const forged = verifyProofBundle(crypto, parseProofBundle(proof.bundle), { leafData: utf8(otherLeaf), logVkey: vkey });
  t.notOk(forged.ok, 'a changed leaf does not verify');
  t.notOk(verifyLeafRecord((d) => crypto.sha256(d), proof.leaf, proof.record.replace('danger_alert', 'note'), proof.salt), 'a changed record does not match the leaf');

  // Bad requests get stable codes.
  const code = async (path: string) => {
    const res = await fetch(`${hub.url}${path}`);
    return `${res.status} ${((await res.json()) as { error: { code: string } }).error.code}`;
  };
  t.equal(await code('/v1/log/tile/0/x001/x234/067'), '404 TILE_NOT_FOUND', 'beyond the tree');
  t.equal(await code('/v1/log/tile/0/1'), '400 LOG_RANGE_INVALID', 'non-canonical tile index');
  t.equal(await code('/v1/log/tile/0/000.p/0'), '400 LOG_RANGE_INVALID', 'zero width');
  t.equal(await code('/v1/log/tile/abc/000'), '400 LOG_RANGE_INVALID', 'non-numeric level');
  t.equal(await code(`/v1/log/proof/inclusion?index=${cp.size}&size=${cp.size}`), '400 LOG_RANGE_INVALID', 'index beyond size');
  t.equal(await code(`/v1/log/proof/inclusion?index=0&size=${cp.size + 1000}`), '400 LOG_RANGE_INVALID', 'size beyond the tree');
  t.equal(await code('/v1/log/proof/inclusion?index=-1&size=3'), '400 INVALID_REQUEST', 'negative index');
  t.equal(await code('/v1/log/proof/consistency?from=5&to=2'), '400 LOG_RANGE_INVALID', 'from after to');
  t.equal(await code('/v1/log/proof/consistency?from=abc&to=2'), '400 INVALID_REQUEST', 'non-numeric');
});
