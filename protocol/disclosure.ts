/**
 * The disclosure decision (invariant 3): may this signed header leave the
 * sender for these recipients, under this protocol version and this legal
 * basis, at this moment? Pure and runtime-neutral: the hub calls it inside
 * the accepting transaction with the facts it locked, and clients call it to
 * explain a refusal before they send.
 *
 * @example
 * const decision = decideDisclosure({ header, protocol, status: 'active', sender, recipients, consents, now });
 * if (!decision.allowed) refuse(decision.code, decision.detail);
 */
import { DIRECTIVE_CODE_PATTERN, type EnvelopeHeader, type LegalBasis } from './schemas.js';
import { endpointMatches, type Flow, type ProtocolDocument, type ProtocolStatus } from './protocol-document.js';
import { DANGER_CONDITIONS, DANGER_REASONS, MESSAGE_TYPE_URGENCY, urgencyAtLeast, type Urgency } from './vocabulary.js';

/** Every reason the hub refuses a message on its basis, as stable codes. */
export const REFUSAL_CODES = [
  'PROTOCOL_REQUIRED',
  'LEGAL_BASIS_REQUIRED',
  'PROTOCOL_NOT_ACTIVE',
  'PROTOCOL_SUPERSEDED',
  'PROTOCOL_RETIRED',
  'URGENCY_TOO_LOW',
  'FLOW_NOT_ALLOWED',
  'LEGAL_BASIS_NOT_ALLOWED',
  'CATEGORY_NOT_ALLOWED',
  'RECIPIENT_NOT_ALLOWED',
  'PURPOSE_NOT_ALLOWED',
  'ATTESTATION_MISSING',
  'LEGAL_REFERENCE_NOT_ALLOWED',
  'CONSENT_MISSING',
  'CONSENT_EXPIRED',
  'CONSENT_REVOKED',
  'CONSENT_SCOPE_EXCEEDED',
  'ASSESSMENT_REQUIRED',
  'ASSESSMENT_LEVEL_TOO_LOW',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** A consent as the hub stores it: metadata only, the signed evidence stays with the agency. */
export interface ConsentFacts {
  id: string;
  caseRef: string;
  recipients: readonly string[];
  purposes: readonly string[];
  dataCategories: readonly string[];
  validFrom: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
}

export interface Party {
  inbox: string;
  agency: string;
  kind: string;
}

export interface DisclosureFacts {
  header: Pick<EnvelopeHeader, 'type' | 'urgency' | 'dataCategories' | 'protocol' | 'legalBasis' | 'assessment'>;
  /** The protocol version the header names, or null when the hub has no such version. */
  protocol: ProtocolDocument | null;
  status: ProtocolStatus | null;
  sender: Party;
  recipients: readonly Party[];
  /** The sender agency's consents for the header's case (only needed for the consent basis). */
  consents: readonly ConsentFacts[];
  /** The levels of a risk instrument version, lowest first, or null when unknown (for `requiredAssessment`). */
  instrumentLevels?: (instrument: string, version: number) => readonly string[] | null;
  now: Date;
}

/**
 * What a refusal is about, as codes and names, for a client or the hub to
 * say in a person's words (refusal-detail.ts); `detail` says the same for the
 * record, in one technical line.
 */
export interface RefusalFacts {
  /** The protocol version named (`id@version`), or the flow checked and its titles. */
  protocol?: string;
  flow?: string;
  flowTitles?: { fr: string; en: string };
  /** The version's status, when it is not in force. */
  status?: ProtocolStatus;
  /** A message type, and the least urgency it allows. */
  type?: string;
  minimum?: Urgency;
  /** The sender's agency, when it is not a party; the inboxes of a route no flow allows. */
  agency?: string;
  from?: string;
  to?: string;
  basis?: string;
  /** Categories outside the flow, or beyond its minimum without consent (`beyondMinimum`). */
  categories?: string[];
  beyondMinimum?: boolean;
  purpose?: string;
  recipient?: string;
  /** A legal obligation's reference: none given, or not one the flow lists. */
  reference?: 'missing' | 'unlisted';
  /** The assessment asked for or given (instrument, version, level), and the level required. */
  instrument?: string;
  version?: number;
  level?: string;
  required?: string;
  /** Apprehended danger: the conditions not attested, or what else is missing. */
  conditions?: string[];
  missing?: 'reason' | 'directive' | 'directive-code' | 'case';
  /** A consent not in force yet. */
  notYetValid?: boolean;
  /** What the closest consent does not cover. */
  uncovered?: { recipients: string[]; purpose?: string; categories: string[] };
}

export type DisclosureDecision =
  | {
      allowed: true;
      /** The flow that allows each recipient inbox. */
      flows: Record<string, Flow>;
      /** The consent that covers a consent-based message. */
      consent?: string;
    }
  | { allowed: false; code: RefusalCode; detail?: string; facts?: RefusalFacts };

const refuse = (code: RefusalCode, detail?: string, facts?: RefusalFacts): DisclosureDecision => ({
  allowed: false,
  code,
  ...(detail ? { detail } : {}),
  ...(facts ? { facts } : {}),
});

const STATUS_REFUSAL: Partial<Record<ProtocolStatus, RefusalCode>> = {
  pending_signatures: 'PROTOCOL_NOT_ACTIVE',
  scheduled: 'PROTOCOL_NOT_ACTIVE',
  superseded: 'PROTOCOL_SUPERSEDED',
  retired: 'PROTOCOL_RETIRED',
};

/** Order of the checks of one flow: the refusal of the flow that got furthest is the most telling. */
type FlowCheck = { ok: true } | { ok: false; code: RefusalCode; detail: string; facts: RefusalFacts; stage: number };

function checkFlow(flow: Flow, facts: DisclosureFacts, recipient: Party, basis: LegalBasis): FlowCheck {
  const { header } = facts;
  const parties = facts.protocol!.parties;
  const fail = (stage: number, code: RefusalCode, detail: string, about: RefusalFacts = {}): FlowCheck => ({ ok: false, code, detail, facts: { flow: flow.id, flowTitles: flow.titles, ...about }, stage });
  if (!flow.legalBases[basis.code]) return fail(1, 'LEGAL_BASIS_NOT_ALLOWED', `${flow.id}: ${basis.code}`, { basis: basis.code });
  const outside = header.dataCategories.filter((c) => !flow.dataCategories.includes(c));
  if (outside.length > 0) return fail(2, 'CATEGORY_NOT_ALLOWED', `${flow.id}: ${outside.join(', ')}`, { categories: outside });
  const required = flow.requiredAssessment;
  if (required && appliesTo(required, header.type, basis.code)) {
    const problem = assessmentProblem(required, header.assessment, facts.instrumentLevels);
    if (problem) return fail(3, problem.code, `${flow.id}: ${problem.detail}`, problem.facts);
  }
  switch (basis.code) {
    case 'consent': {
      const purposes = flow.legalBases.consent!.purposes;
      if (!basis.purpose || !purposes.includes(basis.purpose)) {
        return fail(3, 'PURPOSE_NOT_ALLOWED', `${flow.id}: ${basis.purpose ?? '-'}`, basis.purpose ? { purpose: basis.purpose } : {});
      }
      break;
    }
    case 'apprehended_danger': {
      const rule = flow.legalBases.apprehended_danger!;
      const beyond = header.dataCategories.filter((c) => !rule.dataCategories.includes(c));
      if (beyond.length > 0) return fail(3, 'CATEGORY_NOT_ALLOWED', `${flow.id}: ${beyond.join(', ')} beyond the minimum`, { categories: beyond, beyondMinimum: true });
      const helpers = rule.recipients ?? [flow.to];
      if (!helpers.some((e) => endpointMatches(e, recipient, parties))) return fail(3, 'RECIPIENT_NOT_ALLOWED', `${flow.id}: ${recipient.inbox}`, { recipient: recipient.inbox });
      break;
    }
    case 'legal_obligation': {
      const references = flow.legalBases.legal_obligation!.references;
      if (!basis.reference || !references.includes(basis.reference)) {
        return fail(3, 'LEGAL_REFERENCE_NOT_ALLOWED', `${flow.id}: ${basis.reference ? 'reference not listed' : 'no reference'}`, { reference: basis.reference ? 'unlisted' : 'missing' });
      }
      break;
    }
  }
  return { ok: true };
}

type Required = NonNullable<Flow['requiredAssessment']>;

const appliesTo = (r: Required, type: string, basis: string) =>
  (!r.messageTypes && !r.legalBases) || (r.messageTypes?.includes(type as never) ?? false) || (r.legalBases?.includes(basis as never) ?? false);

function assessmentProblem(
  r: Required,
  signed: DisclosureFacts['header']['assessment'],
  levelsOf: DisclosureFacts['instrumentLevels'],
): { code: RefusalCode; detail: string; facts: RefusalFacts } | null {
  if (!signed || signed.instrument !== r.instrument) return { code: 'ASSESSMENT_REQUIRED', detail: `an assessment with ${r.instrument}`, facts: { instrument: r.instrument, required: r.level } };
  const given = { instrument: signed.instrument, version: signed.version, level: signed.level, required: r.level };
  const levels = levelsOf?.(signed.instrument, signed.version) ?? null;
  if (!levels || !levels.includes(signed.level)) return { code: 'ASSESSMENT_REQUIRED', detail: `${signed.instrument}@${signed.version}: unknown version or level`, facts: given };
  // A version without the required level cannot show that it is reached.
  const need = levels.indexOf(r.level);
  if (need < 0) return { code: 'ASSESSMENT_REQUIRED', detail: `${signed.instrument}@${signed.version} has no level ${r.level}`, facts: given };
  if (levels.indexOf(signed.level) < need) return { code: 'ASSESSMENT_LEVEL_TOO_LOW', detail: `${signed.level} is below ${r.level}`, facts: given };
  return null;
}

const DIRECTIVE_CODE = new RegExp(DIRECTIVE_CODE_PATTERN);

function attestationProblem(basis: LegalBasis): { detail: string; facts: RefusalFacts } | null {
  const attested = basis.attestation;
  const unmet = Object.keys(DANGER_CONDITIONS).filter((c) => attested?.[c as keyof typeof DANGER_CONDITIONS] !== true);
  if (unmet.length > 0) return { detail: `conditions not attested: ${unmet.join(', ')}`, facts: { conditions: unmet } };
  if (!basis.reason || !Object.hasOwn(DANGER_REASONS, basis.reason)) return { detail: 'reason code missing or unknown', facts: { missing: 'reason' } };
  if (!basis.reference) return { detail: 'internal directive reference missing', facts: { missing: 'directive' } };
  // A code, never free text: it travels to the register (docs/wire-format.md).
  if (!DIRECTIVE_CODE.test(basis.reference)) return { detail: 'internal directive reference is not a code', facts: { missing: 'directive-code' } };
  return null;
}

const isValidAt = (c: ConsentFacts, now: Date) =>
  c.revokedAt === null && c.validFrom.getTime() <= now.getTime() && (c.validUntil === null || c.validUntil.getTime() > now.getTime());

/**
 * The consent decision alone: an active consent of the sender's agency must
 * cover the case, every recipient agency, the purpose and every category.
 * Returns the covering consent, or the refusal.
 */
export function decideConsent(
  basis: LegalBasis,
  dataCategories: readonly string[],
  recipientAgencies: readonly string[],
  consents: readonly ConsentFacts[],
  now: Date,
): { refusal: DisclosureDecision } | { consent: ConsentFacts } {
  const no = (code: RefusalCode, detail?: string, facts?: RefusalFacts) => ({ refusal: refuse(code, detail, facts) });
  if (!basis.case) return no('CONSENT_MISSING', 'no case reference', { missing: 'case' });
  const candidates = consents.filter((c) => c.caseRef === basis.case && (!basis.consent || c.id === basis.consent));
  const active = candidates.filter((c) => isValidAt(c, now));
  if (active.length === 0) {
    // A revocation takes effect at once, whatever the clocks say.
    if (candidates.some((c) => c.revokedAt !== null)) return no('CONSENT_REVOKED');
    if (candidates.some((c) => c.validUntil !== null && c.validUntil.getTime() <= now.getTime())) return no('CONSENT_EXPIRED');
    return candidates.length > 0 ? no('CONSENT_MISSING', 'not yet valid', { notYetValid: true }) : no('CONSENT_MISSING');
  }
  const gaps = (c: ConsentFacts) => [
    ...recipientAgencies.filter((a) => !c.recipients.includes(a)).map((a) => `recipient ${a}`),
    ...(basis.purpose && c.purposes.includes(basis.purpose) ? [] : [`purpose ${basis.purpose ?? '-'}`]),
    ...dataCategories.filter((d) => !c.dataCategories.includes(d)).map((d) => `category ${d}`),
  ];
  const scored = active.map((c) => ({ c, gaps: gaps(c) })).sort((a, b) => a.gaps.length - b.gaps.length);
  if (scored[0]!.gaps.length > 0) {
    const c = scored[0]!.c;
    const uncovered = {
      recipients: recipientAgencies.filter((a) => !c.recipients.includes(a)),
      ...(basis.purpose && c.purposes.includes(basis.purpose) ? {} : { purpose: basis.purpose ?? '' }),
      categories: dataCategories.filter((d) => !c.dataCategories.includes(d)),
    };
    return no('CONSENT_SCOPE_EXCEEDED', scored[0]!.gaps.join(', '), { uncovered });
  }
  return { consent: scored[0]!.c };
}

/**
 * Decides one message. Checks, in order: a protocol and a legal basis are
 * named; the version is active; the urgency suits the message type; for each
 * recipient, a flow from the sender allows the type, the basis, the
 * categories (the minimum ones without consent), the recipient (those able to
 * help, without consent), the purpose or the legal reference; then the
 * apprehended-danger attestation or the consent.
 */
export function decideDisclosure(facts: DisclosureFacts): DisclosureDecision {
  const { header, protocol, now } = facts;
  if (!header.protocol) return refuse('PROTOCOL_REQUIRED');
  const basis = header.legalBasis;
  if (!basis) return refuse('LEGAL_BASIS_REQUIRED');
  const named = `${header.protocol.id}@${header.protocol.version}`;
  if (!protocol || !facts.status) return refuse('PROTOCOL_NOT_ACTIVE', `${named} unknown`, { protocol: named });
  if (protocol.id !== header.protocol.id || protocol.version !== header.protocol.version) {
    return refuse('PROTOCOL_NOT_ACTIVE', `${named}: not the version decided on`, { protocol: named });
  }
  const statusRefusal = STATUS_REFUSAL[facts.status];
  if (statusRefusal) return refuse(statusRefusal, facts.status, { protocol: named, status: facts.status });
  const minimum = MESSAGE_TYPE_URGENCY[header.type].minimum;
  if (!urgencyAtLeast(header.urgency, minimum)) return refuse('URGENCY_TOO_LOW', `${header.type} requires ${minimum}`, { type: header.type, minimum });
  if (!protocol.parties.some((p) => p.agency === facts.sender.agency)) return refuse('FLOW_NOT_ALLOWED', `${facts.sender.agency} is not a party`, { agency: facts.sender.agency });

  const flows: Record<string, Flow> = {};
  for (const recipient of facts.recipients) {
    const candidates = protocol.flows.filter(
      (f) =>
        f.messageTypes.includes(header.type) &&
        endpointMatches(f.from, facts.sender, protocol.parties) &&
        endpointMatches(f.to, recipient, protocol.parties),
    );
    if (candidates.length === 0) {
      return refuse('FLOW_NOT_ALLOWED', `${facts.sender.inbox} → ${recipient.inbox}: ${header.type}`, { from: facts.sender.inbox, to: recipient.inbox, type: header.type });
    }
    let best: Extract<FlowCheck, { ok: false }> | null = null;
    for (const flow of candidates) {
      const check = checkFlow(flow, facts, recipient, basis);
      if (check.ok) {
        flows[recipient.inbox] = flow;
        break;
      }
      if (!best || check.stage > best.stage) best = check;
    }
    if (!flows[recipient.inbox]) return refuse(best!.code, best!.detail, best!.facts);
  }

  if (basis.code === 'apprehended_danger') {
    const problem = attestationProblem(basis);
    if (problem) return refuse('ATTESTATION_MISSING', problem.detail, problem.facts);
  }
  if (basis.code === 'consent') {
    // A consent covers disclosures to other agencies; a desk of the sender's own agency
    // (a rapid-intervention cell's répondant writing to its coordinator) is not one.
    const agencies = [...new Set(facts.recipients.map((r) => r.agency))].filter((a) => a !== facts.sender.agency);
    const consent = decideConsent(basis, header.dataCategories, agencies, facts.consents, now);
    if ('refusal' in consent) return consent.refusal;
    return { allowed: true, flows, consent: consent.consent.id };
  }
  return { allowed: true, flows };
}
