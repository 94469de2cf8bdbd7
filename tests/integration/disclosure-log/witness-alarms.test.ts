// What the hub makes of each witness answer (C2SP tlog-witness), against
// witnesses that are real HTTP servers on real sockets, each scripted to
// answer one way: a fork (same size, another root) whatever the body of its
// 409, sigsum-witness's 422 for the same case, a larger tree than the log
// holds, a proof that does not verify, and an honest witness whose answer
// also carries cosignatures from keys the hub does not know.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { parseAddCheckpoint } from '../../../clients/witness/server.js';
import { utf8 } from '../../../protocol/encoding.js';
import { cosign, formatWitnessVkey } from '../../../protocol/log/cosignature.js';
import { isSignatureBy, parseNote, parseSignatureLine, parseVkey } from '../../../protocol/log/note.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';

const crypto = await loadSodium();

interface Submission {
  old: number;
  size: number;
  proof: number;
  text: string;
}
type Answer = { status: number; type?: string; body: string };
type Script = (s: Submission, self: FakeWitness) => Answer;

interface FakeWitness {
  name: string;
  vkey: string;
  url: string;
  seen: Submission[];
  script: Script;
  /** The size it last cosigned, for the scripts that keep state. */
  size: number;
  cosign(s: Submission): Answer;
}

