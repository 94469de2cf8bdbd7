// A protocol version read in the reader's language, one reading for the CLI
// and the console: every code with its word, the fingerprints to compare,
// the document hash the hub announces.
import { createHash } from 'node:crypto';
import t from 'tap';
import { draftFromTemplate } from '../../../clients/templates.js';
import { canonicalize } from '../../../protocol/canonical.js';
import { durationParts, reviewProtocol } from '../../../protocol/protocol-review.js';
import { readableFingerprint, rootKeyFingerprint } from '../../../protocol/protocol-document.js';

const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
const rootKeys = { 'shelter-laval': 'A'.repeat(43), 'police-laval': 'Q'.repeat(43) };
const doc = draftFromTemplate('shelter-police', { shelter: 'shelter-laval', police: 'police-laval' }, { rootKeys, effectiveFrom: '2026-12-01T05:00:00.000Z' });

t.test('the shelter–police protocol in French and in English', async (t) => {
  const fr = reviewProtocol(doc, 'fr', sha256);
  const en = reviewProtocol(doc, 'en', sha256);
  t.equal(fr.documentHash, createHash('sha256').update(canonicalize(doc)).digest('base64url'), 'the hash of the canonical document');
  t.equal(fr.title, 'Protocole de collaboration maison d’hébergement – service de police');
  t.equal(en.title, 'Shelter – police collaboration protocol');
  t.same(fr.parties.map((p) => [p.agency, p.kind.label, p.fingerprint]), [
    ['shelter-laval', 'maison d’hébergement', readableFingerprint(rootKeyFingerprint(sha256, rootKeys['shelter-laval']))],
    ['police-laval', 'service de police', readableFingerprint(rootKeyFingerprint(sha256, rootKeys['police-laval']))],
  ]);
  const alert = fr.flows[0]!;
  t.same(alert.from, { kind: { code: 'shelter', label: 'maison d’hébergement' }, agencies: ['shelter-laval'] });
  t.same(alert.messageTypes[0], { code: 'danger_alert', label: 'Alerte de danger' });
  t.same(en.flows[0]!.messageTypes[0], { code: 'danger_alert', label: 'Danger alert' });
  t.same(alert.danger?.dataCategories.map((c) => c.code), ['identity', 'location', 'threat', 'risk_level']);
  t.same(alert.danger?.recipients, [alert.to], 'without consent, the flow’s recipients unless the protocol names others');
  t.equal(alert.consent?.basis.label, 'Consentement de la victime');
  t.same(alert.acknowledgement, {
    deadlineSeconds: 300,
    messageTypes: [{ code: 'danger_alert', label: 'Alerte de danger' }],
    escalation: [
      { afterSeconds: 0, inboxes: ['police-laval/supervision'] },
      { afterSeconds: 600, inboxes: ['police-laval/duty-officer'] },
    ],
    renotify: true,
  });
  t.equal(fr.flows[1]!.acknowledgement, null, 'a flow without a deadline says so');
  for (const review of [fr, en]) {
    const codes = JSON.stringify(review.flows.flatMap((f) => [...f.messageTypes, ...f.dataCategories, ...(f.consent?.purposes ?? [])]).filter((x) => x.code === x.label));
    t.equal(codes, '[]', 'every code has its word');
  }
});

t.test('durations as a person says them', async (t) => {
  t.same(durationParts(300), { unit: 'minutes', count: 5 });
  t.same(durationParts(7200), { unit: 'hours', count: 2 });
  t.same(durationParts(90), { unit: 'seconds', count: 90 });
});
