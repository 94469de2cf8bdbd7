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
import { DANGER_CONDITIONS, DANGER_REASONS, MESSAGE_TYPE_URGENCY, urgencyAtLeast } from './vocabulary.js';

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

export type DisclosureDecision =
  | {
      allowed: true;
      /** The flow that allows each recipient inbox. */
      flows: Record<string, Flow>;
      /** The consent that covers a consent-based message. */
      consent?: string;
    }
  | { allowed: false; code: RefusalCode; detail?: string };

const refuse = (code: RefusalCode, detail?: string): DisclosureDecision => ({ allowed: false, code, ...(detail ? { detail } : {}) });

const STATUS_REFUSAL: Partial<Record<ProtocolStatus, RefusalCode>> = {
  pending_signatures: 'PROTOCOL_NOT_ACTIVE',
  scheduled: 'PROTOCOL_NOT_ACTIVE',
  superseded: 'PROTOCOL_SUPERSEDED',
  retired: 'PROTOCOL_RETIRED',
};

/** Order of the checks of one flow: the refusal of the flow that got furthest is the most telling. */
type FlowCheck = { ok: true } | { ok: false; code: RefusalCode; detail: string; stage: number };

function checkFlow(flow: Flow, facts: DisclosureFacts, recipient: Party, basis: LegalBasis): FlowCheck {
  const { header } = facts;
  const parties = facts.protocol!.parties;
  const fail = (stage: number, code: RefusalCode, detail: string): FlowCheck => ({ ok: false, code, detail, stage });
  if (!flow.legalBases[basis.code]) return fail(1, 'LEGAL_BASIS_NOT_ALLOWED', `${flow.id}: ${basis.code}`);
  const outside = header.dataCategories.filter((c) => !flow.dataCategories.includes(c));
  if (outside.length > 0) return fail(2, 'CATEGORY_NOT_ALLOWED', `${flow.id}: ${outside.join(', ')}`);
  const required = flow.requiredAssessment;
  if (required && appliesTo(required, header.type, basis.code)) {
    const problem = assessmentProblem(required, header.assessment, facts.instrumentLevels);
    if (problem) return fail(3, problem.code, `${flow.id}: ${problem.detail}`);
  }
  switch (basis.code) {
    case 'consent': {
      const purposes = flow.legalBases.consent!.purposes;
      if (!basis.purpose || !purposes.includes(basis.purpose)) return fail(3, 'PURPOSE_NOT_ALLOWED', `${flow.id}: ${basis.purpose ?? '-'}`);
      break;
    }
    case 'apprehended_danger': {
      const rule = flow.legalBases.apprehended_danger!;
      const beyond = header.dataCategories.filter((c) => !rule.dataCategories.includes(c));
      if (beyond.length > 0) return fail(3, 'CATEGORY_NOT_ALLOWED', `${flow.id}: ${beyond.join(', ')} beyond the minimum`);
      const helpers = rule.recipients ?? [flow.to];
      if (!helpers.some((e) => endpointMatches(e, recipient, parties))) return fail(3, 'RECIPIENT_NOT_ALLOWED', `${flow.id}: ${recipient.inbox}`);
      break;
    }
    case 'legal_obligation': {
      const references = flow.legalBases.legal_obligation!.references;
      if (!basis.reference || !references.includes(basis.reference)) return fail(3, 'LEGAL_REFERENCE_NOT_ALLOWED', `${flow.id}: ${basis.reference ? 'reference not listed' : 'no reference'}`);
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
): { code: RefusalCode; detail: string } | null {
  if (!signed || signed.instrument !== r.instrument) return { code: 'ASSESSMENT_REQUIRED', detail: `an assessment with ${r.instrument}` };
  const levels = levelsOf?.(signed.instrument, signed.version) ?? null;
  if (!levels || !levels.includes(signed.level)) return { code: 'ASSESSMENT_REQUIRED', detail: `${signed.instrument}@${signed.version}: unknown version or level` };
  // A version without the required level cannot show that it is reached.
  const need = levels.indexOf(r.level);
  if (need < 0) return { code: 'ASSESSMENT_REQUIRED', detail: `${signed.instrument}@${signed.version} has no level ${r.level}` };
  if (levels.indexOf(signed.level) < need) return { code: 'ASSESSMENT_LEVEL_TOO_LOW', detail: `${signed.level} is below ${r.level}` };
  return null;
}

const DIRECTIVE_CODE = new RegExp(DIRECTIVE_CODE_PATTERN);

function attestationProblem(basis: LegalBasis): string | null {
  const attested = basis.attestation;
  const unmet = Object.keys(DANGER_CONDITIONS).filter((c) => attested?.[c as keyof typeof DANGER_CONDITIONS] !== true);
  if (unmet.length > 0) return `conditions not attested: ${unmet.join(', ')}`;
  if (!basis.reason || !Object.hasOwn(DANGER_REASONS, basis.reason)) return 'reason code missing or unknown';
  if (!basis.reference) return 'internal directive reference missing';
  // A code, never free text: it travels to the register (docs/wire-format.md).
  if (!DIRECTIVE_CODE.test(basis.reference)) return 'internal directive reference is not a code';
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
  const no = (code: RefusalCode, detail?: string) => ({ refusal: refuse(code, detail) });
  if (!basis.case) return no('CONSENT_MISSING', 'no case reference');
  const candidates = consents.filter((c) => c.caseRef === basis.case && (!basis.consent || c.id === basis.consent));
  const active = candidates.filter((c) => isValidAt(c, now));
  if (active.length === 0) {
    // A revocation takes effect at once, whatever the clocks say.
    if (candidates.some((c) => c.revokedAt !== null)) return no('CONSENT_REVOKED');
    if (candidates.some((c) => c.validUntil !== null && c.validUntil.getTime() <= now.getTime())) return no('CONSENT_EXPIRED');
    return no('CONSENT_MISSING', candidates.length > 0 ? 'not yet valid' : undefined);
  }
  const gaps = (c: ConsentFacts) => [
    ...recipientAgencies.filter((a) => !c.recipients.includes(a)).map((a) => `recipient ${a}`),
    ...(basis.purpose && c.purposes.includes(basis.purpose) ? [] : [`purpose ${basis.purpose ?? '-'}`]),
    ...dataCategories.filter((d) => !c.dataCategories.includes(d)).map((d) => `category ${d}`),
  ];
  const scored = active.map((c) => ({ c, gaps: gaps(c) })).sort((a, b) => a.gaps.length - b.gaps.length);
  if (scored[0]!.gaps.length > 0) return no('CONSENT_SCOPE_EXCEEDED', scored[0]!.gaps.join(', '));
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
  if (!protocol || !facts.status) return refuse('PROTOCOL_NOT_ACTIVE', `${header.protocol.id}@${header.protocol.version} unknown`);
  if (protocol.id !== header.protocol.id || protocol.version !== header.protocol.version) {
    return refuse('PROTOCOL_NOT_ACTIVE', `${header.protocol.id}@${header.protocol.version}: not the version decided on`);
  }
  const statusRefusal = STATUS_REFUSAL[facts.status];
  if (statusRefusal) return refuse(statusRefusal, facts.status);
  if (!urgencyAtLeast(header.urgency, MESSAGE_TYPE_URGENCY[header.type].minimum)) {
    return refuse('URGENCY_TOO_LOW', `${header.type} requires ${MESSAGE_TYPE_URGENCY[header.type].minimum}`);
  }
  if (!protocol.parties.some((p) => p.agency === facts.sender.agency)) return refuse('FLOW_NOT_ALLOWED', `${facts.sender.agency} is not a party`);

  const flows: Record<string, Flow> = {};
  for (const recipient of facts.recipients) {
    const candidates = protocol.flows.filter(
      (f) =>
        f.messageTypes.includes(header.type) &&
        endpointMatches(f.from, facts.sender, protocol.parties) &&
        endpointMatches(f.to, recipient, protocol.parties),
    );
    if (candidates.length === 0) return refuse('FLOW_NOT_ALLOWED', `${facts.sender.inbox} → ${recipient.inbox}: ${header.type}`);
    let best: Extract<FlowCheck, { ok: false }> | null = null;
    for (const flow of candidates) {
      const check = checkFlow(flow, facts, recipient, basis);
      if (check.ok) {
        flows[recipient.inbox] = flow;
        break;
      }
      if (!best || check.stage > best.stage) best = check;
    }
    if (!flows[recipient.inbox]) return refuse(best!.code, best!.detail);
  }

  if (basis.code === 'apprehended_danger') {
    const problem = attestationProblem(basis);
    if (problem) return refuse('ATTESTATION_MISSING', problem);
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
