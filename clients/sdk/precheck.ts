/**
 * Before sending: what the protocol in force allows this device, and the
 * hub's own disclosure decision (protocol/disclosure.ts) run on this device
 * with the facts it can know — the protocol version its agency signed, that
 * version's status, the parties' kinds, the agency's consents for the case,
 * the risk instruments it knows. A refusal the client can know is shown
 * before anything is signed or sent; the hub still decides on its own facts.
 *
 * @example
 * const check = await prepareSendCheck(client, { id: 'shelter-police', version: 1 }, 'DOSSIER-1');
 * const decision = check.decide({ type: 'danger_alert', recipients: ['police-laval/dispatch'], fromInbox: 'shelter-laval/intake',
 *   dataCategories: ['threat'], legalBasis: { code: 'consent', case: 'DOSSIER-1', purpose: 'victim_safety' } });
 * if (!decision.allowed) explain(decision.code); // REFUSAL_LABELS[decision.code]
 */
import { decideDisclosure, type ConsentFacts, type DisclosureDecision, type Party } from '../../protocol/disclosure.js';
import { endpointMatches, type Endpoint, type Flow, type ProtocolDocument, type ProtocolStatus } from '../../protocol/protocol-document.js';
import type { ConsentView } from '../../protocol/consent.js';
import { LEGAL_BASES, type AssessmentRef, type EnvelopeHeader, type LegalBasisCode, type MessageType } from '../../protocol/schemas.js';
import { MESSAGE_TYPE_URGENCY } from '../../protocol/vocabulary.js';
import type { VigieClient } from './client.js';
import type { ProtocolRef } from './directory.js';
import { protocolVersions } from './protocols.js';
import { agencyOfInbox } from '../../protocol/ids.js';

/**
 * A consent as the hub shows it, as the disclosure decision reads it.
 *
 * @example
 * const facts = (await client.consents({ case: 'DOSSIER-1' })).map(consentFacts);
 */
export function consentFacts(c: ConsentView): ConsentFacts {
  return {
    id: c.id,
    caseRef: c.case,
    recipients: c.recipients,
    purposes: c.purposes,
    dataCategories: c.dataCategories,
    validFrom: new Date(c.validFrom),
    validUntil: c.validUntil ? new Date(c.validUntil) : null,
    revokedAt: c.revokedAt ? new Date(c.revokedAt) : null,
  };
}

/** What a message would carry, as far as the decision goes (an assessment already scored). */
export interface PlannedMessage {
  type: MessageType;
  urgency?: EnvelopeHeader['urgency'];
  fromInbox: string;
  recipients: string[];
  dataCategories?: string[];
  legalBasis?: EnvelopeHeader['legalBasis'];
  assessment?: AssessmentRef | null;
}

export interface SendCheck {
  protocol: ProtocolDocument;
  status: ProtocolStatus;
  /** The agency's consents for the case (all states), as the hub would read them. */
  consents: ConsentFacts[];
  /** The hub's decision, on this device's facts, at `now`. */
  decide(message: PlannedMessage, now?: Date): DisclosureDecision;
}

/** The kind a protocol gives an agency: its party's (the hub registered the same one), or '' for an agency that is not a party. */
const kindIn = (protocol: ProtocolDocument, agency: string) => protocol.parties.find((p) => p.agency === agency)?.kind ?? '';

/**
 * An inbox as a party of a protocol.
 *
 * @example
 * partyOf(doc, 'police-laval/dispatch') // { inbox: 'police-laval/dispatch', agency: 'police-laval', kind: 'police' }
 */
export function partyOf(protocol: ProtocolDocument, inbox: string): Party {
  const agency = agencyOfInbox(inbox);
  return { inbox, agency, kind: kindIn(protocol, agency) };
}

/**
 * The facts for one protocol version (signed by this device's agency: the
 * directory refuses any other) and, for the consent basis, one case; then
 * decide as many planned messages as needed, synchronously.
 */
