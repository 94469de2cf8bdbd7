/**
 * What to do when a message is refused on its basis — by the hub, or by the
 * sender's own device before anything was sent (the same decision,
 * protocol/disclosure.ts). The refusal itself is said in the shared words
 * (REFUSAL_LABELS in protocol/vocabulary.ts); this table adds the next step, in
 * words any client can show (no command line, no button names). A client may
 * add its own way to do it (the CLI names its options).
 *
 * @example
 * const advice = refusalAdvice('CONSENT_REVOKED'); // { fr: 'Seule une communication…', en: 'Only a communication…' }
 */
import type { RefusalCode } from './disclosure.js';
import type { Labels } from './vocabulary.js';

const CALL_911 = { fr: ' En cas de danger immédiat, composez le 911.', en: ' In immediate danger, call 911.' };
const urgent = (l: Labels): Labels => ({ fr: l.fr + CALL_911.fr, en: l.en + CALL_911.en });

/** The other refusals a sender may meet while recording a consent or sending. */
export const OTHER_SEND_REFUSALS = ['INSTRUMENT_UNKNOWN', 'CONSENT_UNKNOWN', 'CONSENT_EXISTS', 'CONSENT_PERIOD_INVALID', 'RECIPIENT_UNKNOWN', 'MESSAGE_STALE'] as const;
export type AdvisedCode = RefusalCode | (typeof OTHER_SEND_REFUSALS)[number];

