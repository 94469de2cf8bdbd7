// The register's text view (`vigie audit register`): every kind of row the hub
// serves — accepted under consent or without it, refused, each step of an
// acknowledgement deadline, an erased content, an event this version does not
// know — reads as what it is, in French and in English, with the flags an
// auditor must not miss. Before this view, escalation steps printed as
// « REFUSÉE » with an empty reason, and the flags were dropped.
import t from 'tap';
import { Context } from '../../../clients/cli/context.js';
import { eventName, registerRowLines, registerText } from '../../../clients/cli/register-view.js';
import type { RegisterRow } from '../../../protocol/register.js';

const fr = new Context('fr', 'http://hub', '/nowhere', false, {});
const en = new Context('en', 'http://hub', '/nowhere', false, {});

const MESSAGE = '0b8e2f52-5d7c-4c43-9d2a-0a4f7c1f1a01';
const CONSENT = '5a1b8c4e-8f2d-4e5a-9b7c-2d3e4f5a6b7c';

function row(fields: Partial<RegisterRow>): RegisterRow {
  return {
    index: 7,
    at: '2026-11-29T07:14:07.000Z',
    event: 'accepted',
    message: MESSAGE,
    messageType: 'danger_alert',
    senderAgency: 'shelter-laval',
    senderInbox: 'shelter-laval/intake',
    recipients: 'police-laval/dispatch',
    declaredRecipients: '',
    legalBasis: '',
    legalReference: '',
    withoutConsent: false,
    dangerReason: '',
    followUp: false,
    purpose: '',
    consent: '',
    protocol: 'shelter-police@1',
    dataCategories: '',
    reason: '',
    contentHash: 'A'.repeat(43),
    ...fields,
  };
}

const underConsent = row({ legalBasis: 'consent', purpose: 'victim_safety', consent: CONSENT, dataCategories: 'identity location' });
const underDanger = row({
  index: 8,
  legalBasis: 'apprehended_danger',
  dangerReason: 'death_threat',
  legalReference: 'DIR-2026-04',
  withoutConsent: true,
  followUp: true,
  dataCategories: 'identity location threat',
});
const refused = row({ index: 9, event: 'refused', legalBasis: 'consent', purpose: 'victim_safety', reason: 'CONSENT_EXPIRED', protocol: 'shelter-police@1' });
// The hub serves a refused header's recipients apart, as the sender's claim.
const refusedDeclared = row({ index: 10, event: 'refused', recipients: '', declaredRecipients: 'police-laval/dispatch', reason: 'FLOW_NOT_ALLOWED' });
// The three steps of an acknowledgement deadline carry no legal basis and no reason.
const unacknowledged = row({ index: 11, event: 'unacknowledged' });
const escalated = row({ index: 12, event: 'escalated' });
const exhausted = row({ index: 13, event: 'exhausted' });
const erased = row({ index: 14, event: 'erased', legalBasis: 'consent' });
const unknown = row({ index: 15, event: 'witness_alarm', reason: 'FORK' });

const text = (ctx: Context, r: RegisterRow) => registerRowLines(ctx, r).join('\n');
const head = (ctx: Context, r: RegisterRow) => registerRowLines(ctx, r)[0]!;

