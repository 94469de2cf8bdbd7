// Bad input gets a 4xx with a stable code and changes nothing; never a 500.
import t from 'tap';
import pg from 'pg';
import { SignJWT } from 'jose';
import { buildEnvelope } from '../../../protocol/envelope.js';
import { fromB64u, toB64u } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';

t.test('malformed, hostile and unauthorised submissions', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const crypto = await loadSodium();
  const token = await worker.client.accessToken();
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const counts = async () => {
    const r = await db.query(
      'select (select count(*) from messages)::int m, (select count(*) from deliveries)::int d, (select count(*) from outbox)::int o, (select count(*) from inbox_events)::int e',
    );
    return r.rows[0];
  };

  const post = (body: string | object, headers: Record<string, string> = {}, tok: string | null = token) =>
    fetch(`${hub.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const expectError = async (res: Response, status: number, code: string, what: string) => {
    const body = (await res.json()) as { error?: { code: string; message: string } };
    t.equal(res.status, status, `${what}: HTTP ${status}`);
    t.equal(body.error?.code, code, `${what}: ${code}`);
    t.ok(body.error?.message, `${what}: has a message`);
  };

  const own = await worker.client.inboxes();
  const police = await worker.client.directory.recipient('police-laval/dispatch');
  const build = (over: Partial<Parameters<typeof buildEnvelope>[1]> = {}) =>
    buildEnvelope(crypto, {
      type: 'danger_alert',
      urgency: 'immediate',
      sender: { agency: 'shelter-laval', member: worker.keys.member, inbox: 'shelter-laval/intake' },
      senderInboxKey: own.get('shelter-laval/intake')!.keys.publicKey,
      senderInboxKeyVersion: own.get('shelter-laval/intake')!.certificate.keyVersion,
      recipients: [police],
      content: { text: 'x' },
      // Invariant 3: every envelope names its protocol version and legal basis.
      ...underDanger,
      signingSecretKey: fromB64u(worker.keys.signing.secretKey),
      ...over,
    });

  const before = await counts();
  await expectError(await post('{"header":'), 400, 'MALFORMED_JSON', 'truncated JSON');
  await expectError(await post({ header: 1, signature: 2, ciphertext: [] }), 400, 'INVALID_REQUEST', 'wrong types');
  await expectError(await post('x'.repeat(2 * 1024 * 1024)), 413, 'BODY_TOO_LARGE', 'oversized body');
  await expectError(await post('<alerte/>', { 'content-type': 'application/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'not JSON');
  await expectError(await post({ ...build(), extra: 1 }), 400, 'INVALID_REQUEST', 'unknown field');

  const unknown = build({ recipients: [{ ...police, inbox: 'police-ailleurs/dispatch' }] });
  await expectError(await post(unknown), 422, 'RECIPIENT_UNKNOWN', 'unknown recipient');

  const good = build();
  const tampered = { ...good, header: { ...good.header, urgency: 'routine' as const } };
  await expectError(await post(tampered), 422, 'SIGNATURE_INVALID', 'header changed after signing');
  const flipped = fromB64u(good.ciphertext);
  flipped[0]! ^= 1;
  await expectError(await post({ ...good, ciphertext: toB64u(flipped) }), 422, 'SIGNATURE_INVALID', 'ciphertext changed');
  const otherKey = build({ signingSecretKey: crypto.signKeypair().secretKey });
  await expectError(await post(otherKey), 422, 'SIGNATURE_INVALID', 'signed by another key');
  const impostor = build({ sender: { agency: 'police-laval', member: officer.keys.member, inbox: 'shelter-laval/intake' } });
  await expectError(await post(impostor), 403, 'SENDER_MISMATCH', 'declares another member');
  const stale = build({ createdAt: new Date(Date.now() - 3 * 86400_000).toISOString() });
  await expectError(await post(stale), 422, 'MESSAGE_STALE', 'three days old');
  await expectError(await post(build({ protocol: undefined })), 422, 'PROTOCOL_REQUIRED', 'no protocol version');
  await expectError(await post(build({ legalBasis: undefined })), 422, 'LEGAL_BASIS_REQUIRED', 'no legal basis');
  await expectError(await post(build({ recipients: [{ ...police, keyVersion: 7 }] })), 422, 'KEY_VERSION_UNKNOWN', 'a key version the inbox never had');

  await expectError(await post(good, {}, null), 401, 'UNAUTHENTICATED', 'no token');
  await expectError(await post(good, {}, `${token.slice(0, -4)}AAAA`), 401, 'TOKEN_INVALID', 'forged token');
  const wrongAudience = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: hub.app.hubKey.kid })
    .setIssuer(hub.config.audience).setAudience('urn:another:hub').setSubject(worker.keys.member).setIssuedAt().setExpirationTime('5m')
    .sign(hub.app.hubKey.privateKey);
  await expectError(await post(good, {}, wrongAudience), 401, 'TOKEN_INVALID', 'wrong audience');
  const expired = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: hub.app.hubKey.kid })
    .setIssuer(hub.config.audience).setAudience(hub.config.audience).setSubject(worker.keys.member).setIssuedAt(Math.floor(Date.now() / 1000) - 900).setExpirationTime(Math.floor(Date.now() / 1000) - 600)
    .sign(hub.app.hubKey.privateKey);
  await expectError(await post(good, {}, expired), 401, 'TOKEN_INVALID', 'expired token');
  t.same(await counts(), before, 'none of the refused submissions changed anything');

  // The same envelope twice is accepted once; another envelope with its id is refused.
  const first = await post(good);
  t.equal(first.status, 202, 'accepted');
  const replay = await post(good);
  t.equal(replay.status, 202, 'a replay is answered as accepted…');
  t.equal(((await replay.json()) as { duplicate: boolean }).duplicate, true, '…and flagged as a duplicate');
  const sameId = build({ id: good.header.id, content: { text: 'autre chose' } });
  await expectError(await post(sameId), 409, 'MESSAGE_ID_CONFLICT', 'another envelope under an accepted id');
  const after = await counts();
  t.same(after, { m: before.m + 1, d: before.d + 1, o: before.o + 1, e: before.e + 1 }, 'one message, one delivery, one outbox row, one feed event');

  // Officers may send too, but receipts only for their own inboxes.
  await expectError(
    await fetch(`${hub.url}/v1/messages/${good.header.id}/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"document":{}}',
    }),
    400,
    'INVALID_REQUEST',
    'receipt with a malformed document',
  );
  t.notOk(hub.logs.some((l) => l.includes('"statusCode":500')), 'no request was answered 500');
});

t.test('English on request, French by default', async (t) => {
  const hub = await startTestHub(t);
  const fr = (await (await fetch(`${hub.url}/v1/messages`, { method: 'POST' })).json()) as { error: { message: string } };
  const en = (await (await fetch(`${hub.url}/v1/messages`, { method: 'POST', headers: { 'accept-language': 'en-CA,en;q=0.9' } })).json()) as {
    error: { message: string };
  };
  t.equal(fr.error.message, 'Authentification requise.');
  t.equal(en.error.message, 'Authentication required.');
});
