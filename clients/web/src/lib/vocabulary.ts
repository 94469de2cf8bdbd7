/** The partners' shared vocabulary (protocol/vocabulary.ts), in the person's language: never a raw code. */
import {
  AGENCY_KIND_LABELS,
  CONSENT_STATE_LABELS,
  DANGER_CONDITIONS,
  DANGER_REASONS,
  DATA_CATEGORIES,
  DELIVERY_STATE_LABELS,
  INVITATION_STATE_LABELS,
  LEGAL_BASIS_LABELS,
  MEMBER_STATE_LABELS,
  MESSAGE_TYPE_URGENCY,
  PROTOCOL_STATUS_LABELS,
  PURPOSES,
  REFUSAL_LABELS,
  REGISTER_EVENT_LABELS,
  ROLE_LABELS,
  URGENCY_LABELS,
  labelOf,
} from '../../../../protocol/vocabulary.js';
import type { Lang } from './lang.js';

const messageTypes = Object.fromEntries(Object.entries(MESSAGE_TYPE_URGENCY).map(([k, v]) => [k, v.labels]));

export const kindLabel = (lang: Lang, code: string) => labelOf(AGENCY_KIND_LABELS, code, lang);
export const typeLabel = (lang: Lang, code: string) => labelOf(messageTypes, code, lang);
export const urgencyLabel = (lang: Lang, code: string) => labelOf(URGENCY_LABELS, code, lang);
export const roleLabel = (lang: Lang, code: string) => labelOf(ROLE_LABELS, code, lang);
export const categoryLabel = (lang: Lang, code: string) => labelOf(DATA_CATEGORIES, code, lang);
export const purposeLabel = (lang: Lang, code: string) => labelOf(PURPOSES, code, lang);
export const reasonLabel = (lang: Lang, code: string) => labelOf(DANGER_REASONS, code, lang);
export const conditionLabel = (lang: Lang, code: string) => labelOf(DANGER_CONDITIONS, code, lang);
export const basisLabel = (lang: Lang, code: string) => labelOf(LEGAL_BASIS_LABELS, code, lang);
export const deliveryStateLabel = (lang: Lang, code: string) => labelOf(DELIVERY_STATE_LABELS, code, lang);
export const protocolStatusLabel = (lang: Lang, code: string) => labelOf(PROTOCOL_STATUS_LABELS, code, lang);
export const consentStateLabel = (lang: Lang, code: string) => labelOf(CONSENT_STATE_LABELS, code, lang);
export const memberStateLabel = (lang: Lang, code: string) => labelOf(MEMBER_STATE_LABELS, code, lang);
export const invitationStateLabel = (lang: Lang, code: string) => labelOf(INVITATION_STATE_LABELS, code, lang);
/** A row of the communications register: what happened (accepted, refused, a deadline step, erased). */
export const eventLabel = (lang: Lang, code: string) => labelOf(REGISTER_EVENT_LABELS, code, lang);
/** Why the hub refused a message on its basis. */
export const refusalLabel = (lang: Lang, code: string) => labelOf(REFUSAL_LABELS, code, lang);