async function fakeWitness(t: { teardown(fn: () => unknown): void }, name: string, script: Script): Promise<FakeWitness> {
  const keys = crypto.signKeypair();
  const stranger = crypto.signKeypair();
  const w: FakeWitness = {
    name,
    vkey: formatWitnessVkey(crypto, name, keys.publicKey),
    url: '',
    seen: [],
    script,
    size: 0,
    cosign(s) {
      const at = Math.floor(Date.now() / 1000);
      this.size = s.size;
      // Its own line between two the hub must ignore: another witness's key, and this name with another key.
      const lines = [cosign(crypto, s.text, { name: 'stranger.test/w', secretKey: stranger.secretKey }, at), cosign(crypto, s.text, { name, secretKey: keys.secretKey }, at), cosign(crypto, s.text, { name, secretKey: stranger.secretKey }, at)];
      return { status: 200, body: lines.map((l) => `${l}\n`).join('') };
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = parseAddCheckpoint(new Uint8Array(Buffer.concat(chunks)));
      const text = parseNote(parsed.note).text;
      const submission = { old: parsed.oldSize, size: Number(text.split('\n')[1]), proof: parsed.proof.length, text };
      w.seen.push(submission);
      const answer = w.script(submission, w);
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain; charset=utf-8' }).end(utf8(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  w.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return w;
}

const sizeAnswer = (size: number): Answer => ({ status: 409, type: 'text/x.tlog.size', body: `${size}\n` });
/** tlog-witness, honestly: resynchronise on another old size, else cosign. */
const honest: Script = (s, w) => (s.old !== w.size ? sizeAnswer(w.size) : w.cosign(s));

t.test('fork and proof alarms, per witness and by quorum; unknown cosignatures ignored silently', async (t) => {
  const witnesses = {
    // Claims it cosigned this very size, and still refuses it once the hub says so: the case
    // that used to be retried once and dropped without a word.
    fork409Size: await fakeWitness(t, 'fork409size.test/w', (s) => sizeAnswer(s.size)),
    // The 409 that tlog-witness specifies for same size, another root, with a plain body.
    fork409Plain: await fakeWitness(t, 'fork409plain.test/w', (s) => (s.old === s.size ? { status: 409, body: 'same size as the latest cosigned checkpoint, different root hash\n' } : sizeAnswer(s.size))),
    // sigsum-witness: its (empty) proof between two roots of one size does not verify.
    fork422: await fakeWitness(t, 'fork422.test/w', (s) => (s.old === s.size ? { status: 422, body: '(422) Unprocessable Entity\n' } : sizeAnswer(s.size))),
    // Has cosigned a larger tree than the log holds: the log was rolled back or rebuilt.
    beyond: await fakeWitness(t, 'beyond.test/w', (s) => sizeAnswer(s.size + 1000)),
    // A proof from its (empty) state to any larger tree cannot fail honestly: this one says it does.
    badProof: await fakeWitness(t, 'badproof.test/w', (s, w) => (s.size === 0 ? honest(s, w) : { status: 422, body: 'invalid consistency proof\n' })),
    honest: await fakeWitness(t, 'honest.test/w', honest),
  };
  const all = Object.values(witnesses);
  const hub = await startTestHub(t, { config: { witnesses: all.map((w) => ({ url: w.url, vkey: w.vkey })), witnessQuorum: 1 } });
  const halt = () => hub.app.disclosureLog.halt.status();
  const readyz = async () => {
    const res = await fetch(`${hub.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { log: string; logHalt?: string[]; witnesses: string } };
  };
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  await hub.app.disclosureLog.flush();

  const alarmsOf = () => Object.fromEntries(halt().witnessAlarms.map((a) => [a.witness, a.kind]));
  const expected = { 'fork409size.test/w': 'fork', 'fork409plain.test/w': 'fork', 'fork422.test/w': 'fork', 'beyond.test/w': 'fork', 'badproof.test/w': 'invalid_proof' };
  await eventually(() => Object.keys(alarmsOf()).length === 5);
  t.same(alarmsOf(), expected, 'each answer is classified');
  t.ok(witnesses.fork409Size.seen.some((s) => s.old === s.size), 'the hub resynchronised to the size the witness named before calling it a fork');
  for (const w of [witnesses.fork409Size, witnesses.fork409Plain, witnesses.fork422, witnesses.beyond, witnesses.badProof]) {
    t.ok(hub.logs.some((l) => l.includes('"level":50') && l.includes('WITNESS_ALARM') && l.includes(w.name)), `${w.name}: logged as an error`);
  }
  const query = async <T>(q: ReturnType<typeof sql>) => ((await hub.app.db.execute(q)) as unknown as { rows: T[] }).rows;
  t.equal((await query(sql`select witness, kind from log_witness_alarms where cleared_at is null`)).length, 5, 'alarms are shared through the database');

  // The honest witness still cosigns: one witness of a quorum of one is enough, so the hub keeps accepting.
  await eventually(async () => (await query(sql`select 1 from log_cosignatures where witness = 'honest.test/w'`)).length > 0);
  const stored = await query<{ witness: string; line: string }>(sql`select witness, line from log_cosignatures`);
  const honestKey = parseVkey(crypto, witnesses.honest.vkey);
  t.ok(
    stored.every((r) => r.witness !== 'stranger.test/w' && (r.witness !== 'honest.test/w' || isSignatureBy(parseSignatureLine(r.line), honestKey))),
    'only cosignatures by the configured keys are stored',
  );
  t.notOk(hub.logs.some((l) => /"level":(40|50)/.test(l) && l.includes('cosignature')), 'cosignatures from unknown keys are ignored without a warning');
  t.equal(halt().halted, false, 'not halted while a witness can still make the quorum');
  t.match(await readyz(), { status: 200, body: { log: 'ok', witnesses: 'alarm' } }, '/readyz shows the alarm');
  const metrics = await (await fetch(`${hub.url}/metrics`)).text();
  t.match(metrics, /^vigie_witnesses_alarmed\{kind="fork"\} 4$/m);
  t.match(metrics, /^vigie_witnesses_alarmed\{kind="invalid_proof"\} 1$/m);
  t.ok(Number(/^vigie_witness_alarms_total\{kind="fork"\} (\d+)$/m.exec(metrics)?.[1]) >= 4, 'alarms counted');
  t.match(metrics, /^vigie_log_halted\{reason="witness_fork"\} 0$/m);
  t.equal(await codeOf(worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: {}, ...underDanger })), 'OK');

  // The last witness refuses too: no checkpoint can be witnessed any more, so nothing is accepted.
  witnesses.honest.script = () => ({ status: 422, body: 'invalid consistency proof\n' });
  await hub.app.disclosureLog.flush();
  await eventually(() => halt().halted);
  t.same(halt().reasons, ['witness_fork', 'witness_invalid_proof']);
  t.equal(await codeOf(worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: {}, ...underDanger })), 'LOG_HALTED');
  t.match(await readyz(), { status: 503, body: { log: 'halted', logHalt: ['witness_fork', 'witness_invalid_proof'] } });
  t.match(await (await fetch(`${hub.url}/metrics`)).text(), /^vigie_log_halted\{reason="witness_invalid_proof"\} 1$/m);

  // It cosigns again (its operator fixed it): its alarm ends, and with it the halt. The forks stay.
  witnesses.honest.script = honest;
  await worker.client.recordConsent({ id: randomUUID(), case: 'DOSSIER-9', recipients: ['police-laval'], purposes: ['victim_safety'], dataCategories: ['identity'], evidenceHash: 'C'.repeat(43) });
  await hub.app.disclosureLog.flush();
  await eventually(() => !halt().halted);
  t.same(alarmsOf(), expected, 'fork alarms do not clear by themselves');
  t.equal(await codeOf(worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: {}, ...underDanger })), 'OK', 'accepting again');
});
