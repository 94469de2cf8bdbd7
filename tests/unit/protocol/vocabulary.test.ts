// The one vocabulary (protocol/vocabulary.ts, docs/vocabulary.md): every list
// names each of its codes in French and in English, never twice the same way,
// never as the code itself; every code the wire can carry has its words; and
// the same thing has one name wherever it appears.
import t from 'tap';
import { CONSENT_STATES } from '../../../protocol/consent.js';
import { REFUSAL_CODES } from '../../../protocol/disclosure.js';
import { ANSWERS, ANSWER_SOURCES } from '../../../protocol/instrument.js';
import { PROTOCOL_STATUSES } from '../../../protocol/protocol-document.js';
import { REGISTER_EVENTS } from '../../../protocol/register.js';
import { AGENCY_KINDS, LEGAL_BASES, MESSAGE_TYPES, RECEIPT_KINDS, ROLES, URGENCIES } from '../../../protocol/schemas.js';
import * as vocabulary from '../../../protocol/vocabulary.js';
import { labelOf, type Labels } from '../../../protocol/vocabulary.js';
import { VOCABULARY_LISTS } from '../../helpers/raw-codes.js';

/** Every table of labels the vocabulary exports, error codes' words (REFUSAL_LABELS) included. */
const TABLES: Record<string, Readonly<Record<string, Labels>>> = { ...VOCABULARY_LISTS, REFUSAL_LABELS: vocabulary.REFUSAL_LABELS };

const looksLikeCode = (label: string) => /_/.test(label) || /^[a-z]+[A-Z]\w*$/.test(label) || /^[A-Z]+(_[A-Z]+)+$/.test(label);

t.test('every list names every code in French and in English', async (t) => {
  t.ok(Object.keys(TABLES).length >= 18, `the lists are found (${Object.keys(TABLES).join(', ')})`);
  for (const [list, table] of Object.entries(TABLES)) {
    for (const [code, labels] of Object.entries(table)) {
      for (const lang of ['fr', 'en'] as const) {
        const label = labels[lang];
        if (typeof label !== 'string' || label.trim() === '' || label !== label.trim()) t.fail(`${list}.${code}: no ${lang} label, or blank around it`);
        if (looksLikeCode(label)) t.fail(`${list}.${code}: the ${lang} label is written as a code: ${label}`);
      }
      // A French label is never the code; an English one may be, when the code is a plain English word (`urgent`, `shelter`).
      if (labels.fr.toLowerCase() === code.toLowerCase() && code !== 'note') t.fail(`${list}.${code}: the French label is the code`);
      if (labels.en.toLowerCase() === code.toLowerCase() && !/^[a-z]+$/.test(code)) t.fail(`${list}.${code}: the English label is the code`);
    }
  }
});

t.test('within a list, no two codes share a label', async (t) => {
  for (const [list, table] of Object.entries(TABLES)) {
    for (const lang of ['fr', 'en'] as const) {
      const seen = new Map<string, string>();
      for (const [code, labels] of Object.entries(table)) {
        const key = labels[lang].toLocaleLowerCase(lang);
        if (seen.has(key)) t.fail(`${list}: ${seen.get(key)} and ${code} are both « ${labels[lang]} » in ${lang}`);
        seen.set(key, code);
      }
    }
  }
});

t.test('every code the wire carries has its words', async (t) => {
  const complete = (list: string, table: Readonly<Record<string, Labels>>, codes: readonly string[]) =>
    t.same(Object.keys(table).filter((c) => codes.includes(c)).sort(), [...codes].sort(), `${list}: every code has its words`);
  complete('message types', vocabulary.MESSAGE_TYPE_LABELS, MESSAGE_TYPES);
  complete('urgencies', vocabulary.URGENCY_LABELS, URGENCIES);
  complete('legal bases', vocabulary.LEGAL_BASIS_LABELS, LEGAL_BASES);
  complete('roles', vocabulary.ROLE_LABELS, ROLES);
  complete('agency kinds', vocabulary.AGENCY_KIND_LABELS, AGENCY_KINDS);
  complete('consent states', vocabulary.CONSENT_STATE_LABELS, CONSENT_STATES);
  complete('protocol statuses', vocabulary.PROTOCOL_STATUS_LABELS, PROTOCOL_STATUSES);
  complete('receipts', vocabulary.RECEIPT_KIND_LABELS, RECEIPT_KINDS);
  complete('register events', vocabulary.REGISTER_EVENT_LABELS, REGISTER_EVENTS);
  complete('refusals', vocabulary.REFUSAL_LABELS, REFUSAL_CODES);
  complete('answers', vocabulary.ANSWER_LABELS, ANSWERS);
  complete('answer sources', vocabulary.ANSWER_SOURCE_LABELS, ANSWER_SOURCES);
  complete('delivery states', vocabulary.DELIVERY_STATE_LABELS, ['accepted', 'pushed', 'delivered', 'acknowledged']);
  complete('notices', vocabulary.NOTICE_KIND_LABELS, ['escalation', 'renotify', 'unacknowledged', 'escalated', 'escalation_exhausted']);
  t.same(vocabulary.MESSAGE_TYPE_LABELS.danger_alert, vocabulary.MESSAGE_TYPE_URGENCY.danger_alert.labels, 'a message type has one name, whether looked up for its urgency or its words');
});

t.test('the same thing has one name everywhere', async (t) => {
  const french = Object.values(TABLES).flatMap((table) => Object.values(table).map((l) => l.fr));
  t.notOk(french.some((l) => /Bris de condition(?!s)/.test(l)), 'always « Bris de conditions »');
  t.notOk(french.some((l) => /(?<!re)mise en liberté/i.test(l)), 'always « remise en liberté », never « mise en liberté »');
  t.equal(vocabulary.MESSAGE_TYPE_LABELS.condition_breach.fr, vocabulary.DANGER_REASONS.breach.fr, 'the breach, as a message type and as a reason');
  t.equal(vocabulary.MESSAGE_TYPE_LABELS.condition_breach.en, vocabulary.DANGER_REASONS.breach.en);
  t.equal(vocabulary.MESSAGE_TYPE_LABELS.release_conditions.fr, 'Conditions de remise en liberté');
  t.equal(vocabulary.DANGER_REASONS.release.fr, 'Remise en liberté imminente');
  t.equal(vocabulary.MESSAGE_TYPE_LABELS.risk_assessment.fr, 'Évaluation du risque', 'the type and the purpose say the same thing in their own form');
  t.equal(vocabulary.PURPOSES.risk_assessment.fr, 'Évaluer le risque');
});

t.test('labelOf: the words, or an unknown code as it is', async (t) => {
  t.equal(labelOf(vocabulary.MESSAGE_TYPE_LABELS, 'condition_breach', 'fr'), 'Bris de conditions');
  t.equal(labelOf(vocabulary.MESSAGE_TYPE_LABELS, 'condition_breach', 'en'), 'Breach of conditions');
  t.equal(labelOf(vocabulary.URGENCY_LABELS, 'a_newer_code', 'fr'), 'a_newer_code', 'a newer partner’s code is shown, never dropped or renamed');
  t.equal(labelOf(vocabulary.URGENCY_LABELS, 'toString', 'fr'), 'toString', 'an inherited property is not a code');
});
