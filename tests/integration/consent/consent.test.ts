// Consent: recorded and revoked by the agency serving the victim, effective at
// once; revoking while messages are in flight refuses every later one and
// leaves the earlier, accepted ones delivered and on the record.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { and, eq, inArray } from 'drizzle-orm';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { logLeaves, logRecords } from '../../../server/disclosure-log/tables.js';
import { deliveries } from '../../../server/messages/tables.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';
import { observeRawFrames } from '../../helpers/raw-frames.js';


t.test('record, list, revoke: the agency’s own consents, with clear refusals', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, worker, officer } = await enrolPartners(hub.url, hub.operatorToken);
  const input = {
    id: randomUUID(),
    case: 'DOSSIER-42',
    recipients: ['police-laval'],
    purposes: ['victim_safety'],
    dataCategories: ['identity', 'threat'],
    validUntil: new Date(Date.now() + 30 * 86400_000).toISOString(),
    evidenceHash: 'C'.repeat(43),
  };
  const recorded = await worker.client.recordConsent(input);
  t.match(recorded, { id: input.id, agency: 'shelter-laval', case: 'DOSSIER-42', state: 'active', revokedAt: null });
  t.same(await worker.client.recordConsent(input), recorded, 'recording the same consent again changes nothing');
  t.equal(await codeOf(worker.client.recordConsent({ ...input, purposes: ['court_proceedings'] })), 'CONSENT_EXISTS', 'the same id with other terms is refused');
  t.equal(
    await codeOf(worker.client.recordConsent({ ...input, id: randomUUID(), validFrom: '2026-01-02T00:00:00.000Z', validUntil: '2026-01-01T00:00:00.000Z' })),
    'CONSENT_PERIOD_INVALID',
  );
  t.equal(await codeOf(worker.client.recordConsent({ ...input, id: randomUUID(), recipients: ['police-inconnue'] })), 'AGENCY_UNKNOWN');
  t.equal(await codeOf(worker.client.recordConsent({ ...input, id: randomUUID(), case: 'Marie Tremblay' })), 'INVALID_REQUEST', 'a name is not a pseudonymous case reference');
  const reader = await enrolDevice(hub.url, shelter, 'lecteur', ['receiver'], ['shelter-laval/intake']);
  t.equal(await codeOf(reader.client.recordConsent({ ...input, id: randomUUID() })), 'ROLE_REQUIRED', 'a receiver-only device cannot record consent');

  t.same((await worker.client.consents({ case: 'DOSSIER-42' })).map((c) => c.id), [input.id], 'listed by case');
  t.equal((await officer.client.consents()).some((c) => c.id === input.id), false, 'another agency does not see it');
  t.equal(await codeOf(officer.client.revokeConsent(input.id)), 'CONSENT_UNKNOWN', 'nor can it revoke it');

  const revoked = await worker.client.revokeConsent(input.id);
  t.equal(revoked.state, 'revoked');
  t.ok(revoked.revokedAt, 'revocation time recorded');
  t.same(await worker.client.revokeConsent(input.id), revoked, 'revoking twice changes nothing');
  t.same((await worker.client.consents({ state: 'revoked' })).map((c) => c.id), [input.id], 'filtered by state');

  await hub.app.disclosureLog.flush();
  const leaves = await hub.app.db.select({ kind: logLeaves.kind, data: logRecords.record }).from(logLeaves).innerJoin(logRecords, eq(logRecords.index, logLeaves.index)).where(eq(logLeaves.subject, input.id));
  t.same(leaves.map((l) => l.kind).sort(), ['consent.recorded', 'consent.revoked'], 'recorded and revoked once each, on the record');
  t.notOk(leaves.some((l) => l.data.includes('DOSSIER-42')), 'the case reference stays out of the log');
});

