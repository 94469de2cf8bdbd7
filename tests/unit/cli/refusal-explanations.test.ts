// Every reason the hub gives for refusing a message (and the protocol,
// consent and risk-instrument refusals) has an explanation in the CLI's table, in French and in
// English, and the CLI prints it with the hub's message and details.
import t from 'tap';
import { describeRefusal, describeError, EXIT, hubDetails } from '../../../clients/cli/errors.js';
import { MESSAGES, refusalKey } from '../../../clients/cli/i18n.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { ProtocolMismatchError } from '../../../clients/sdk/wire-check.js';
import { REFUSAL_CODES } from '../../../protocol/disclosure.js';

const OTHER_CODES = [
  'PROTOCOL_INVALID',
  'PROTOCOL_SIGNATURE_INVALID',
  'PROTOCOL_VERSION_CONFLICT',
  'PROTOCOL_UNKNOWN',
  'CONSENT_UNKNOWN',
  'CONSENT_EXISTS',
  'CONSENT_PERIOD_INVALID',
  'INSTRUMENT_UNKNOWN',
] as const;

t.test('every refusal code has an explanation in French and in English', async (t) => {
  t.ok(REFUSAL_CODES.length >= 19);
  t.ok(REFUSAL_CODES.includes('ASSESSMENT_REQUIRED') && REFUSAL_CODES.includes('ASSESSMENT_LEVEL_TOO_LOW'), 'the risk-assessment refusals are among them');
  for (const code of [...REFUSAL_CODES, ...OTHER_CODES]) {
    const key = refusalKey(code);
    if (!key) {
      t.fail(`${code} has no explanation`);
      continue;
    }
    const { fr, en } = MESSAGES[key];
    t.ok(fr.trim().length > 20 && en.trim().length > 20, `${code} is explained in both languages`);
    t.not(fr, en, `${code} is translated`);
  }
  t.equal(refusalKey('INBOX_UNKNOWN'), null, 'codes outside protocols and consents keep the hub’s sentence alone');
});

t.test('a refusal is printed with its explanation and the hub’s details', async (t) => {
  const err = new VigieApiError(403, 'CONSENT_REVOKED', 'La victime a retiré son consentement pour ce dossier.');
  const fr = describeError(err, 'fr', 'http://hub');
  t.equal(fr.exitCode, EXIT.error);
  t.match(fr.text, 'le carrefour a refusé : La victime a retiré son consentement pour ce dossier. [CONSENT_REVOKED, HTTP 403]');
  t.match(
    fr.text,
    '\n  La victime a retiré son consentement : seule une communication fondée sur le danger appréhendé ou une obligation légale reste possible.',
  );
  const scope = new VigieApiError(403, 'CONSENT_SCOPE_EXCEEDED', 'The consent does not cover this recipient, purpose or data category.', 'category firearms\u001b[2J');
  const en = describeRefusal(scope, 'en');
  t.match(en, 'The victim’s consent does not cover this recipient');
  t.match(en, 'Hub details: category firearms\uFFFD[2J', 'details are shown, stripped of control characters');
  t.equal(hubDetails([{ path: '/flows/0/to', problem: 'no party of kind police' }]), '/flows/0/to: no party of kind police');
  t.equal(hubDetails(undefined), null);
});

t.test('a protocol that requires a risk assessment: what to do, in both languages', async (t) => {
  const low = new VigieApiError(403, 'ASSESSMENT_LEVEL_TOO_LOW', 'Le niveau de risque évalué est inférieur au niveau que le protocole exige pour cette communication.', 'alerte: moderate is below aggravated');
  const fr = describeRefusal(low, 'fr');
  t.match(fr, '[ASSESSMENT_LEVEL_TOO_LOW, HTTP 403]');
  t.match(fr, 'Fondez l’envoi sur le consentement de la victime si vous l’avez, ou revoyez l’évaluation');
  t.match(fr, 'Précisions du carrefour : alerte: moderate is below aggravated');
  const required = describeRefusal(new VigieApiError(422, 'ASSESSMENT_REQUIRED', 'The protocol requires a risk assessment.', 'alerte: an assessment with grille-commune'), 'en');
  t.match(required, 'Fill it in with "vigie assess --instrument <instrument>", then send again with --assessment <file>.');
  t.match(required, 'Hub details: alerte: an assessment with grille-commune');
});

t.test('an answer the wire contract does not allow is said in both languages, with its route and code', async (t) => {
  const err = new ProtocolMismatchError('RESPONSE_INVALID', '/v1/messages/:id/status');
  const fr = describeError(err, 'fr', 'http://hub');
  const en = describeError(err, 'en', 'http://hub');
  t.equal(fr.exitCode, EXIT.error);
  t.match(fr.text, 'le carrefour a répondu à /v1/messages/:id/status autrement que ne le prévoit le protocole de Vigie [RESPONSE_INVALID]');
  t.match(en.text, 'the hub answered /v1/messages/:id/status otherwise than Vigie’s protocol allows [RESPONSE_INVALID]');
  t.notMatch(fr.text, 'erreur inattendue', 'not an unexpected error');
});
