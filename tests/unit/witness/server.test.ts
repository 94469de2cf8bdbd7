// The witness's add-checkpoint, status code by status code, as C2SP
// tlog-witness v1.0.0 defines them, against a real Merkle log signed with a
// real Ed25519 key.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildWitnessApp, parseAddCheckpoint, witnessVkey, type WitnessOptions } from '../../../clients/witness/server.js';
import { toB64 } from '../../../protocol/encoding.js';
import { verifyCosignature } from '../../../protocol/log/cosignature.js';
import { consistencyProof, rootOf, verifyConsistency } from '../../../protocol/log/merkle.js';
import { addSignatures, parseNote, parseVkey } from '../../../protocol/log/note.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { checkCosignature, EMPTY_ROOT, TestLog } from './fixture.js';

const crypto = await loadSodium();
const dir = mkdtempSync(join(tmpdir(), 'vigie-witness-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const NAME = 'witness.test/w1';
const witnessKey = crypto.signKeypair();
const T0 = 1_764_400_000_000;
let files = 0;

interface Harness {
  app: FastifyInstance;
  log: TestLog;
  stateFile: string;
  clock: { now: number };
  post(body: string | Uint8Array, contentType?: string): Promise<{ status: number; type: string; body: string }>;
  stored(): unknown;
}

async function harness(t: Test, options: Partial<WitnessOptions> & { log?: TestLog } = {}): Promise<Harness> {
  const log = options.log ?? new TestLog(crypto);
  const stateFile = options.stateFile ?? join(dir, `state-${++files}.json`);
  const clock = { now: T0 };
  const app = buildWitnessApp({
    name: NAME,
    secretKey: witnessKey.secretKey,
    logs: options.logs ?? [{ origin: log.origin, vkeys: [log.vkey] }],
    stateFile,
    now: () => clock.now,
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  t.teardown(() => app.close());
  await app.ready();
  return {
    app,
    log,
    stateFile,
    clock,
    async post(body, contentType = 'text/plain') {
      const res = await app.inject({ method: 'POST', url: '/add-checkpoint', payload: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': contentType } });
      return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body };
    },
    stored() {
      try {
        return JSON.parse(readFileSync(stateFile, 'utf8'));
      } catch {
        return null;
      }
    },
  };
}

/** The one cosignature line of a 200 body, checked against the spec's bytes and protocol/log's verifier. */
function cosignatureOf(t: Test, body: string, checkpointNote: string): number {
  t.ok(body.endsWith('\n'), 'each signature line ends in a newline');
  const lines = body.slice(0, -1).split('\n');
  t.equal(lines.length, 1, 'one cosignature (one witness key)');
  const text = parseNote(checkpointNote).text;
  const timestamp = checkCosignature(crypto, lines[0]!, text, NAME, witnessKey.publicKey);
  // The hub's way: concatenate to the checkpoint and verify with the witness vkey.
  const cosigned = parseNote(addSignatures(checkpointNote, lines));
  const vkey = parseVkey(crypto, witnessVkey(crypto, NAME, witnessKey.secretKey));
  t.same(verifyCosignature(crypto, cosigned.text, cosigned.signatures.at(-1)!, vkey), { ok: true, timestamp });
  return timestamp;
}

t.test('the test log agrees with protocol/log (RFC 6962 roots and proofs)', async (t) => {
  const log = new TestLog(crypto).append(13);
  const mismatches: string[] = [];
  for (let n = 0; n <= 13; n++) {
    if (toB64(log.root(n)) !== toB64(rootOf(crypto, log.leaves.slice(0, n)))) mismatches.push(`root of ${n}`);
    for (let m = 1; m < n; m++) {
      const proof = log.consistencyProof(m, n);
      const nodes = new Map<string, Uint8Array>();
      const get = (level: number, index: number) => {
        const key = `${level}/${index}`;
        if (!nodes.has(key)) nodes.set(key, log.root(Math.min((index + 1) * 2 ** level, n), index * 2 ** level));
        return nodes.get(key)!;
      };
      if (!verifyConsistency(crypto, { oldSize: m, newSize: n, oldRoot: log.root(m), newRoot: log.root(n), proof })) mismatches.push(`proof ${m}→${n} does not verify`);
      if (consistencyProof(crypto, m, n, get).map(toB64).join() !== proof.map(toB64).join()) mismatches.push(`proof ${m}→${n} differs from the hub's`);
    }
  }
  t.same(mismatches, [], 'every root and consistency proof of trees up to 13 leaves');
});

t.test('first checkpoint, then an advance with a valid proof', async (t) => {
  const h = await harness(t);
  h.log.append(5);
  const first = await h.post(h.log.request(0, 5));
  t.equal(first.status, 200, first.body);
  t.match(first.type, /^text\/plain/);
  t.equal(cosignatureOf(t, first.body, h.log.checkpoint(5)), T0 / 1000, 'timestamped now, in seconds');
  t.match(h.stored(), { v: 1, logs: { [h.log.origin]: { size: 5, rootHash: toB64(h.log.root(5)), timestamp: T0 / 1000 } } });

  h.log.append(3);
  h.clock.now += 60_000;
  const second = await h.post(h.log.request(5, 8));
  t.equal(second.status, 200, second.body);
  t.equal(cosignatureOf(t, second.body, h.log.checkpoint(8)), T0 / 1000 + 60);
  const stored = h.stored() as { logs: Record<string, { size: number; checkpoint: string }> };
  t.equal(stored.logs[h.log.origin]!.size, 8);
  // What is stored is the checkpoint as cosigned: the log's signature and this witness's.
  const note = parseNote(stored.logs[h.log.origin]!.checkpoint);
  t.equal(note.text, h.log.checkpointText(8));
  t.same(note.signatures.map((s) => s.name), [h.log.keyName, NAME]);
});

t.test('a power-of-two old size, whose proof omits the old root, advances too', async (t) => {
  const h = await harness(t);
  h.log.append(4);
  t.equal((await h.post(h.log.request(0, 4))).status, 200);
  h.log.append(9);
  t.equal((await h.post(h.log.request(4, 13))).status, 200);
  t.equal((await h.post(h.log.request(13, 13))).status, 200, 'the same checkpoint again gets a fresh cosignature');
});

t.test('a stale old size: 409 with the latest size, state unchanged', async (t) => {
  const h = await harness(t);
  h.log.append(8);
  t.equal((await h.post(h.log.request(0, 8))).status, 200);
  const before = readFileSync(h.stateFile, 'utf8');
  h.log.append(2);
  for (const old of [0, 5, 9]) {
    const res = await h.post(h.log.request(old, 10));
    t.equal(res.status, 409, `old ${old}`);
    t.equal(res.type, 'text/x.tlog.size');
    t.equal(res.body, '8\n', 'the size of the latest cosigned checkpoint, in decimal, and a newline');
  }
  t.equal(readFileSync(h.stateFile, 'utf8'), before);

  // A witness that never cosigned this log answers with 0.
  const other = await harness(t);
  other.log.append(3);
  const res = await other.post(other.log.request(2, 3));
  t.equal(res.status, 409);
  t.equal(res.body, '0\n');
  t.equal(other.stored(), null, 'nothing was written');
});

t.test('an invalid consistency proof: 422, state unchanged', async (t) => {
  const h = await harness(t);
  h.log.append(6);
  t.equal((await h.post(h.log.request(0, 6))).status, 200);
  const before = readFileSync(h.stateFile, 'utf8');
  h.log.append(5);
  const good = h.log.consistencyProof(6, 11);
  const flipped = good.map((x, i) => (i === 1 ? x.map((b, j) => (j === 0 ? b ^ 1 : b)) : x));
  const cases: [string, Uint8Array[]][] = [
    ['a flipped bit', flipped],
    ['no proof', []],
    ['a missing hash', good.slice(0, -1)],
    ['an extra hash', [...good, good[0]!]],
    ['a proof for other sizes', h.log.consistencyProof(5, 11)],
  ];
  for (const [what, proof] of cases) {
    const res = await h.post(h.log.request(6, 11, { proof }));
    t.equal(res.status, 422, what);
    t.match(res.type, /^text\/plain/);
  }
  // A log that forked after size 6: the checkpoint is validly signed, its tree does not extend the cosigned one.
  const fork = new TestLog(crypto, h.log.origin, h.log.keyName, h.log.key);
  fork.leaves.push(...h.log.leaves.slice(0, 5));
  fork.append(6, 'forked');
  t.equal((await h.post(fork.request(6, 11, { proof: fork.consistencyProof(6, 11) }))).status, 422, 'a fork is refused');
  t.equal(readFileSync(h.stateFile, 'utf8'), before);
});

t.test('the proof must be empty from size zero and between equal sizes', async (t) => {
  const h = await harness(t);
  h.log.append(4);
  const res = await h.post(h.log.request(0, 4, { proof: [h.log.root(2)] }));
  t.equal(res.status, 422);
  t.equal(h.stored(), null);
  t.equal((await h.post(h.log.request(0, 4))).status, 200);
  t.equal((await h.post(h.log.request(4, 4, { proof: [h.log.root(4)] }))).status, 422);
});

t.test('size zero: only the empty tree root', async (t) => {
  const h = await harness(t);
  t.same(h.log.root(0), EMPTY_ROOT);
  t.equal((await h.post(h.log.request(0, 0))).status, 200, 'the empty tree is cosigned');
  const h2 = await harness(t);
  const bogus = h2.log.checkpoint(0, { root: new Uint8Array(32).fill(7) });
  t.equal((await h2.post(`old 0\n\n${bogus}`)).status, 422, 'a size-zero checkpoint with another root');
  t.equal(h2.stored(), null);
  // From a cosigned empty tree, any tree extends it with an empty proof.
  h.log.append(3);
  t.equal((await h.post(h.log.request(0, 3))).status, 200);
});

t.test('signatures: 403 unless a trusted log key verifies', async (t) => {
  const h = await harness(t);
  h.log.append(4);
  const text = h.log.checkpointText(4);
  const stranger = crypto.signKeypair();
  const bad = (sigs: string[]) => `old 0\n\n${text}\n${sigs.map((s) => `${s}\n`).join('')}`;
  const good = h.log.signatureLine(text);
  const corrupt = (line: string) => {
    const [dash, name, sig] = line.split(' ');
    const bytes = Buffer.from(sig!, 'base64');
    bytes[10]! ^= 1;
    return `${dash} ${name} ${bytes.toString('base64')}`;
  };
  const cases: [string, string[]][] = [
    ['signed by an unknown key under the log name', [h.log.signatureLine(text, stranger)]],
    ['signed by an unknown key under another name', [h.log.signatureLine(text, stranger, 'other.example/log')]],
    ['a bad signature by the log key', [corrupt(good)]],
    ['the log key over another checkpoint', [h.log.signatureLine(h.log.checkpointText(3))]],
    ['a valid signature next to a failing one of the same key', [good, corrupt(good)]],
  ];
  for (const [what, sigs] of cases) {
    const res = await h.post(bad(sigs));
    t.equal(res.status, 403, what);
  }
  t.equal(h.stored(), null, 'nothing was cosigned');
  // Signatures from unknown keys are ignored, in any position.
  const withStrangers = bad([h.log.signatureLine(text, stranger), good, h.log.signatureLine(text, stranger, 'x.example/y')]);
  const res = await h.post(withStrangers);
  t.equal(res.status, 200, 'unknown keys are ignored');
  const stored = h.stored() as { logs: Record<string, { checkpoint: string }> };
  t.same(
    parseNote(stored.logs[h.log.origin]!.checkpoint).signatures.map((s) => s.line),
    [good, res.body.trim()],
    'only verified signatures are kept',
  );
});

t.test('a log may be trusted under several keys (rotation)', async (t) => {
  const oldKey = new TestLog(crypto);
  const newKey = new TestLog(crypto);
  const h = await harness(t, { log: newKey, logs: [{ origin: newKey.origin, vkeys: [oldKey.vkey, newKey.vkey] }] });
  h.log.append(2);
  const text = h.log.checkpointText(2);
  t.equal((await h.post(`old 0\n\n${text}\n${oldKey.signatureLine(text)}\n`)).status, 200, 'the old key');
  h.log.append(1);
  t.equal((await h.post(h.log.request(2, 3))).status, 200, 'the new key');
});

t.test('an unknown origin: 404', async (t) => {
  const h = await harness(t);
  const other = new TestLog(crypto, 'other.test/log').append(3);
  const res = await h.post(other.request(0, 3));
  t.equal(res.status, 404);
  t.equal(h.stored(), null);
});

t.test('malformed requests: 400', async (t) => {
  const h = await harness(t);
  h.log.append(4);
  const note = h.log.checkpoint(4);
  const hash = toB64(h.log.root(2));
  const zeros = toB64(new Uint8Array(32)); // 'AAAA…AAA='
  const slashes = toB64(new Uint8Array(32).fill(0xfb)); // '+/v7…'
  const cases: [string, string | Uint8Array][] = [
    ['an empty body', ''],
    ['no old line', `\n${note}`],
    ['a leading zero', `old 00\n\n${note}`],
    ['a negative size', `old -1\n\n${note}`],
    ['a size with a plus', `old +0\n\n${note}`],
    ['a size beyond 2^53', `old 9007199254740993\n\n${note}`],
    ['two spaces', `old  0\n\n${note}`],
    ['a carriage return', `old 0\r\n\r\n${note}`],
    ['no blank line', `old 0\n${note}`],
    ['only the old line', 'old 0\n'],
    ['no newline at all', 'old 0'],
    ['a proof line that is not base64', `old 0\nnot base64!\n\n${note}`],
    ['a proof line of 31 bytes', `old 0\n${toB64(new Uint8Array(31))}\n\n${note}`],
    ['a proof line of 33 bytes', `old 0\n${toB64(new Uint8Array(33))}\n\n${note}`],
    ['unpadded base64', `old 0\n${hash.slice(0, -1)}\n\n${note}`],
    ['base64url', `old 0\n${slashes.replace(/\+/g, '-').replace(/\//g, '_')}\n\n${note}`],
    ['non-canonical trailing bits', `old 0\n${zeros.slice(0, 42)}B=\n\n${note}`],
    ['a space after the hash', `old 0\n${zeros} \n\n${note}`],
    ['64 proof lines', `old 2\n${`${hash}\n`.repeat(64)}\n${note}`],
    ['a note without signatures', `old 0\n\n${h.log.checkpointText(4)}`],
    ['a note whose signature line lacks its newline', `old 0\n\n${note.slice(0, -1)}`],
    ['invalid UTF-8', new Uint8Array([...Buffer.from('old 0\n\n'), 0xff, 0xfe, ...Buffer.from(note)])],
  ];
  for (const [what, body] of cases) {
    const res = await h.post(body);
    t.equal(res.status, 400, what);
  }
  // A well-signed note that is not a checkpoint.
  const notCheckpoint = (text: string) => `old 0\n\n${text}\n${h.log.signatureLine(text)}\n`;
  for (const text of [`${h.log.origin}\n4\n`, `${h.log.origin}\nfour\n${toB64(h.log.root(4))}\n`, `${h.log.origin}\n04\n${toB64(h.log.root(4))}\n`, `${h.log.origin}\n4\n${toB64(new Uint8Array(31))}\n`]) {
    t.equal((await h.post(notCheckpoint(text))).status, 400, `not a checkpoint: ${JSON.stringify(text)}`);
  }
  // "The old size MUST be equal to or lower than the checkpoint size. Otherwise … 400."
  t.equal((await h.post(h.log.request(5, 4, { proof: [] }))).status, 400, 'old size above the checkpoint size');
  // 63 proof lines are allowed by the grammar (and then fail as a proof: from size 0 it must be empty).
  t.equal((await h.post(`old 0\n${`${hash}\n`.repeat(63)}\n${note}`)).status, 422);
  t.equal(h.stored(), null);
});

t.test('any content type, or none, is read as the protocol text', async (t) => {
  const h = await harness(t);
  h.log.append(1);
  const res = await h.app.inject({ method: 'POST', url: '/add-checkpoint', payload: h.log.request(0, 1) });
  t.equal(res.statusCode, 200);
  h.log.append(1);
  t.equal((await h.post(h.log.request(1, 2), 'application/octet-stream')).status, 200);
});

t.test('bodies above the limit: 413', async (t) => {
  const h = await harness(t, { maxBodyBytes: 1024 });
  h.log.append(1);
  const res = await h.post(`${h.log.request(0, 1)}${'x'.repeat(2000)}`);
  t.equal(res.status, 413);
  t.equal(h.stored(), null);
});

t.test('no rollback: a smaller checkpoint is refused', async (t) => {
  const h = await harness(t);
  h.log.append(10);
  t.equal((await h.post(h.log.request(0, 10))).status, 200);
  const before = readFileSync(h.stateFile, 'utf8');
  const asOld = await h.post(h.log.request(10, 6, { proof: [] }));
  t.equal(asOld.status, 400, 'old 10 for a checkpoint of 6: old size above the checkpoint size');
  const asNew = await h.post(h.log.request(6, 6));
  t.equal(asNew.status, 409, 'old 6: not the latest cosigned size');
  t.equal(asNew.body, '10\n');
  const fromZero = await h.post(h.log.request(0, 6));
  t.equal(fromZero.status, 409);
  t.equal(readFileSync(h.stateFile, 'utf8'), before);
});

t.test('same size, different root: refused (409), state unchanged', async (t) => {
  const h = await harness(t);
  h.log.append(7);
  t.equal((await h.post(h.log.request(0, 7))).status, 200);
  const before = readFileSync(h.stateFile, 'utf8');
  const forged = h.log.checkpoint(7, { root: h.log.root(6) });
  const res = await h.post(`old 7\n\n${forged}`);
  t.equal(res.status, 409);
  t.notMatch(res.type, /x\.tlog\.size/, 'not a size conflict: the log must not retry from a size');
  t.equal(readFileSync(h.stateFile, 'utf8'), before);
});

t.test('the same checkpoint again, or with extension lines, is cosigned afresh and never back in time', async (t) => {
  const h = await harness(t);
  h.log.append(3);
  t.equal((await h.post(h.log.request(0, 3))).status, 200);
  h.clock.now -= 3_600_000; // the clock stepped back an hour
  const again = await h.post(h.log.request(3, 3, { note: h.log.checkpoint(3, { extensions: ['vigie-extension 1'] }) }));
  t.equal(again.status, 200);
  t.equal(cosignatureOf(t, again.body, h.log.checkpoint(3, { extensions: ['vigie-extension 1'] })), T0 / 1000, 'the timestamp does not go backwards');
});

t.test('the state persists across a restart', async (t) => {
  const first = await harness(t);
  first.log.append(5);
  t.equal((await first.post(first.log.request(0, 5))).status, 200);
  await first.app.close();
  const second = await harness(t, { log: first.log, stateFile: first.stateFile });
  first.log.append(2);
  const stale = await second.post(first.log.request(0, 7));
  t.equal(stale.status, 409);
  t.equal(stale.body, '5\n', 'the restarted witness remembers size 5');
  t.equal((await second.post(first.log.request(5, 7))).status, 200);
});

t.test('concurrent requests from the same old size: exactly one is cosigned', async (t) => {
  const h = await harness(t);
  h.log.append(4);
  t.equal((await h.post(h.log.request(0, 4))).status, 200);
  h.log.append(12);
  const sizes = [5, 6, 8, 9, 12, 16];
  const results = await Promise.all(sizes.map((n) => h.post(h.log.request(4, n))));
  const won = results.map((r, i) => ({ ...r, size: sizes[i]! })).filter((r) => r.status === 200);
  t.equal(won.length, 1, 'one 200');
  t.same(
    results.filter((r) => r.status !== 200).map((r) => [r.status, r.body]),
    Array.from({ length: sizes.length - 1 }, () => [409, `${won[0]!.size}\n`]),
    'every other one is told the winner’s size',
  );
  t.equal((h.stored() as { logs: Record<string, { size: number }> }).logs[h.log.origin]!.size, won[0]!.size);
});

t.test('GET / says who the witness is and what it saw', async (t) => {
  const h = await harness(t);
  h.log.append(2);
  await h.post(h.log.request(0, 2));
  const res = await h.app.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { name: NAME, vkey: witnessVkey(crypto, NAME, witnessKey.secretKey), logs: [{ origin: h.log.origin, size: 2, rootHash: toB64(h.log.root(2)), timestamp: T0 / 1000 }] });
  const [name, id, ...rest] = witnessVkey(crypto, NAME, witnessKey.secretKey).split('+');
  const material = rest.join('+'); // base64 may itself hold '+'
  t.equal(name, NAME);
  t.match(id, /^[0-9a-f]{8}$/);
  t.same([...Buffer.from(material!, 'base64')], [0x04, ...witnessKey.publicKey], 'a cosignature/v1 vkey: type 0x04 and the public key');
});

t.test('a misconfigured witness does not start', async (t) => {
  const log = new TestLog(crypto);
  const asCosigner = witnessVkey(crypto, 'vigie.test/log', crypto.signKeypair().secretKey);
  const cases: [string, WitnessOptions['logs'], Uint8Array, { code: string } | { message: RegExp }][] = [
    ['a malformed vkey', [{ origin: log.origin, vkeys: ['nope'] }], witnessKey.secretKey, { code: 'NOTE_INVALID' }],
    ['a cosigner vkey as a log key', [{ origin: log.origin, vkeys: [asCosigner] }], witnessKey.secretKey, { message: /not an Ed25519 note key/ }],
    ['a 32-byte secret key', [{ origin: log.origin, vkeys: [log.vkey] }], witnessKey.secretKey.slice(0, 32), { message: /64 bytes/ }],
  ];
  for (const [what, logs, secretKey, error] of cases) {
    const stateFile = join(dir, `bad-${++files}.json`);
    const app = buildWitnessApp({ name: NAME, secretKey, logs, stateFile });
    await t.rejects(async () => app.ready(), error, what);
    t.notOk(existsSync(`${stateFile}.lock`), 'the state was not taken');
    await app.close().catch(() => {});
  }
});

t.test('parseAddCheckpoint reads the grammar exactly', async (t) => {
  const hash = new Uint8Array(32).fill(0xfb);
  const parsed = parseAddCheckpoint(Buffer.from(`old 20852014\n${toB64(hash)}\n\norigin\n`));
  t.equal(parsed.oldSize, 20852014);
  t.same(parsed.proof, [hash]);
  t.equal(parsed.note, 'origin\n');
});