t.test('a disclosure under the victim’s consent', async (t) => {
  t.match(head(fr, underConsent), /^#7  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[^)]*\)  COMMUNICATION ACCEPTÉE  Alerte de danger$/);
  const lines = text(fr, underConsent);
  t.match(lines, '  shelter-laval/intake → police-laval/dispatch');
  t.match(lines, `  fondement : Consentement de la victime — finalité : Assurer la sécurité de la victime — consentement ${CONSENT}`);
  t.match(lines, '  catégories : Identité de la personne, Lieu où se trouve la personne');
  t.match(lines, '  protocole : shelter-police@1');
  t.match(lines, `  Message : ${MESSAGE}`);
  t.notMatch(lines, /SANS CONSENTEMENT|SUIVI|REFUS|motif du refus/, 'no flag and no refusal on a disclosure under consent');
  t.match(head(en, underConsent), /  DISCLOSURE ACCEPTED  Danger alert$/);
  t.match(text(en, underConsent), 'basis: Victim’s consent — purpose: ');
});

t.test('a disclosure under apprehended danger shows both flags', async (t) => {
  const lines = text(fr, underDanger);
  t.match(head(fr, underDanger), 'COMMUNICATION ACCEPTÉE');
  t.match(lines, '  fondement : Danger appréhendé (sans consentement) — motif : Menaces de mort — référence : DIR-2026-04');
  t.match(lines, '\n  SANS CONSENTEMENT — SUIVI ÉCRIT REQUIS\n');
  t.match(text(en, underDanger), '\n  WITHOUT CONSENT — WRITTEN FOLLOW-UP REQUIRED\n');
  t.match(text(en, underDanger), 'reason: Death threats — reference: DIR-2026-04');
  t.notMatch(lines, /REFUS/);
});

t.test('a refused message: refused, its reason, and its recipients as the sender named them', async (t) => {
  t.match(head(fr, refused), 'REFUSÉE (rien n’a été communiqué)');
  t.match(text(fr, refused), '  motif du refus : Le consentement de ce dossier est expiré. [CONSENT_EXPIRED]');
  t.match(text(fr, refused), '  shelter-laval/intake → police-laval/dispatch (nommés par l’expéditeur; rien ne leur a été communiqué)');
  t.match(head(en, refused), 'REFUSED (nothing was disclosed)');
  t.match(text(en, refused), '  refusal reason: The consent for this case has expired. [CONSENT_EXPIRED]');
  t.match(text(fr, refusedDeclared), '→ police-laval/dispatch (nommés par l’expéditeur', 'the declared recipients when the hub serves them apart');
  t.match(text(fr, refusedDeclared), 'motif du refus : Le protocole ne permet pas ce type de message de cet expéditeur à ce destinataire. [FLOW_NOT_ALLOWED]');
});

t.test('the steps of an acknowledgement deadline are not refusals', async (t) => {
  const cases = [
    [unacknowledged, 'DÉLAI DE PRISE EN CHARGE ÉCHU', 'ACKNOWLEDGEMENT DEADLINE PASSED', 'personne à police-laval/dispatch ne l’a prise en charge dans le délai du protocole', 'nobody at police-laval/dispatch acknowledged it within'],
    [escalated, 'ESCALADE', 'ESCALATED', 'toujours sans prise en charge à police-laval/dispatch', 'still not acknowledged at police-laval/dispatch'],
    [exhausted, 'CHAÎNE D’ESCALADE ÉPUISÉE', 'ESCALATION CHAIN EXHAUSTED', 'avant la fin de la chaîne d’escalade', 'before the escalation chain ran out'],
  ] as const;
  for (const [r, nameFr, nameEn, meaningFr, meaningEn] of cases) {
    t.match(head(fr, r), `  ${nameFr}  Alerte de danger`, `${r.event} in French`);
    t.match(head(en, r), `  ${nameEn}  Danger alert`, `${r.event} in English`);
    t.match(text(fr, r), meaningFr);
    t.match(text(en, r), meaningEn);
    t.match(text(fr, r), '  shelter-laval/intake → police-laval/dispatch\n');
    t.match(text(fr, r), '  protocole : shelter-police@1');
    for (const lines of [text(fr, r), text(en, r)]) {
      t.notMatch(lines, /REFUS|refus|ACCEPT|accept|fondement|basis/i, `${r.event}: neither refused nor accepted, and no basis of its own`);
    }
  }
});

t.test('an event this version does not know is shown by its code', async (t) => {
  t.match(head(fr, unknown), 'événement « witness_alarm »');
  t.match(head(en, unknown), 'event "witness_alarm"');
  t.match(text(fr, unknown), '  code : FORK');
  t.notMatch(text(fr, unknown) + text(en, unknown), /REFUS|refus|ACCEPT|ESCALADE|ESCALATED/i, 'never under another event’s name');
  t.equal(eventName(fr, '\u001b[2Jaccepted'), 'événement « \uFFFD[2Jaccepted »', 'a code that is not known is cleaned of terminal controls');
  t.match(head(fr, erased), 'CONTENU EFFACÉ (fin de la conservation)');
  t.match(head(en, erased), 'CONTENT ERASED (retention ended)');
});

t.test('the whole register: each row, then the count', async (t) => {
  const rows = [underConsent, underDanger, refused, unacknowledged, escalated, exhausted, unknown];
  const all = registerText(fr, rows);
  t.equal(all.match(/^#\d+ /gm)?.length, rows.length, 'one block per row');
  t.match(all, /7 communication\(s\)\. Cette consultation est elle-même inscrite au journal\.\n$/);
  t.match(registerText(en, []), /^0 communication\(s\)\./, 'an empty register says so');
});
