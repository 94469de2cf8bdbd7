/**
 * What a protocol version says, for a person about to sign it or to rely on
 * it, in that person's language: its parties and the fingerprints of their
 * root keys, each flow (who may tell whom, which message types, on which legal
 * bases, which data categories), each acknowledgement deadline and its
 * escalation chain, and the retention. Every code comes with its word from
 * the shared vocabulary; each client lays the review out its own way (the
 * CLI as lines, the console as a page), from this one reading.
 *
 * @example
 * const review = reviewProtocol(doc, 'fr', crypto.sha256);
 * review.flows[0].messageTypes // [{ code: 'danger_alert', label: 'Alerte de danger' }, …]
 */
import { documentHash } from './canonical.js';
import { readableFingerprint, type Endpoint, type Flow, type ProtocolDocument } from './protocol-document.js';
import { AGENCY_KIND_LABELS, DATA_CATEGORIES, LEGAL_BASIS_LABELS, MESSAGE_TYPE_URGENCY, PURPOSES, labelOf, type Labels } from './vocabulary.js';

type Lang = 'fr' | 'en';

/** A code and its word in the reader's language. */
export interface Term {
  code: string;
  label: string;
}

/** One end of a flow: one inbox, or every party agency of a kind. */
export type EndpointReview = { inbox: string } | { kind: Term; agencies: string[] };

export interface EscalationReview {
  /** Seconds after the deadline at which these inboxes are told. */
  afterSeconds: number;
  inboxes: string[];
}

export interface FlowReview {
  id: string;
  title: string;
  from: EndpointReview;
  to: EndpointReview;
  messageTypes: Term[];
  dataCategories: Term[];
  consent: { basis: Term; purposes: Term[] } | null;
  /** Without consent: only these categories, only to these recipients. */
  danger: { basis: Term; dataCategories: Term[]; recipients: EndpointReview[] } | null;
  legalObligation: { basis: Term; references: string[] } | null;
  acknowledgement: { deadlineSeconds: number; messageTypes: Term[]; escalation: EscalationReview[]; renotify: boolean } | null;
}

export interface PartyReview {
  agency: string;
  kind: Term;
  /** The root key's fingerprint as people read it aloud: six groups of four hexadecimal digits. */
  fingerprint: string;
}

export interface ProtocolReview {
  id: string;
  version: number;
  /** The title in the reader's language, and both as the parties signed them. */
  title: string;
  titles: { fr: string; en: string };
  effectiveFrom: string;
  retentionDays: number;
  /** SHA-256 of the canonical document (base64url): what the hub shows as `documentHash`, what the parties compare. */
  documentHash: string;
  parties: PartyReview[];
  flows: FlowReview[];
}

const MESSAGE_TYPES: Readonly<Record<string, Labels>> = Object.fromEntries(Object.entries(MESSAGE_TYPE_URGENCY).map(([k, v]) => [k, v.labels]));

const term = (table: Readonly<Record<string, Labels>>, code: string, lang: Lang): Term => ({ code, label: labelOf(table, code, lang) });


function endpoint(doc: ProtocolDocument, e: Endpoint, lang: Lang): EndpointReview {
  if ('inbox' in e) return { inbox: e.inbox };
  return { kind: term(AGENCY_KIND_LABELS, e.kind, lang), agencies: doc.parties.filter((p) => p.kind === e.kind).map((p) => p.agency) };
}

function flowReview(doc: ProtocolDocument, flow: Flow, lang: Lang): FlowReview {
  const bases = flow.legalBases;
  const ack = flow.acknowledgement;
  return {
    id: flow.id,
    title: flow.titles[lang],
    from: endpoint(doc, flow.from, lang),
    to: endpoint(doc, flow.to, lang),
    messageTypes: flow.messageTypes.map((t) => term(MESSAGE_TYPES, t, lang)),
    dataCategories: flow.dataCategories.map((c) => term(DATA_CATEGORIES, c, lang)),
    consent: bases.consent ? { basis: term(LEGAL_BASIS_LABELS, 'consent', lang), purposes: bases.consent.purposes.map((p) => term(PURPOSES, p, lang)) } : null,
    danger: bases.apprehended_danger
      ? {
          basis: term(LEGAL_BASIS_LABELS, 'apprehended_danger', lang),
          dataCategories: bases.apprehended_danger.dataCategories.map((c) => term(DATA_CATEGORIES, c, lang)),
          recipients: (bases.apprehended_danger.recipients ?? [flow.to]).map((e) => endpoint(doc, e, lang)),
        }
      : null,
    legalObligation: bases.legal_obligation ? { basis: term(LEGAL_BASIS_LABELS, 'legal_obligation', lang), references: [...bases.legal_obligation.references] } : null,
    acknowledgement: ack
      ? {
          deadlineSeconds: ack.deadlineSeconds,
          messageTypes: ack.messageTypes.map((t) => term(MESSAGE_TYPES, t, lang)),
          escalation: ack.escalation.map((s) => ({ afterSeconds: s.afterSeconds, inboxes: [...s.inboxes] })),
          renotify: ack.renotifyRecipients,
        }
      : null,
  };
}

/** A protocol version read in one language (see the module's comment). */
export function reviewProtocol(doc: ProtocolDocument, lang: Lang, sha256: (data: Uint8Array) => Uint8Array): ProtocolReview {
  return {
    id: doc.id,
    version: doc.version,
    title: doc.titles[lang],
    titles: { fr: doc.titles.fr, en: doc.titles.en },
    effectiveFrom: doc.effectiveFrom,
    retentionDays: doc.retention.days,
    documentHash: documentHash(sha256, doc),
    parties: doc.parties.map((p) => ({ agency: p.agency, kind: term(AGENCY_KIND_LABELS, p.kind, lang), fingerprint: readableFingerprint(p.rootKeyFingerprint) })),
    flows: doc.flows.map((f) => flowReview(doc, f, lang)),
  };
}

/** A duration as a person says it: whole hours, else whole minutes, else seconds. */
export function durationParts(seconds: number): { unit: 'hours' | 'minutes' | 'seconds'; count: number } {
  if (seconds >= 3600 && seconds % 3600 === 0) return { unit: 'hours', count: seconds / 3600 };
  if (seconds >= 60 && seconds % 60 === 0) return { unit: 'minutes', count: seconds / 60 };
  return { unit: 'seconds', count: seconds };
}
