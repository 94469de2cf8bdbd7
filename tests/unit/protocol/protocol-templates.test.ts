import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import {
  checkProtocolDocument,
  DATA_CATEGORIES,
  draftProtocol,
  MESSAGE_TYPES,
  ProtocolDocumentSchema,
  PURPOSES,
  TemplateBindingError,
  templateRoles,
  type ProtocolDocument,
} from '../../../protocol/index.js';

const dir = fileURLToPath(new URL('../../../config/protocols/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const effectiveFrom = '2026-01-05T05:00:00.000Z';
const bind = (roles: { role: string }[]) => Object.fromEntries(roles.map(({ role }) => [role, `${role.replaceAll('_', '-')}-laval`]));
const isCategory = (c: string) => Object.hasOwn(DATA_CATEGORIES, c);
const isPurpose = (p: string) => Object.hasOwn(PURPOSES, p);
const isMessageType = (m: string) => (MESSAGE_TYPES as readonly string[]).includes(m);

const FP = 'A'.repeat(43);
const FP2 = 'B'.repeat(43);
const fingerprints = (agencies: string[]) => Object.fromEntries(agencies.map((a) => [a, FP]));

t.test('the six partner templates are there', async (t) => {
  t.same(files, [
    'cellule-intervention-rapide.json',
    'custody-events.json',
    'partner-program-justice.json',
    'shelter-partner-program.json',
    'shelter-police.json',
    'shelter-prosecution.json',
  ]);
});

for (const file of files) {
  const name = basename(file, '.json');
  const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;

  t.test(`${name}: drafts into a valid, coherent protocol`, async (t) => {
    t.equal(template.template, name, 'template name equals the file name');
    t.equal(template.id, name, 'default id is the template name');
    t.equal(template.version, 1);
    t.notOk('effectiveFrom' in template, 'the drafter sets the effective date');
    const description = template.description as { fr?: unknown; en?: unknown };
    t.ok(typeof description?.fr === 'string' && description.fr.length > 0, 'French description');
    t.ok(typeof description?.en === 'string' && description.en.length > 0, 'English description');
    t.notMatch(JSON.stringify(template.description), /\{\{/, 'no placeholder in the description');

    const roles = templateRoles(template);
    t.ok(roles.length >= 2, 'at least two roles');
    t.equal(new Set(roles.map((r) => r.role)).size, roles.length, 'each role once');
    const bindings = bind(roles);
    const doc = draftProtocol(template, bindings, { effectiveFrom, rootKeyFingerprints: fingerprints(Object.values(bindings)) });
    const errors = [...Value.Errors(ProtocolDocumentSchema, doc)].map((e) => `${e.path}: ${e.message}`);
    t.same(errors, [], 'schema errors');
    t.ok(Value.Check(ProtocolDocumentSchema, doc), 'passes the schema');
    const checked = doc as ProtocolDocument;
    t.same(checkProtocolDocument(checked), [], 'coherence problems');
    t.equal(checked.id, name);
    t.equal(checked.effectiveFrom, effectiveFrom);
    t.same(
      checked.parties.map((p) => p.agency),
      roles.map((r) => bindings[r.role]),
      'parties bound in order',
    );
    t.notMatch(JSON.stringify(doc), /\{\{[a-z][a-z0-9_]*\}\}/, 'no placeholder left');
    t.notOk('template' in (doc as object) || 'description' in (doc as object), 'template-only keys dropped');
    t.ok(checked.titles.fr && checked.titles.en && checked.titles.fr !== checked.titles.en, 'protocol titles in both languages');
  });

  t.test(`${name}: speaks only the shared vocabulary`, async (t) => {
    const bound = bind(templateRoles(template));
    const doc = draftProtocol(template, bound, { effectiveFrom, rootKeyFingerprints: fingerprints(Object.values(bound)) }) as ProtocolDocument;
    const flowTitles = new Set<string>();
    for (const flow of doc.flows) {
      t.ok(flow.titles.fr.length > 0 && flow.titles.en.length > 0 && flow.titles.fr !== flow.titles.en, `${flow.id}: titles fr/en`);
      t.notOk(flowTitles.has(flow.titles.fr), `${flow.id}: French title unique`);
      flowTitles.add(flow.titles.fr);
      t.same(flow.messageTypes.filter((m) => !isMessageType(m)), [], `${flow.id}: message types`);
      t.same(flow.dataCategories.filter((c) => !isCategory(c)), [], `${flow.id}: categories`);
      const { consent, apprehended_danger: danger, legal_obligation: obligation } = flow.legalBases;
      t.same(consent?.purposes.filter((p) => !isPurpose(p)) ?? [], [], `${flow.id}: purposes`);
      t.same(danger?.dataCategories.filter((c) => !isCategory(c)) ?? [], [], `${flow.id}: minimum categories`);
      t.same(flow.acknowledgement?.messageTypes.filter((m) => !isMessageType(m)) ?? [], [], `${flow.id}: acknowledged types`);
      // A category that no basis of the flow lets travel is a drafting mistake.
      if (danger && !consent && !obligation) {
        t.same(
          flow.dataCategories.filter((c) => !danger.dataCategories.includes(c)),
          [],
          `${flow.id}: every category can travel under apprehended danger`,
        );
      }
      for (const reference of obligation?.references ?? []) {
        t.equal(reference, reference.trim(), `${flow.id}: reference "${reference}" has no stray spaces`);
      }
    }
  });

  t.test(`${name}: a missing binding is refused`, async (t) => {
    const roles = templateRoles(template);
    for (const { role } of roles) {
      const bindings = bind(roles);
      delete bindings[role];
      const err = t.throws(() => draftProtocol(template, bindings, { effectiveFrom }), { code: 'TEMPLATE_BINDING_MISSING' }, `without ${role}`);
      t.ok(err instanceof TemplateBindingError, `without ${role}: a TemplateBindingError`);
      t.same((err as TemplateBindingError).missing, [role], `without ${role}: names the role`);
    }
  });
}

t.test('draftProtocol sets the id and version it is given', async (t) => {
  const template = JSON.parse(readFileSync(join(dir, 'shelter-police.json'), 'utf8')) as Record<string, unknown>;
  const doc = draftProtocol(template, { shelter: 'maison-laval', police: 'spl' }, { id: 'laval-maison-police', version: 3, effectiveFrom, rootKeyFingerprints: { 'maison-laval': FP, spl: FP2 } }) as ProtocolDocument;
  t.equal(doc.id, 'laval-maison-police');
  t.equal(doc.version, 3);
  t.same(doc.parties, [
    { agency: 'maison-laval', kind: 'shelter', rootKeyFingerprint: FP },
    { agency: 'spl', kind: 'police', rootKeyFingerprint: FP2 },
  ], 'each party with the fingerprint of its root key');
  t.same(doc.flows[0]?.acknowledgement?.escalation[0]?.inboxes, ['spl/supervision']);
  t.same(checkProtocolDocument(doc), []);
});

t.test('checkProtocolDocument names each incoherence', async (t) => {
  const base = (): ProtocolDocument => ({
    type: 'protocol',
    v: 1,
    id: 'laval-maison-police',
    version: 1,
    titles: { fr: 'Protocole', en: 'Protocol' },
    parties: [
      { agency: 'maison-laval', kind: 'shelter', rootKeyFingerprint: FP },
      { agency: 'police-laval', kind: 'police', rootKeyFingerprint: FP2 },
    ],
    effectiveFrom,
    retention: { days: 2555 },
    flows: [
      {
        id: 'alerte',
        titles: { fr: 'Alertes', en: 'Alerts' },
        from: { kind: 'shelter' },
        to: { kind: 'police' },
        messageTypes: ['danger_alert', 'note'],
        dataCategories: ['identity', 'location', 'threat'],
        legalBases: { apprehended_danger: { dataCategories: ['identity', 'location'] }, consent: { purposes: ['victim_safety'] } },
        acknowledgement: {
          messageTypes: ['danger_alert'],
          deadlineSeconds: 300,
          renotifyRecipients: true,
          escalation: [
            { afterSeconds: 0, inboxes: ['police-laval/supervision'] },
            { afterSeconds: 600, inboxes: ['police-laval/duty-officer'] },
          ],
        },
      },
      {
        id: 'suivi',
        titles: { fr: 'Suivi', en: 'Follow-up' },
        from: { inbox: 'police-laval/dispatch' },
        to: { inbox: 'maison-laval/intake' },
        messageTypes: ['note'],
        dataCategories: ['identity'],
        legalBases: { consent: { purposes: ['victim_safety'] } },
      },
    ],
  });
  t.ok(Value.Check(ProtocolDocumentSchema, base()), 'the base passes the schema');
  t.same(checkProtocolDocument(base()), [], 'the base is coherent');

  const cases: [string, (d: ProtocolDocument) => void, { path: string; problem: RegExp }][] = [
    ['duplicate party', (d) => d.parties.push({ agency: 'maison-laval', kind: 'shelter', rootKeyFingerprint: FP }), { path: '/parties/2/agency', problem: /listed twice/ }],
    ['duplicate flow id', (d) => (d.flows[1]!.id = 'alerte'), { path: '/flows/1/id', problem: /used twice/ }],
    ['kind of no party', (d) => (d.flows[0]!.to = { kind: 'prosecution' }), { path: '/flows/0/to', problem: /no party of kind prosecution/ }],
    [
      'inbox of no party',
      (d) => (d.flows[1]!.from = { inbox: 'police-longueuil/dispatch' }),
      { path: '/flows/1/from', problem: /belongs to no party/ },
    ],
    [
      'inbox whose agency is only a prefix of a party',
      (d) => (d.flows[1]!.to = { inbox: 'maison-lavalx/intake' }),
      { path: '/flows/1/to', problem: /belongs to no party/ },
    ],
    [
      'minimum category outside the flow',
      (d) => d.flows[0]!.legalBases.apprehended_danger!.dataCategories.push('firearms'),
      { path: '/flows/0/legalBases/apprehended_danger/dataCategories/2', problem: /firearms is not a category of the flow/ },
    ],
    [
      'danger recipient of no party',
      (d) => (d.flows[0]!.legalBases.apprehended_danger!.recipients = [{ inbox: 'police-laval/dispatch' }, { kind: 'corrections' }]),
      { path: '/flows/0/legalBases/apprehended_danger/recipients/1', problem: /no party of kind corrections/ },
    ],
    [
      'acknowledged type the flow does not carry',
      (d) => d.flows[0]!.acknowledgement!.messageTypes.push('risk_assessment'),
      { path: '/flows/0/acknowledgement/messageTypes/1', problem: /risk_assessment is not a message type of the flow/ },
    ],
    [
      'escalation inbox of no party',
      (d) => (d.flows[0]!.acknowledgement!.escalation[1]!.inboxes = ['police-laval/duty-officer', 'sq/centre']),
      { path: '/flows/0/acknowledgement/escalation/1/inboxes/1', problem: /inbox sq\/centre belongs to no party/ },
    ],
    [
      'escalation steps at the same time',
      (d) => (d.flows[0]!.acknowledgement!.escalation[1]!.afterSeconds = 0),
      { path: '/flows/0/acknowledgement/escalation/1/afterSeconds', problem: /later and later/ },
    ],
    [
      'escalation steps going back in time',
      (d) => d.flows[0]!.acknowledgement!.escalation.push({ afterSeconds: 300, inboxes: ['police-laval/supervision'] }),
      { path: '/flows/0/acknowledgement/escalation/2/afterSeconds', problem: /later and later/ },
    ],
    [
      'danger alert without acknowledgement',
      (d) => delete d.flows[0]!.acknowledgement,
      { path: '/flows/0/acknowledgement', problem: /danger_alert needs an acknowledgement deadline/ },
    ],
    [
      'rapid-intervention activation not acknowledged',
      (d) => d.flows[1]!.messageTypes.push('cir_activation'),
      { path: '/flows/1/acknowledgement', problem: /cir_activation needs an acknowledgement deadline/ },
    ],
    [
      'acknowledgement that omits the danger alert',
      (d) => (d.flows[0]!.acknowledgement!.messageTypes = ['note']),
      { path: '/flows/0/acknowledgement', problem: /danger_alert needs an acknowledgement deadline/ },
    ],
  ];
  for (const [label, mutate, expected] of cases) {
    const doc = base();
    mutate(doc);
    t.ok(Value.Check(ProtocolDocumentSchema, doc), `${label}: still passes the schema`);
    const problems = checkProtocolDocument(doc);
    t.equal(problems.length, 1, `${label}: one problem`);
    t.equal(problems[0]?.path, expected.path, `${label}: path`);
    t.match(problems[0]?.problem, expected.problem, `${label}: problem`);
  }
});
