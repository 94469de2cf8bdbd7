// A database error reaches the log with its SQLSTATE code and constraint,
// never with the failed query, its parameters or PostgreSQL's detail (which
// would put a whole envelope in the log); and a refusal whose record cannot
// be written is still answered with its own code, not a 500.
import t from 'tap';
import pg from 'pg';
import { buildEnvelope } from '../../../protocol/envelope.js';
import { fromB64u } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { serializeError } from '../../../server/http/logging.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';

const problems = (logs: string[]) => logs.filter((l) => /"level":(40|50|60)/.test(l));

t.test('a failed insert is logged with its code and constraint, never its query, parameters or detail', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  // A constraint the next message breaks: PostgreSQL's detail would quote the whole failing row.
  await db.query(`alter table messages add constraint vigie_test_no_routine check (urgency <> 'routine') not valid`);

  const secret = 'CONTENU-CONFIDENTIEL';
  const sending = worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { text: secret }, ...underConsent });
  t.equal(await codeOf(sending), 'INTERNAL', 'the hub answers 500 without its internals');

  const lines = problems(hub.logs);
  const failed = lines.find((l) => l.includes('request failed'));
  t.ok(failed, 'the failure is logged');
  t.match(failed!, /"code":"23514"/, 'with its SQLSTATE');
  t.match(failed!, /"constraint":"vigie_test_no_routine"/, 'and the constraint it broke');
  t.match(failed!, /"table":"messages"/, 'and the table');
  for (const l of lines) {
    t.notMatch(l, /Failed query|params:|Failing row|insert into|xchacha20poly1305-ietf|shelter-laval\/intake/i, 'no query, parameters, detail or header in any warning or error line');
  }
  const [row] = (await db.query(`select 1`)).rows;
  t.ok(row, 'the database is still usable');
});

t.test('a refusal whose record cannot be written is still answered, and the failure logged without the envelope', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const crypto = await loadSodium();
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query(`alter table log_queue add constraint vigie_test_no_refusal check (kind <> 'message.refused') not valid`);

  const own = await worker.client.inboxes();
  const stale = buildEnvelope(crypto, {
    type: 'danger_alert',
    urgency: 'immediate',
    createdAt: new Date(Date.now() - 3 * 86400_000).toISOString(),
    sender: { agency: 'shelter-laval', member: worker.keys.member, inbox: 'shelter-laval/intake' },
    senderInboxKey: own.get('shelter-laval/intake')!.keys.publicKey,
    senderInboxKeyVersion: own.get('shelter-laval/intake')!.certificate.keyVersion,
    recipients: [await worker.client.directory.recipient('police-laval/dispatch')],
    content: { text: 'x' },
    ...underDanger,
    signingSecretKey: fromB64u(worker.keys.signing.secretKey),
  });
  const res = await fetch(`${hub.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await worker.client.accessToken()}` },
    body: JSON.stringify(stale),
  });
  t.equal(res.status, 422, 'the refusal is answered with its status');
  t.equal(((await res.json()) as { error: { code: string } }).error.code, 'MESSAGE_STALE', 'and its own code');
  const line = problems(hub.logs).find((l) => l.includes('refusal not recorded'));
  t.ok(line, 'the missing record is logged as an error');
  t.match(line!, /"code":"23514"/);
  t.notMatch(line!, new RegExp(`Failed query|params:|Failing row|${stale.header.id}|${stale.signature.slice(0, 20)}`), 'without the query, its parameters or the envelope');
});

t.test('the err serializer: database errors through every cause, strings that quote a query', async (t) => {
  const pgError = Object.assign(new Error('duplicate key value violates unique constraint "x" — Key (id)=(secret-value)'), {
    name: 'DatabaseError',
    code: '23505',
    severity: 'ERROR',
    detail: 'Key (id)=(secret-value) already exists.',
    constraint: 'x_pkey',
    table: 'x',
  });
  const drizzle = Object.assign(new Error('Failed query: insert into "x" values ($1)\nparams: secret-value', { cause: pgError }), { name: 'DrizzleQueryError', query: 'insert into "x" values ($1)', params: ['secret-value'] });
  const wrapped = new Error('could not store', { cause: drizzle });
  const out = JSON.stringify(serializeError(wrapped));
  t.notMatch(out, /secret-value|Failed query|insert into/, 'nothing of the query, parameters, message or detail');
  t.match(out, /"code":"23505"/);
  t.match(out, /"constraint":"x_pkey"/);
  t.match(out, /could not store/, 'other messages are kept');
  t.equal(serializeError('Failed query: select 1\nparams: secret-value'), 'database error (query, parameters and detail withheld)', 'a message passed as a string is withheld when it quotes a query');
  t.equal(serializeError('connect ECONNREFUSED 127.0.0.1:6379'), 'connect ECONNREFUSED 127.0.0.1:6379', 'others are kept');
});
