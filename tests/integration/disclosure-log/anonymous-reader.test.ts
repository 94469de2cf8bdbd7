// Issue 12, part 3: an anonymous reader of anything under /v1/log/ learns the
// tree size, checkpoint times and hashes — never who disclosed what to whom.
// Witnesses and outside verifiers keep everything they need; members read the
// records they are party to, each checked against its leaf.
import t from 'tap';
import pg from 'pg';
import { utf8 } from '../../../protocol/encoding.js';
import { parseCheckpoint } from '../../../protocol/log/checkpoint.js';
import { leafCommitment, verifyLeafRecord } from '../../../protocol/log/commitment.js';
import { leafHash, verifyInclusion } from '../../../protocol/log/merkle.js';
import { parseNote } from '../../../protocol/log/note.js';
import { decodeEntryBundle, entriesPath, tilePath } from '../../../protocol/log/tiles.js';
import { fromB64 } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';

t.test('the log tells an anonymous reader sizes, times and hashes only', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  const { worker, officer, underDanger, underConsent, consentId } = partners;
  const stream = officer.client.stream();
  stream.on('message', async (m) => void (await officer.client.acknowledge(m)));
  await stream.open();
  t.teardown(() => stream.close());
  const danger = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'menace' }, ...underDanger });
  const consent = await worker.client.send({ type: 'risk_assessment', recipients: ['police-laval/dispatch'], content: { text: 'grille' }, ...underConsent });
  await eventually(async () => (await worker.client.status(danger.id)).recipients[0]!.state === 'acknowledged');
  const refused = await worker.client
    .send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: 'x', ...underDanger, legalBasis: { ...underDanger.legalBasis!, reference: 'Loi inventée, art. 1' } })
    .then(() => 'OK', (e: { code: string }) => e.code);
  t.equal(refused, 'ATTESTATION_MISSING', 'a directive that is not a code is refused');
  await hub.app.disclosureLog.flush();

  // Everything an anonymous reader can ask of the log, route by route.
  const openapi = (await (await fetch(`${hub.url}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const logRoutes = Object.keys(openapi.paths).filter((p) => p.startsWith('/v1/log/')).sort();
  t.same(logRoutes, ['/v1/log/checkpoint', '/v1/log/key', '/v1/log/lookup', '/v1/log/proof/consistency', '/v1/log/proof/inclusion', '/v1/log/records', '/v1/log/tile/{*}'], 'every log route is read below');

  const bodies: string[] = [];
  const read = async (path: string) => {
    const res = await fetch(`${hub.url}/v1/log/${path}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    bodies.push(Buffer.from(bytes).toString('latin1'));
    return { status: res.status, bytes, text: new TextDecoder().decode(bytes) };
  };
  const checkpoint = parseCheckpoint(parseNote((await read('checkpoint')).text).text);
  await read('key');
  const size = checkpoint.size;
  t.ok(size > 10, `${size} leaves`);
  const leaves: string[] = [];
  for (let n = 0; n * 256 < size; n++) {
    const width = Math.min(256, size - n * 256);
    const entries = await read(entriesPath(n, width === 256 ? undefined : width));
    t.equal(entries.status, 200);
    for (const e of decodeEntryBundle(entries.bytes)) leaves.push(new TextDecoder().decode(e));
    t.equal((await read(tilePath(0, n, width === 256 ? undefined : width))).status, 200);
  }
  t.ok(leaves.every((l) => leafCommitment(l) !== null), 'every entry is a salted commitment');
  for (let i = 0; i < size; i++) {
    const proof = JSON.parse((await read(`proof/inclusion?index=${i}&size=${size}`)).text) as { proof: string[] };
    t.ok(verifyInclusion(crypto, { index: i, size, leafHash: leafHash(crypto, utf8(leaves[i]!)), proof: proof.proof.map(fromB64), root: checkpoint.rootHash }), `a verifier still proves leaf ${i}`);
  }
  await read(`proof/consistency?from=3&to=${size}`);
  for (const path of [`lookup?kind=message.accepted&subject=${danger.id}&size=${size}`, `lookup?kind=key.agency_registered&subject=police-laval&size=${size}`, 'records']) {
    t.equal((await read(path)).status, 401, `${path.split('?')[0]} needs a member`);
  }

  const everything = bodies.join('\n');
  const secrets = {
    agencies: ['shelter-laval', 'police-laval'],
    inboxes: ['shelter-laval/intake', 'police-laval/dispatch'],
    devices: [worker.keys.member, officer.keys.member],
    messages: [danger.id, consent.id],
    consent: [consentId],
    'legal bases': ['apprehended_danger', 'legal_obligation', '"consent"', 'death_threat', 'DIR-2026-04', 'Loi inventée'],
    'data categories': ['"threat"', '"identity"'],
    'message types': ['danger_alert', 'risk_assessment'],
    'leaf types': ['message.accepted', 'message.refused', 'key.member_registered'],
    keys: [worker.keys.signing.publicKey, partners.police.keys.root.publicKey],
  };
  for (const [what, values] of Object.entries(secrets)) {
    t.same(values.filter((v) => everything.includes(v)), [], `no ${what}`);
  }

  // A member reads the records it may read, and each matches its leaf.
  const token = await worker.client.accessToken();
  const member = async (path: string, as = token) => {
    const res = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${as}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const key = await member(`/v1/log/lookup?kind=key.agency_registered&subject=police-laval&size=${size}`);
  t.equal(key.status, 200);
  t.ok(verifyLeafRecord((d) => crypto.sha256(d), leaves[key.body.index as number]!, key.body.record as string, key.body.salt as string), 'a key record matches its leaf');
  const directory = await member('/v1/log/records?after=-1');
  const records = directory.body.records as { index: number; kind: string; record: string; salt: string }[];
  t.ok(records.length >= 8, 'the directory events');
  t.ok(records.every((r) => r.kind.startsWith('key.') || r.kind.startsWith('protocol.')), 'directory events only');
  t.ok(records.every((r) => verifyLeafRecord((d) => crypto.sha256(d), leaves[r.index]!, r.record, r.salt)), 'each matches its leaf');
  const accepted = await member(`/v1/log/lookup?kind=message.accepted&subject=${danger.id}&size=${size}`, await officer.client.accessToken());
  t.equal(accepted.status, 200, 'the recipient agency reads the disclosure it received');
  t.match(JSON.parse(accepted.body.record as string), { legalBasis: { code: 'apprehended_danger', reference: 'DIR-2026-04' } }, 'a directive is a code');
  const refusedLeaf = await member(`/v1/log/lookup?kind=message.refused&subject=${'0'.repeat(8)}&size=${size}`, await officer.client.accessToken());
  t.equal(refusedLeaf.status, 404);

  // No free text in a record either: a reference that is not a code is kept as its SHA-256.
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const stored = (await db.query<{ record: string }>('select record from log_records')).rows.map((r) => r.record);
  t.notOk(stored.some((r) => r.includes('Loi inventée')), 'the refused reference is not in any record');
  const refusedRecord = stored.map((r) => JSON.parse(r) as { type: string; legalBasis?: { referenceHash?: string }; declaredRecipients?: string[] }).find((r) => r.type === 'message.refused');
  t.match(refusedRecord, { legalBasis: { referenceHash: /^[A-Za-z0-9_-]{43}$/ }, declaredRecipients: ['police-laval/dispatch'] }, 'its hash, and the recipients as declared');
});