t.test('revoking while messages are in flight', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, consentId, underConsent, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const raw = observeRawFrames(t);
  const received = new Map<string, number>();
  const stream = officer.client.stream();
  stream.on('message', (m: OpenedMessage) => void received.set(m.id, (received.get(m.id) ?? 0) + 1));
  await stream.open();
  t.teardown(() => stream.close());

  type Outcome = { id: string; startedAt: number; result: string };
  const outcomes: Outcome[] = [];
  let revokedAt = Infinity;
  let accepted = 0;
  const TOTAL = 60;
  let next = 0;
  // Four senders in parallel; the consent is revoked once 15 messages were accepted.
  const sender = async () => {
    while (next < TOTAL) {
      const n = next++;
      const id = randomUUID();
      const startedAt = performance.now();
      const result = await codeOf(
        worker.client.send({ id, type: 'note', recipients: ['police-laval/dispatch'], content: { n }, ...underConsent }).then(() => {
          accepted++;
        }),
      );
      outcomes.push({ id, startedAt, result });
    }
  };
  const revoker = (async () => {
    await eventually(() => accepted >= 15, 30_000, 5);
    await worker.client.revokeConsent(consentId);
    revokedAt = performance.now();
  })();
  await Promise.all([sender(), sender(), sender(), sender(), revoker]);

  const ok = outcomes.filter((o) => o.result === 'OK');
  const refused = outcomes.filter((o) => o.result !== 'OK');
  t.equal(outcomes.length, TOTAL);
  t.ok(ok.length >= 15, `${ok.length} accepted before the revocation`);
  t.ok(refused.length > 0, `${refused.length} refused after it`);
  t.same([...new Set(refused.map((o) => o.result))], ['CONSENT_REVOKED'], 'every refusal says the consent was revoked');
  const later = outcomes.filter((o) => o.startedAt > revokedAt);
  t.ok(later.length > 0, `${later.length} messages sent after the revocation returned`);
  t.ok(later.every((o) => o.result === 'CONSENT_REVOKED'), 'every message sent after the revocation is refused');

  await eventually(() => ok.every((o) => received.has(o.id)), 20_000);
  // Every delivery job has published (pushed_at); an alert sent now travels behind all of them on the same
  // socket, so once it arrived nothing more of these messages is on its way.
  await eventually(async () => (await hub.app.db.select({ pushedAt: deliveries.pushedAt }).from(deliveries).where(inArray(deliveries.messageId, ok.map((o) => o.id)))).every((d) => d.pushedAt !== null));
  const marker = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { marker: true }, ...underDanger });
  await eventually(() => received.has(marker.id), 20_000);
  t.ok(ok.every((o) => received.get(o.id) === 1), 'every accepted message reached the police application exactly once');
  t.ok(refused.every((o) => !received.has(o.id)), 'no refused message reached the police');
  // The stream stayed live on one socket through no fault: the wire carried each message once, not only the SDK's view.
  const frames = raw.messageCounts(officer.keys.member, 'police-laval/dispatch');
  t.equal(raw.connections(officer.keys.member), 1, 'one socket, never reconnected');
  t.ok(ok.every((o) => frames.get(o.id) === 1), 'one frame per accepted message on the wire');
  t.ok(refused.every((o) => !frames.has(o.id)), 'no frame of a refused message');

  await hub.app.disclosureLog.flush();
  const acceptedLeaves = await hub.app.db
    .select({ data: logRecords.record })
    .from(logLeaves).innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
    .where(and(eq(logLeaves.kind, 'message.accepted'), inArray(logLeaves.subject, ok.map((o) => o.id))));
  t.equal(acceptedLeaves.length, ok.length, 'the accepted ones stay on the record');
  t.ok(
    acceptedLeaves.every((l) => (JSON.parse(l.data) as { legalBasis: { consent: string } }).legalBasis.consent === consentId),
    'each names the consent it was disclosed under',
  );
  const refusedLeaves = await hub.app.db
    .select({ data: logRecords.record })
    .from(logLeaves).innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
    .where(and(eq(logLeaves.kind, 'message.refused'), inArray(logLeaves.subject, refused.map((o) => o.id))));
  t.equal(refusedLeaves.length, refused.length, 'each refusal is on the record');
});
