/**
 * The partners' shared words: the one vocabulary of Vigie. Every code a
 * person may meet — message types, urgencies, data categories, purposes,
 * legal bases, reasons and conditions of apprehended danger, agency kinds,
 * roles, states of a delivery, a protocol or a consent, receipts, the hub's
 * notices, the register's events, the answers of a risk assessment — has
 * here its French and its English label. The hub, the CLI, the demo and the
 * console show these labels, never the code (docs/vocabulary.md says how to
 * add a term; tests/unit/protocol/vocabulary.test.ts checks every list).
 *
 * @example
 * MESSAGE_TYPE_URGENCY.danger_alert // { default: 'immediate', minimum: 'immediate' }
 * urgencyAtLeast('urgent', 'routine') // true
 * DATA_CATEGORIES.location.fr // 'Lieu où se trouve la personne'
 * labelOf(MESSAGE_TYPE_LABELS, 'condition_breach', 'fr') // 'Bris de conditions'
 */
import type { RefusalCode } from './disclosure.js';
import type { RegisterEvent } from './register.js';
import type { ConsentState } from './consent.js';
import type { NoticeKind } from './escalation-chain.js';
import type { Answer, AnswerSource } from './instrument.js';
import type { ProtocolStatus } from './protocol-document.js';
import type { LegalBasisCode, MessageType, ReceiptKind, Role } from './schemas.js';

export type Urgency = 'immediate' | 'urgent' | 'routine';
export type Labels = { readonly fr: string; readonly en: string };

const URGENCY_RANK: Record<Urgency, number> = { routine: 0, urgent: 1, immediate: 2 };

/**
 * True when `urgency` is at least as pressing as `minimum`.
 *
 * @example
 * urgencyAtLeast('routine', 'immediate') // false
 */
export function urgencyAtLeast(urgency: Urgency, minimum: Urgency): boolean {
  return URGENCY_RANK[urgency] >= URGENCY_RANK[minimum];
}

/**
 * Each message type's urgency: the default a client proposes and the minimum
 * the hub accepts (a danger alert is never routine).
 */
export const MESSAGE_TYPE_URGENCY: Readonly<Record<MessageType, { default: Urgency; minimum: Urgency; labels: Labels }>> = {
  danger_alert: { default: 'immediate', minimum: 'immediate', labels: { fr: 'Alerte de danger', en: 'Danger alert' } },
  cir_activation: {
    default: 'immediate',
    minimum: 'immediate',
    labels: { fr: 'Activation de la cellule d’intervention rapide', en: 'Rapid-intervention cell activation' },
  },
  condition_breach: { default: 'urgent', minimum: 'urgent', labels: { fr: 'Bris de conditions', en: 'Breach of conditions' } },
  custody_event: { default: 'urgent', minimum: 'routine', labels: { fr: 'Événement de détention', en: 'Custody event' } },
  release_conditions: { default: 'urgent', minimum: 'routine', labels: { fr: 'Conditions de remise en liberté', en: 'Release conditions' } },
  bail_safety_input: {
    default: 'urgent',
    minimum: 'routine',
    labels: { fr: 'Éléments de sécurité pour la remise en liberté', en: 'Safety input for bail' },
  },
  risk_assessment: { default: 'urgent', minimum: 'routine', labels: { fr: 'Évaluation du risque', en: 'Risk assessment' } },
  victim_representation: { default: 'routine', minimum: 'routine', labels: { fr: 'Représentations de la victime', en: 'Victim representation' } },
  program_status: { default: 'routine', minimum: 'routine', labels: { fr: 'Suivi du programme', en: 'Program status' } },
  note: { default: 'routine', minimum: 'routine', labels: { fr: 'Note', en: 'Note' } },
};

/** Each message type's name: MESSAGE_TYPE_URGENCY's labels, as a table of labels. */
export const MESSAGE_TYPE_LABELS = Object.fromEntries(Object.entries(MESSAGE_TYPE_URGENCY).map(([type, u]) => [type, u.labels])) as Readonly<Record<MessageType, Labels>>;