export async function prepareSendCheck(client: VigieClient, ref: ProtocolRef, caseRef?: string): Promise<SendCheck> {
  const [protocol, versions, consents] = await Promise.all([
    client.directory.protocol(ref),
    protocolVersions(client.http, ref.id),
    caseRef ? client.consents({ case: caseRef }) : Promise.resolve<ConsentView[]>([]),
  ]);
  const status = versions.find((v) => v.version === ref.version)?.status ?? null;
  if (!status) throw new Error(`${ref.id}@${ref.version}: no such version on the hub`);
  const facts = consents.map(consentFacts);
  const instruments = client.options.instruments ?? [];
  const instrumentLevels = (id: string, version: number) => instruments.find((i) => i.id === id && i.version === version)?.levels.map((l) => l.id) ?? null;
  return {
    protocol,
    status,
    consents: facts,
    decide(message, now = new Date()) {
      return decideDisclosure({
        header: {
          type: message.type,
          urgency: message.urgency ?? MESSAGE_TYPE_URGENCY[message.type].default,
          dataCategories: message.dataCategories ?? [],
          protocol: ref,
          ...(message.legalBasis ? { legalBasis: message.legalBasis } : {}),
          ...(message.assessment ? { assessment: message.assessment } : {}),
        },
        protocol,
        status,
        sender: { ...partyOf(protocol, message.fromInbox), agency: client.agency },
        recipients: message.recipients.map((r) => partyOf(protocol, r)),
        consents: facts,
        instrumentLevels,
        now,
      });
    },
  };
}

/**
 * The flows of a protocol that start from this sender inbox.
 *
 * @example
 * flowsFrom(doc, 'shelter-laval/intake').map((f) => f.id) // ['alerte-maison-police']
 */
export function flowsFrom(protocol: ProtocolDocument, fromInbox: string): Flow[] {
  const sender = partyOf(protocol, fromInbox);
  return protocol.flows.filter((f) => endpointMatches(f.from, sender, protocol.parties));
}

/**
 * What a sender may choose under a protocol, for one message type: the
 * recipient endpoints (a kind of agency — any desk of a party of that kind —
 * or one inbox), the legal bases and, for each, the data categories and the
 * purposes or legal references the flows name.
 *
 * @example
 * const choice = allowedChoices(protocol, 'shelter-laval/intake', 'danger_alert');
 * choice.legalBases.apprehended_danger?.dataCategories // ['identity', 'location', 'threat', 'risk_level']
 */
export function allowedChoices(protocol: ProtocolDocument, fromInbox: string, type: MessageType) {
  const flows = flowsFrom(protocol, fromInbox).filter((f) => f.messageTypes.includes(type));
  const union = (lists: readonly (readonly string[])[]) => [...new Set(lists.flat())];
  const recipients: Endpoint[] = [];
  for (const f of flows) if (!recipients.some((e) => JSON.stringify(e) === JSON.stringify(f.to))) recipients.push(f.to);
  const legalBases: Partial<Record<LegalBasisCode, { dataCategories: string[]; purposes: string[]; references: string[] }>> = {};
  for (const f of flows) {
    for (const code of LEGAL_BASES) {
      const rule = f.legalBases[code];
      if (!rule) continue;
      const prev = legalBases[code] ?? { dataCategories: [], purposes: [], references: [] };
      legalBases[code] = {
        // Without consent only the minimum categories may travel.
        dataCategories: union([prev.dataCategories, 'dataCategories' in rule ? rule.dataCategories : f.dataCategories]),
        purposes: union([prev.purposes, 'purposes' in rule ? rule.purposes : []]),
        references: union([prev.references, 'references' in rule ? rule.references : []]),
      };
    }
  }
  return {
    flows,
    recipients,
    legalBases,
    /** Whether a person must acknowledge it, within which deadline, and who is told after. */
    acknowledgement: flows.find((f) => f.acknowledgement?.messageTypes.includes(type))?.acknowledgement ?? null,
    requiredAssessment: flows.find((f) => f.requiredAssessment)?.requiredAssessment ?? null,
  };
}

/**
 * The message types a protocol lets this sender inbox send, in the protocol's order.
 *
 * @example
 * allowedTypes(doc, 'shelter-laval/intake') // ['danger_alert', 'risk_assessment', 'note']
 */
export function allowedTypes(protocol: ProtocolDocument, fromInbox: string): MessageType[] {
  return [...new Set(flowsFrom(protocol, fromInbox).flatMap((f) => f.messageTypes))];
}
