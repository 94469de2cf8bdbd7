import type { RefusalCode } from '../../protocol/disclosure.js';
import { REFUSAL_LABELS } from '../../protocol/vocabulary.js';

/** A refusal of a message on its basis, in the shared vocabulary's words (the register shows the same). */
const refusal = <C extends RefusalCode>(status: number, code: C) => [status, REFUSAL_LABELS[code].fr, REFUSAL_LABELS[code].en] as const;

/**
 * Every refusal the hub can give, with a stable code, an HTTP status and a
 * message in French and English. `switch (err.code)` narrows on ErrorCode.
 */
export const ERRORS = {
  INVALID_REQUEST: [400, 'Requête invalide.', 'Invalid request.'],
  MALFORMED_JSON: [400, 'Le corps de la requête n’est pas du JSON valide.', 'The request body is not valid JSON.'],
  TEXT_INVALID: [400, 'Le texte contient un caractère interdit : U+0000 ou une moitié de paire de substitution.', 'The text contains a forbidden character: U+0000 or a lone surrogate.'],
  NUMBER_OUT_OF_RANGE: [400, 'Nombre hors limites : infini, ou entier plus grand que ce que ce champ admet.', 'Number out of range: not finite, or an integer larger than this field allows.'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Type de contenu non pris en charge.', 'Unsupported content type.'],
  BODY_TOO_LARGE: [413, 'Le corps de la requête est trop volumineux.', 'The request body is too large.'],
  NOT_FOUND: [404, 'Ressource introuvable.', 'Resource not found.'],
  RATE_LIMITED: [429, 'Trop de requêtes; réessayez plus tard.', 'Too many requests; try again later.'],
  UNAUTHENTICATED: [401, 'Authentification requise.', 'Authentication required.'],
  TOKEN_INVALID: [401, 'Jeton d’accès invalide ou expiré.', 'Invalid or expired access token.'],
  ASSERTION_INVALID: [401, 'Preuve de possession de clé invalide.', 'Invalid proof of key possession.'],
  ASSERTION_REPLAYED: [401, 'Cette preuve de possession a déjà servi.', 'This proof of possession was already used.'],
  AGENCY_PROOF_INVALID: [401, 'Demande non signée par la clé racine de l’organisme, pour une autre adresse, ou trop ancienne : vérifiez l’horloge de cet appareil.', 'Request not signed by the agency’s root key, for another address, or too old: check this device’s clock.'],
  MEMBER_REVOKED: [401, 'Ce membre a été révoqué.', 'This member has been revoked.'],
  OPERATOR_TOKEN_INVALID: [401, 'Jeton d’opérateur invalide.', 'Invalid operator token.'],
  ROLE_REQUIRED: [403, 'Votre rôle ne permet pas cette action.', 'Your role does not allow this action.'],
  INBOX_FORBIDDEN: [403, 'Vous n’êtes pas membre de cette boîte de réception.', 'You are not a member of this inbox.'],
  AGENCY_FORBIDDEN: [403, 'Cette ressource appartient à un autre organisme.', 'This resource belongs to another agency.'],
  INVITATION_INVALID: [403, 'Invitation invalide, expirée, déjà utilisée ou code erroné.', 'Invalid, expired or already used invitation, or wrong code.'],
  ADMISSION_INVALID: [403, 'Code d’admission invalide, expiré ou déjà utilisé.', 'Invalid, expired or already used admission code.'],
  AGENCY_EXISTS: [409, 'Cet organisme est déjà inscrit.', 'This agency is already registered.'],
  AGENCY_UNKNOWN: [404, 'Organisme inconnu.', 'Unknown agency.'],
  INBOX_EXISTS: [409, 'Cette boîte de réception existe déjà avec une autre clé.', 'This inbox already exists with another key.'],
  INBOX_UNKNOWN: [404, 'Boîte de réception inconnue.', 'Unknown inbox.'],
  MEMBER_EXISTS: [409, 'Ce membre existe déjà avec un autre certificat.', 'This member already exists with another certificate.'],
  MEMBER_UNKNOWN: [404, 'Membre inconnu.', 'Unknown member.'],
  CERTIFICATE_INVALID: [422, 'Certificat invalide : la signature de la clé racine de l’organisme ne correspond pas.', 'Invalid certificate: the agency root key signature does not match.'],
  KEY_ROTATION_REQUIRED: [422, 'Retirer un membre exige une nouvelle clé pour chaque boîte de réception qu’il pouvait lire.', 'Removing a member requires a new key for every inbox it could read.'],
  KEY_ROTATION_INVALID: [422, 'Rotation de clé invalide : une nouvelle clé, à la version suivante, certifiée par la clé racine.', 'Invalid key rotation: a new key, at the next version, certified by the root key.'],
  KEY_WRAP_MISSING: [422, 'Il manque la clé de la boîte de réception chiffrée pour ce membre.', 'The inbox key wrapped for this member is missing.'],
  RECIPIENT_UNKNOWN: [422, 'Destinataire inconnu : aucune boîte de réception inscrite à cette adresse.', 'Unknown recipient: no registered inbox at this address.'],
  KEY_VERSION_UNKNOWN: [422, 'Le message nomme une version de clé qu’une de ses boîtes de réception n’a jamais eue.', 'The message names a key version one of its inboxes never had.'],
  INBOX_KEY_ROTATED: [409, 'Une boîte de réception du message a changé de clé (rotation) : rien n’a été accepté. Renvoyez le message : il sera chiffré pour sa clé actuelle.', 'An inbox of the message has a new key (rotation): nothing was accepted. Send the message again: it will be encrypted for its current key.'],
  RECIPIENT_IS_SENDER: [422, 'La boîte d’envoi ne peut pas être destinataire.', 'The sending inbox cannot be a recipient.'],
  SENDER_MISMATCH: [403, 'L’expéditeur déclaré n’est pas le membre authentifié.', 'The declared sender is not the authenticated member.'],
  SIGNATURE_INVALID: [422, 'Signature ou chiffrement invalide.', 'Invalid signature or encryption.'],
  MESSAGE_STALE: [422, 'Horodatage du message hors de la fenêtre acceptée.', 'Message timestamp is outside the accepted window.'],
  MESSAGE_ID_CONFLICT: [409, 'Cet identifiant de message est déjà utilisé par un autre message.', 'This message id is already used by another message.'],
  MESSAGE_UNKNOWN: [404, 'Message inconnu.', 'Unknown message.'],
  MESSAGE_ERASED: [410, 'La durée de conservation prévue au protocole est écoulée : le contenu de ce message a été effacé; sa trace au journal demeure.', 'The retention the protocol sets has passed: this message’s content was erased; its record in the log remains.'],
  RECEIPT_INVALID: [422, 'Accusé de réception invalide.', 'Invalid receipt.'],
  NOT_DELIVERED_TO_INBOX: [422, 'Ce message n’a pas été adressé à cette boîte de réception.', 'This message was not addressed to this inbox.'],
  PROTOCOL_REQUIRED: refusal(422, 'PROTOCOL_REQUIRED'),
  LEGAL_BASIS_REQUIRED: refusal(422, 'LEGAL_BASIS_REQUIRED'),
  PROTOCOL_NOT_ACTIVE: refusal(403, 'PROTOCOL_NOT_ACTIVE'),
  PROTOCOL_SUPERSEDED: refusal(403, 'PROTOCOL_SUPERSEDED'),
  PROTOCOL_RETIRED: refusal(403, 'PROTOCOL_RETIRED'),
  URGENCY_TOO_LOW: refusal(422, 'URGENCY_TOO_LOW'),
  FLOW_NOT_ALLOWED: refusal(403, 'FLOW_NOT_ALLOWED'),
  LEGAL_BASIS_NOT_ALLOWED: refusal(403, 'LEGAL_BASIS_NOT_ALLOWED'),
  CATEGORY_NOT_ALLOWED: refusal(403, 'CATEGORY_NOT_ALLOWED'),
  RECIPIENT_NOT_ALLOWED: refusal(403, 'RECIPIENT_NOT_ALLOWED'),
  PURPOSE_NOT_ALLOWED: refusal(403, 'PURPOSE_NOT_ALLOWED'),
  ATTESTATION_MISSING: refusal(422, 'ATTESTATION_MISSING'),
  LEGAL_REFERENCE_NOT_ALLOWED: refusal(403, 'LEGAL_REFERENCE_NOT_ALLOWED'),
  CONSENT_MISSING: refusal(403, 'CONSENT_MISSING'),
  CONSENT_EXPIRED: refusal(403, 'CONSENT_EXPIRED'),
  CONSENT_REVOKED: refusal(403, 'CONSENT_REVOKED'),
  CONSENT_SCOPE_EXCEEDED: refusal(403, 'CONSENT_SCOPE_EXCEEDED'),
  ASSESSMENT_REQUIRED: refusal(422, 'ASSESSMENT_REQUIRED'),
  ASSESSMENT_LEVEL_TOO_LOW: refusal(403, 'ASSESSMENT_LEVEL_TOO_LOW'),
  INSTRUMENT_UNKNOWN: [404, 'Instrument d’évaluation inconnu.', 'Unknown assessment instrument.'],
  PROTOCOL_INVALID: [422, 'Document de protocole incohérent.', 'Incoherent protocol document.'],
  PROTOCOL_SIGNATURE_INVALID: [422, 'Signature de protocole invalide : elle doit venir de la clé racine d’une partie.', 'Invalid protocol signature: it must come from a party’s root key.'],
  PROTOCOL_VERSION_CONFLICT: [409, 'Cette version du protocole existe déjà avec un autre contenu, ou une version plus récente existe.', 'This protocol version already exists with other content, or a later version exists.'],
  PROTOCOL_UNKNOWN: [404, 'Protocole inconnu.', 'Unknown protocol.'],
  PROTOCOL_PARTY_REQUIRED: [403, 'Seules les parties à la version en vigueur peuvent modifier ou retirer ce protocole.', 'Only the parties to the version in force may change or retire this protocol.'],
  CONSENT_UNKNOWN: [404, 'Consentement inconnu.', 'Unknown consent.'],
  CONSENT_EXISTS: [409, 'Ce consentement existe déjà avec un autre contenu.', 'This consent already exists with other content.'],
  CONSENT_PERIOD_INVALID: [422, 'La fin de validité du consentement doit suivre son début.', 'The consent must end after it begins.'],
  LOG_RANGE_INVALID: [400, 'Position ou taille hors du journal.', 'Index or size outside the log.'],
  TILE_NOT_FOUND: [404, 'Tuile inexistante pour la taille actuelle du journal.', 'No such tile at the current log size.'],
  LOG_LEAF_UNKNOWN: [404, 'Aucune entrée du journal pour ce sujet à cette taille.', 'No log entry for this subject at this size.'],
  LOG_EMPTY: [404, 'Le journal n’a encore aucun point de contrôle.', 'The log has no checkpoint yet.'],
  RECEIPT_PENDING: [409, 'L’inscription au journal est en cours; réessayez dans un instant.', 'The log entry is being integrated; try again in a moment.'],
  LOG_HALTED: [503, 'Le journal des communications est arrêté (altération ou alarme d’un témoin) : aucun message ne peut être accepté pour l’instant. Utilisez votre procédure de repli (téléphone).', 'The disclosure log is halted (tampering or a witness alarm): no message can be accepted for now. Use your fallback procedure (telephone).'],
  HUB_BUSY: [503, 'Le carrefour reçoit plus de messages qu’il ne peut en traiter : rien n’a été accepté. Réessayez dans un instant ; en cas d’urgence, utilisez votre procédure de repli (téléphone).', 'The hub is receiving more messages than it can handle: nothing was accepted. Try again in a moment; in an emergency, use your fallback procedure (telephone).'],
  SERVICE_UNAVAILABLE: [503, 'Service temporairement indisponible.', 'Service temporarily unavailable.'],
  INTERNAL: [500, 'Erreur interne.', 'Internal error.'],
} as const satisfies Record<string, readonly [number, string, string]>;

export type ErrorCode = keyof typeof ERRORS;
export type Lang = 'fr' | 'en';

export class VigieError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    options: { cause?: unknown; detail?: string; detailWords?: { fr: string; en: string } } = {},
  ) {
    super(ERRORS[code][2], { cause: options.cause });
    this.status = ERRORS[code][0];
    this.detail = options.detail;
    this.detailWords = options.detailWords;
  }
  /** What failed, in one technical line: for the log and the record. */
  readonly detail: string | undefined;
  /** The same for a person, in each language (a refusal's facts in the shared vocabulary's words): the response's `details`. */
  readonly detailWords: { fr: string; en: string } | undefined;
}

export const isVigieError = (e: unknown): e is VigieError => e instanceof VigieError;

export function messageFor(code: ErrorCode, lang: Lang): string {
  return ERRORS[code][lang === 'en' ? 2 : 1];
}

/** French unless the client prefers English. */
export function langOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'fr';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'fr';
}