/**
 * The data categories protocols and consents speak of. Messages declare the
 * categories they carry in the signed header; the hub checks them against the
 * protocol and the consent, never against the (encrypted) content.
 */
export const DATA_CATEGORIES = {
  identity: { fr: 'Identité de la personne', en: 'Identity of the person' },
  contact: { fr: 'Coordonnées', en: 'Contact details' },
  location: { fr: 'Lieu où se trouve la personne', en: 'Whereabouts of the person' },
  threat: { fr: 'Nature de la menace', en: 'Nature of the threat' },
  risk_level: { fr: 'Niveau de risque évalué', en: 'Assessed risk level' },
  violence_history: { fr: 'Antécédents de violence', en: 'History of violence' },
  firearms: { fr: 'Accès à des armes', en: 'Access to weapons' },
  children: { fr: 'Enfants concernés', en: 'Children involved' },
  health: { fr: 'Santé physique ou mentale', en: 'Physical or mental health' },
  judicial_status: { fr: 'Situation judiciaire', en: 'Judicial status' },
  custody_status: { fr: 'Situation de détention', en: 'Custody status' },
  release_conditions: { fr: 'Conditions imposées', en: 'Imposed conditions' },
  program_participation: { fr: 'Participation au programme', en: 'Program participation' },
  victim_views: { fr: 'Préoccupations de la victime', en: 'Victim’s concerns' },
} as const satisfies Record<string, Labels>;
export type DataCategory = keyof typeof DATA_CATEGORIES;

/** Purposes a consent may cover and a consent-based message declares. */
export const PURPOSES = {
  victim_safety: { fr: 'Assurer la sécurité de la victime', en: 'Ensure the victim’s safety' },
  risk_assessment: { fr: 'Évaluer le risque', en: 'Assess the risk' },
  bail_and_conditions: { fr: 'Représentations sur la remise en liberté et ses conditions', en: 'Bail and release-condition submissions' },
  release_planning: { fr: 'Préparer la sortie de détention', en: 'Plan the release from custody' },
  program_follow_up: { fr: 'Suivi du programme pour conjoints', en: 'Follow-up of the partner program' },
  court_proceedings: { fr: 'Procédures judiciaires', en: 'Court proceedings' },
  cir_coordination: { fr: 'Concertation de la cellule d’intervention rapide', en: 'Rapid-intervention cell coordination' },
} as const satisfies Record<string, Labels>;
export type Purpose = keyof typeof PURPOSES;

/**
 * Reason codes of a disclosure under apprehended danger: what gives the
 * sender reasonable cause to believe a serious risk of death or serious
 * bodily injury threatens an identifiable person.
 */
export const DANGER_REASONS = {
  death_threat: { fr: 'Menaces de mort', en: 'Death threats' },
  weapon: { fr: 'Arme ou menace avec une arme', en: 'Weapon, or threat with a weapon' },
  strangulation: { fr: 'Étranglement ou strangulation', en: 'Choking or strangulation' },
  escalation: { fr: 'Escalade de la violence', en: 'Escalating violence' },
  separation: { fr: 'Refus de la séparation', en: 'Refusal of the separation' },
  stalking: { fr: 'Harcèlement ou surveillance obsessive', en: 'Stalking or obsessive surveillance' },
  suicidal_ideation: { fr: 'Idées suicidaires ou homicidaires', en: 'Suicidal or homicidal ideation' },
  breach: { fr: 'Bris de conditions', en: 'Breach of conditions' },
  release: { fr: 'Remise en liberté imminente', en: 'Imminent release' },
  other: { fr: 'Autre motif consigné au dossier', en: 'Other reason, recorded in the file' },
} as const satisfies Record<string, Labels>;
export type DangerReason = keyof typeof DANGER_REASONS;

/**
 * The four conditions of the apprehended-danger exception (s. 59.1 of the Act
 * respecting access to documents held by public bodies, s. 18.1 of the private
 * sector Act, s. 60.4 of the Professional Code). The sender attests each one.
 */