export const REFUSAL_ADVICE: Readonly<Record<AdvisedCode, Labels>> = {
  PROTOCOL_REQUIRED: { fr: 'Choisissez le protocole en vigueur qui permet cette communication.', en: 'Choose the protocol in force that allows this communication.' },
  LEGAL_BASIS_REQUIRED: {
    fr: 'Choisissez un fondement juridique : un consentement de la victime pour ce dossier, le danger appréhendé ou l’obligation légale que le protocole nomme.',
    en: 'Choose a legal basis: a consent of the victim for this case, apprehended danger, or the legal obligation the protocol names.',
  },
  PROTOCOL_NOT_ACTIVE: urgent({
    fr: 'Choisissez une version en vigueur; si aucune ne l’est, votre administrateur doit la faire signer par chaque partie.',
    en: 'Choose a version in force; if none is, your administrator must have every party sign it.',
  }),
  PROTOCOL_SUPERSEDED: { fr: 'Envoyez sous la version en vigueur, qui remplace celle-ci.', en: 'Send under the version in force, which replaces this one.' },
  PROTOCOL_RETIRED: urgent({
    fr: 'Joignez l’organisme par les voies habituelles et demandez à votre administrateur quel protocole s’applique désormais.',
    en: 'Reach the agency through the usual channels and ask your administrator which protocol now applies.',
  }),
  URGENCY_TOO_LOW: { fr: 'Choisissez une urgence plus élevée : une alerte de danger est toujours immédiate.', en: 'Choose a higher urgency: a danger alert is always immediate.' },
  FLOW_NOT_ALLOWED: {
    fr: 'Choisissez un type de message et un destinataire que le protocole prévoit pour votre boîte.',
    en: 'Choose a message type and a recipient the protocol provides for your inbox.',
  },
  LEGAL_BASIS_NOT_ALLOWED: { fr: 'Choisissez un fondement que le protocole permet pour ce type de message et ce destinataire.', en: 'Choose a basis the protocol allows for this message type and recipient.' },
  CATEGORY_NOT_ALLOWED: {
    fr: 'Retirez cette catégorie, et retirez aussi ces renseignements du texte. Sans consentement, seules les catégories minimales du protocole peuvent être communiquées.',
    en: 'Remove this category, and remove that information from the text too. Without consent, only the protocol’s minimum categories may be disclosed.',
  },
  RECIPIENT_NOT_ALLOWED: { fr: 'Retirez ce destinataire, ou obtenez le consentement de la victime.', en: 'Remove this recipient, or obtain the victim’s consent.' },
  PURPOSE_NOT_ALLOWED: { fr: 'Choisissez une finalité que le protocole permet pour cette communication.', en: 'Choose a purpose the protocol allows for this communication.' },
  ATTESTATION_MISSING: {
    fr: 'Cochez chacune des quatre conditions si elle est réellement remplie, choisissez le motif et indiquez la référence de votre directive interne. Si une condition n’est pas remplie, le danger appréhendé ne permet pas cette communication : obtenez le consentement de la victime.',
    en: 'Tick each of the four conditions if it is truly met, choose the reason and give your internal directive’s reference. If a condition is not met, apprehended danger does not allow this communication: obtain the victim’s consent.',
  },
  LEGAL_REFERENCE_NOT_ALLOWED: { fr: 'Choisissez la référence légale exactement comme le protocole la nomme.', en: 'Choose the legal reference exactly as the protocol names it.' },
  CONSENT_MISSING: {
    fr: 'Inscrivez le consentement de la victime pour ce dossier, ou fondez la communication sur le danger appréhendé si ses quatre conditions sont remplies.',
    en: 'Record the victim’s consent for this case, or base the communication on apprehended danger if its four conditions are met.',
  },
  CONSENT_EXPIRED: {
    fr: 'Obtenez un nouveau consentement et inscrivez-le; d’ici là, seul le danger appréhendé ou une obligation légale permet de communiquer.',
    en: 'Obtain a new consent and record it; until then, only apprehended danger or a legal obligation allows a communication.',
  },
  CONSENT_REVOKED: {
    fr: 'Seule une communication fondée sur le danger appréhendé ou une obligation légale reste possible.',
    en: 'Only a communication based on apprehended danger or a legal obligation remains possible.',
  },
  CONSENT_SCOPE_EXCEEDED: {
    fr: 'Limitez l’envoi aux destinataires, à la finalité et aux catégories que la victime a acceptés, ou obtenez et inscrivez un consentement plus large.',
    en: 'Limit the message to the recipients, purpose and categories the victim agreed to, or obtain and record a broader consent.',
  },
  ASSESSMENT_REQUIRED: urgent({
    fr: 'Remplissez l’évaluation du risque avec l’instrument que le protocole nomme et joignez-la.',
    en: 'Fill in the risk assessment with the instrument the protocol names and attach it.',
  }),
  ASSESSMENT_LEVEL_TOO_LOW: urgent({
    fr: 'Fondez l’envoi sur le consentement de la victime si vous l’avez, ou revoyez l’évaluation; un niveau retenu par jugement professionnel doit être motivé.',
    en: 'Base the message on the victim’s consent if you have it, or review the assessment; a level set by professional judgement needs a reason.',
  }),
  INSTRUMENT_UNKNOWN: {
    fr: 'Le carrefour ne connaît pas cette version de l’instrument : remplissez l’évaluation avec un instrument qu’il applique, ou demandez à votre administrateur de mettre les instruments à jour.',
    en: 'The hub does not know this instrument version: fill the assessment with an instrument it applies, or ask your administrator to update the instruments.',
  },
  CONSENT_UNKNOWN: { fr: 'Ce consentement n’existe pas pour votre organisme : rechargez la liste des consentements du dossier.', en: 'This consent does not exist for your agency: reload the case’s consents.' },
  CONSENT_EXISTS: { fr: 'Rien n’a été modifié : rechargez le dossier et inscrivez le consentement de nouveau si nécessaire.', en: 'Nothing was changed: reload the case and record the consent again if needed.' },
  CONSENT_PERIOD_INVALID: { fr: 'La fin de validité doit suivre le début : corrigez les dates.', en: 'The end of validity must come after the start: correct the dates.' },
  RECIPIENT_UNKNOWN: urgent({ fr: 'Vérifiez le destinataire : cette boîte n’existe plus ou n’a jamais existé.', en: 'Check the recipient: this inbox no longer exists or never did.' }),
  MESSAGE_STALE: { fr: 'L’horloge de cet appareil est décalée : corrigez l’heure de l’appareil et renvoyez.', en: 'This device’s clock is off: correct the device’s time and send again.' },
};

/**
 * What to do after a refusal with this code, or null for a code this table
 * does not advise on (the refusal's own words then stand alone).
 *
 * @example
 * refusalAdvice('ATTESTATION_MISSING')?.en // 'Tick each of the four conditions…'
 */
export function refusalAdvice(code: string): Labels | null {
  return Object.hasOwn(REFUSAL_ADVICE, code) ? REFUSAL_ADVICE[code as AdvisedCode] : null;
}