export const DANGER_CONDITIONS = {
  reasonableCause: { fr: 'Motif raisonnable de croire', en: 'Reasonable cause to believe' },
  seriousRisk: { fr: 'Risque sérieux de mort ou de blessures graves', en: 'Serious risk of death or serious bodily injury' },
  identifiablePerson: { fr: 'Personne ou groupe identifiable', en: 'Identifiable person or group' },
  urgency: { fr: 'Sentiment d’urgence', en: 'Sense of urgency' },
} as const satisfies Record<string, Labels>;
export type DangerCondition = keyof typeof DANGER_CONDITIONS;

/** The three legal bases, as the partners name them. */
export const LEGAL_BASIS_LABELS = {
  consent: { fr: 'Consentement de la victime', en: 'Victim’s consent' },
  apprehended_danger: { fr: 'Danger appréhendé (sans consentement)', en: 'Apprehended danger (without consent)' },
  legal_obligation: { fr: 'Obligation légale', en: 'Legal obligation' },
} as const satisfies Record<LegalBasisCode, Labels>;

/** Agency kinds, as the partners name one another. */
export const AGENCY_KIND_LABELS = {
  shelter: { fr: 'maison d’hébergement', en: 'shelter' },
  police: { fr: 'service de police', en: 'police service' },
  prosecution: { fr: 'poursuivants du DPCP', en: 'Crown prosecutors' },
  corrections: { fr: 'services correctionnels', en: 'correctional services' },
  parole_board: { fr: 'commission des libérations conditionnelles', en: 'parole board' },
  partner_program: { fr: 'programme pour conjoints', en: 'program for violent partners' },
  oversight: { fr: 'organisme de surveillance', en: 'oversight body' },
} as const satisfies Record<string, Labels>;

/** How pressing a message is. */
export const URGENCY_LABELS = {
  immediate: { fr: 'immédiate', en: 'immediate' },
  urgent: { fr: 'urgente', en: 'urgent' },
  routine: { fr: 'courante', en: 'routine' },
} as const satisfies Record<Urgency, Labels>;

/** What a member device may do. */
export const ROLE_LABELS = {
  sender: { fr: 'envoi', en: 'sending' },
  receiver: { fr: 'réception', en: 'receiving' },
  admin: { fr: 'administration', en: 'administration' },
  auditor: { fr: 'vérification', en: 'audit' },
} as const satisfies Record<Role, Labels>;

/** Where a message stands for one recipient inbox (GET /v1/messages/:id/status). */
export const DELIVERY_STATE_LABELS = {
  accepted: { fr: 'accepté par le carrefour, pas encore transmis', en: 'accepted by the hub, not yet pushed' },
  pushed: { fr: 'transmis, pas encore reçu par un appareil', en: 'pushed, not yet received by a device' },
  delivered: { fr: 'reçu par un appareil, pas encore pris en charge', en: 'received by a device, not yet acknowledged' },
  acknowledged: { fr: 'pris en charge', en: 'acknowledged' },
} as const satisfies Record<string, Labels>;

/** A protocol version's status. */
export const PROTOCOL_STATUS_LABELS = {
  pending_signatures: { fr: 'en attente de signatures', en: 'pending signatures' },
  scheduled: { fr: 'signée, pas encore en vigueur', en: 'signed, not yet in force' },
  active: { fr: 'en vigueur', en: 'in force' },
  superseded: { fr: 'remplacée', en: 'superseded' },
  retired: { fr: 'retirée', en: 'retired' },
} as const satisfies Record<ProtocolStatus, Labels>;

/** A consent's state. */
export const CONSENT_STATE_LABELS = {
  active: { fr: 'en vigueur', en: 'in force' },
  pending: { fr: 'pas encore en vigueur', en: 'not yet in force' },
  expired: { fr: 'expiré', en: 'expired' },
  revoked: { fr: 'révoqué', en: 'revoked' },
} as const satisfies Record<ConsentState, Labels>;

/**
 * The events of the communications register (protocol/register.ts
 * REGISTER_EVENTS): a disclosure accepted, a message refused (nothing was
 * disclosed), the steps of an acknowledgement deadline, and the end of
 * retention.
 */
export const REGISTER_EVENT_LABELS = {
  accepted: { fr: 'Communication acceptée', en: 'Disclosure accepted' },
  refused: { fr: 'Refusée (rien n’a été communiqué)', en: 'Refused (nothing was disclosed)' },
  unacknowledged: { fr: 'Délai de prise en charge échu', en: 'Acknowledgement deadline passed' },
  escalated: { fr: 'Escalade', en: 'Escalated' },
  exhausted: { fr: 'Chaîne d’escalade épuisée', en: 'Escalation chain exhausted' },
  erased: { fr: 'Contenu effacé (fin de la conservation)', en: 'Content erased (retention ended)' },
} as const satisfies Record<RegisterEvent, Labels>;

/**
 * Why the hub refused a message on its basis (protocol/disclosure.ts
 * REFUSAL_CODES): the hub answers with these words and the register shows
 * them for a refused message.
 */
export const REFUSAL_LABELS = {
  PROTOCOL_REQUIRED: { fr: 'Le message doit nommer la version du protocole qui permet cette communication.', en: 'The message must name the protocol version that allows this communication.' },
  LEGAL_BASIS_REQUIRED: {
    fr: 'Le message doit nommer son fondement juridique (consentement, danger appréhendé ou obligation légale).',
    en: 'The message must name its legal basis (consent, apprehended danger or legal obligation).',
  },
  PROTOCOL_NOT_ACTIVE: {
    fr: 'Cette version du protocole n’est pas en vigueur : inconnue, pas encore signée par toutes les parties ou pas encore effective.',
    en: 'This protocol version is not in force: unknown, not yet signed by every party, or not yet effective.',
  },
  PROTOCOL_SUPERSEDED: { fr: 'Cette version du protocole a été remplacée par une version plus récente.', en: 'This protocol version has been superseded by a later version.' },
  PROTOCOL_RETIRED: { fr: 'Ce protocole a été retiré : il ne permet plus aucune nouvelle communication.', en: 'This protocol has been retired: it allows no new communication.' },
  URGENCY_TOO_LOW: { fr: 'Ce type de message exige une urgence plus élevée.', en: 'This message type requires a higher urgency.' },
  FLOW_NOT_ALLOWED: { fr: 'Le protocole ne permet pas ce type de message de cet expéditeur à ce destinataire.', en: 'The protocol does not allow this message type from this sender to this recipient.' },
  LEGAL_BASIS_NOT_ALLOWED: { fr: 'Le protocole ne permet pas ce fondement juridique pour cette communication.', en: 'The protocol does not allow this legal basis for this communication.' },
  CATEGORY_NOT_ALLOWED: {
    fr: 'Le message contient une catégorie de renseignements que le protocole ne permet pas sur ce fondement.',
    en: 'The message carries a data category the protocol does not allow on this basis.',
  },
  RECIPIENT_NOT_ALLOWED: {
    fr: 'Sans consentement, seuls les destinataires en mesure de porter secours désignés au protocole peuvent être informés.',
    en: 'Without consent, only the recipients the protocol lists as able to help may be told.',
  },
  PURPOSE_NOT_ALLOWED: { fr: 'La finalité déclarée n’est pas permise par le protocole pour cette communication.', en: 'The declared purpose is not allowed by the protocol for this communication.' },
  ATTESTATION_MISSING: {
    fr: 'Danger appréhendé : attestez chacune des quatre conditions et donnez le code du motif et la référence de la directive interne.',
    en: 'Apprehended danger: attest each of the four conditions and give the reason code and the internal directive reference.',
  },
  LEGAL_REFERENCE_NOT_ALLOWED: {
    fr: 'Cette référence légale (article ou ordonnance) n’est pas prévue au protocole pour cette communication.',
    en: 'This legal reference (statute article or court order) is not provided for by the protocol for this communication.',
  },
  CONSENT_MISSING: { fr: 'Aucun consentement en vigueur n’est inscrit pour ce dossier.', en: 'No consent in force is recorded for this case.' },
  CONSENT_EXPIRED: { fr: 'Le consentement de ce dossier est expiré.', en: 'The consent for this case has expired.' },
  CONSENT_REVOKED: { fr: 'La victime a retiré son consentement pour ce dossier.', en: 'The victim has withdrawn her consent for this case.' },
  CONSENT_SCOPE_EXCEEDED: {
    fr: 'Le consentement ne couvre pas ce destinataire, cette finalité ou ces catégories de renseignements.',
    en: 'The consent does not cover this recipient, purpose or data category.',
  },
  ASSESSMENT_REQUIRED: {
    fr: 'Le protocole exige une évaluation du risque avec l’instrument prévu pour cette communication.',
    en: 'The protocol requires a risk assessment with its named instrument for this communication.',
  },
  ASSESSMENT_LEVEL_TOO_LOW: {
    fr: 'Le niveau de risque évalué est inférieur au niveau que le protocole exige pour cette communication.',
    en: 'The assessed risk level is below the level the protocol requires for this communication.',
  },
} as const satisfies Record<RefusalCode, Labels>;

/** A receipt a recipient device signs for a message. */
export const RECEIPT_KIND_LABELS = {
  delivered: { fr: 'reçu par un appareil', en: 'received by a device' },
  acknowledged: { fr: 'pris en charge par une personne', en: 'acknowledged by a person' },
} as const satisfies Record<ReceiptKind, Labels>;

/**
 * The hub's notices about an acknowledgement deadline (protocol/escalation-chain.ts):
 * to an escalation inbox, to the recipient inbox, and to the sender.
 */
export const NOTICE_KIND_LABELS = {
  escalation: { fr: 'Alerte en attente de prise en charge, escaladée vers vous', en: 'Alert awaiting acknowledgement, escalated to you' },
  renotify: { fr: 'Rappel : alerte toujours sans prise en charge', en: 'Reminder: alert still not acknowledged' },
  unacknowledged: { fr: 'Aucune prise en charge dans le délai', en: 'No acknowledgement in time' },
  escalated: { fr: 'Escaladée à l’étape suivante', en: 'Escalated to the next step' },
  escalation_exhausted: { fr: 'Chaîne d’escalade épuisée : appelez le 911', en: 'Escalation chain exhausted: call 911' },
} as const satisfies Record<NoticeKind, Labels>;

/** The answers to a question of a risk instrument (protocol/instrument.ts). */
export const ANSWER_LABELS = {
  yes: { fr: 'oui', en: 'yes' },
  no: { fr: 'non', en: 'no' },
  dont_know: { fr: 'je ne sais pas', en: 'don’t know' },
  not_answered: { fr: 'sans réponse', en: 'not answered' },
} as const satisfies Record<Answer, Labels>;

/** Where the answer to a question of a risk instrument comes from. */
export const ANSWER_SOURCE_LABELS = {
  victim: { fr: 'victime', en: 'victim' },
  record: { fr: 'dossier', en: 'record' },
  observation: { fr: 'observation de l’intervenante', en: 'worker’s observation' },
} as const satisfies Record<AnswerSource, Labels>;

/**
 * The label of a code in a table, in a language; a code the table does not
 * know is returned as is (a newer partner's code), never dropped.
 *
 * @example
 * labelOf(URGENCY_LABELS, 'immediate', 'fr') // 'immédiate'
 */
export function labelOf(table: Readonly<Record<string, Labels>>, code: string, lang: 'fr' | 'en'): string {
  return Object.hasOwn(table, code) ? table[code]![lang] : code;
}

/** A member device, as its agency's administrators see it. */
export const MEMBER_STATE_LABELS = {
  active: { fr: 'actif', en: 'active' },
  revoked: { fr: 'révoqué', en: 'revoked' },
} as const satisfies Record<string, Labels>;

/** Where an invitation to enrol a device stands (GET /v1/invitations/:id). */
export const INVITATION_STATE_LABELS = {
  waiting: { fr: 'en attente de la personne invitée', en: 'waiting for the invited person' },
  submitted: { fr: 'appareil prêt : empreinte à comparer', en: 'device ready: fingerprint to compare' },
  approved: { fr: 'approuvée', en: 'approved' },
  expired: { fr: 'expirée', en: 'expired' },
} as const satisfies Record<string, Labels>;
