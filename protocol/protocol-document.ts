/**
 * Protocol documents: the partners' agreements in machine-readable form.
 * A version names its parties, the flows it allows (from an agency kind or an
 * inbox, to a kind or an inbox; message types; legal bases; data
 * categories), each flow's acknowledgement deadline and escalation chain, and
 * its retention. It is active only once every party's root key has signed its
 * exact canonical form (`signDocument(crypto, 'protocol', …)`), from its
 * effective date, until a later version supersedes it or a party retires it.
 *
 * @example
 * const doc = draftProtocol(template, { shelter: 'shelter-laval', police: 'police-laval' }, { effectiveFrom: now });
 * const problems = checkProtocolDocument(doc); // [] when the document is coherent
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  AgencyIdSchema,
  AgencyKindSchema,
  CODE_PATTERN,
  DATA_CATEGORY_PATTERN,
  InboxIdSchema,
  INSTRUMENT_ID_PATTERN,
  LEGAL_BASES,
  MessageTypeSchema,
  ProtocolIdSchema,
  Sha256Schema,
  SignatureSchema,
  TimestampSchema,
} from './schemas.js';
import { fromB64u, toB64u } from './encoding.js';
import { ProtocolError } from './errors.js';

const TitlesSchema = Type.Object(
  { fr: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
/**
 * A party: its agency, the kind it registered under, and the fingerprint of
 * its root key (`rootKeyFingerprint`). Every party signs the document, so each
 * agency vouches for its partners' root keys: a client encrypts only to inboxes
 * certified by a root key that the protocol it sends under names.
 */
export const PartySchema = Type.Object(
  { agency: AgencyIdSchema, kind: AgencyKindSchema, rootKeyFingerprint: Sha256Schema },
  { additionalProperties: false, description: 'rootKeyFingerprint: base64url SHA-256 of the party’s 32-byte Ed25519 root public key' },
);
export type ProtocolParty = Static<typeof PartySchema>;

const Categories = Type.Array(Type.String({ pattern: DATA_CATEGORY_PATTERN }), { maxItems: 32, uniqueItems: true });

/** One end of a flow: every party agency of a kind, or one inbox. */
export const EndpointSchema = Type.Union([
  Type.Object({ kind: AgencyKindSchema }, { additionalProperties: false }),
  Type.Object({ inbox: InboxIdSchema }, { additionalProperties: false }),
]);
export type Endpoint = Static<typeof EndpointSchema>;

export const EscalationStepSchema = Type.Object(
  {
    /** Seconds after the acknowledgement deadline at which this step notifies its inboxes. */
    afterSeconds: Type.Integer({ minimum: 0, maximum: 7 * 86400 }),
    inboxes: Type.Array(InboxIdSchema, { minItems: 1, maxItems: 8, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type EscalationStep = Static<typeof EscalationStepSchema>;

export const AcknowledgementSchema = Type.Object(
  {
    /** The message types of this flow that a person must acknowledge. */
    messageTypes: Type.Array(MessageTypeSchema, { minItems: 1, uniqueItems: true }),
    deadlineSeconds: Type.Integer({ minimum: 10, maximum: 7 * 86400 }),
    /** Re-notify the recipient inbox at every step until someone acknowledges. */
    renotifyRecipients: Type.Boolean(),
    escalation: Type.Array(EscalationStepSchema, { maxItems: 8 }),
  },
  { additionalProperties: false },
);
export type Acknowledgement = Static<typeof AcknowledgementSchema>;

export const FlowLegalBasesSchema = Type.Object(
  {
    consent: Type.Optional(
      Type.Object(
        { purposes: Type.Array(Type.String({ pattern: CODE_PATTERN }), { minItems: 1, maxItems: 16, uniqueItems: true }) },
        { additionalProperties: false },
      ),
    ),
    apprehended_danger: Type.Optional(
      Type.Object(
        {
          /** The minimum data categories: only these may travel without consent. */
          dataCategories: Type.Array(Type.String({ pattern: DATA_CATEGORY_PATTERN }), { minItems: 1, maxItems: 32, uniqueItems: true }),
          /** Recipients able to help; the flow's `to` when absent. */
          recipients: Type.Optional(Type.Array(EndpointSchema, { minItems: 1, maxItems: 16 })),
        },
        { additionalProperties: false },
      ),
    ),
    legal_obligation: Type.Optional(
      Type.Object(
        { references: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 16, uniqueItems: true }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const FlowSchema = Type.Object(
  {
    id: ProtocolIdSchema,
    titles: TitlesSchema,
    from: EndpointSchema,
    to: EndpointSchema,
    messageTypes: Type.Array(MessageTypeSchema, { minItems: 1, uniqueItems: true }),
    dataCategories: Categories,
    legalBases: FlowLegalBasesSchema,
    acknowledgement: Type.Optional(AcknowledgementSchema),
    /**
     * Messages of these types, or under these legal bases, must carry a risk
     * assessment of this instrument at this level or above (protocol/instrument.ts).
     */
    requiredAssessment: Type.Optional(
      Type.Object(
        {
          instrument: Type.String({ pattern: INSTRUMENT_ID_PATTERN }),
          level: Type.String({ pattern: INSTRUMENT_ID_PATTERN }),
          messageTypes: Type.Optional(Type.Array(MessageTypeSchema, { minItems: 1, uniqueItems: true })),
          legalBases: Type.Optional(Type.Array(Type.Union(LEGAL_BASES.map((b) => Type.Literal(b))), { minItems: 1, uniqueItems: true })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Flow = Static<typeof FlowSchema>;

export const ProtocolDocumentSchema = Type.Object(
  {
    type: Type.Literal('protocol'),
    v: Type.Literal(1),
    id: ProtocolIdSchema,
    version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    titles: TitlesSchema,
    parties: Type.Array(PartySchema, { minItems: 2, maxItems: 16 }),
    effectiveFrom: TimestampSchema,
    retention: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 36500 }) }, { additionalProperties: false }),
    flows: Type.Array(FlowSchema, { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type ProtocolDocument = Static<typeof ProtocolDocumentSchema>;

/** A party's root-key signature of a protocol version's canonical form. */
export const PartySignatureSchema = Type.Object({ agency: AgencyIdSchema, signature: SignatureSchema }, { additionalProperties: false });
export type PartySignature = Static<typeof PartySignatureSchema>;

/** What parties exchange and submit: the document and the signatures gathered so far. */
export const SignedProtocolSchema = Type.Object(
  { document: ProtocolDocumentSchema, signatures: Type.Array(PartySignatureSchema, { maxItems: 16 }) },
  { additionalProperties: false },
);
export type SignedProtocol = Static<typeof SignedProtocolSchema>;

/** A party withdraws from a protocol: no version of it accepts new messages after `retiredAt`. */
export const ProtocolRetirementSchema = Type.Object(
  {
    type: Type.Literal('protocol-retirement'),
    v: Type.Literal(1),
    protocol: ProtocolIdSchema,
    agency: AgencyIdSchema,
    retiredAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type ProtocolRetirement = Static<typeof ProtocolRetirementSchema>;

export const PROTOCOL_STATUSES = ['pending_signatures', 'scheduled', 'active', 'superseded', 'retired'] as const;
export type ProtocolStatus = (typeof PROTOCOL_STATUSES)[number];

/** What the hub says of one version: its status, who signed, who has not. */
export const ProtocolViewSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  status: Type.Union(PROTOCOL_STATUSES.map((s) => Type.Literal(s))),
  titles: TitlesSchema,
  parties: Type.Array(Type.Object({ agency: Type.String(), kind: Type.String(), rootKeyFingerprint: Type.String() })),
  effectiveFrom: Type.String(),
  documentHash: Type.String(),
  signedBy: Type.Array(Type.String()),
  /**
   * Who must sign before the version takes effect: its parties and the
   * parties of every version in force or scheduled when it is submitted
   * (a change of an agreement is signed by those it binds now).
   */
  requiredSigners: Type.Array(Type.String()),
  missing: Type.Array(Type.String()),
  signedAt: Type.Union([Type.String(), Type.Null()]),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
});
export type ProtocolView = Static<typeof ProtocolViewSchema>;

/** A coherence problem of a protocol document, with the JSON path of the field. */
export interface ProtocolProblem {
  path: string;
  problem: string;
}

function endpointProblem(doc: ProtocolDocument, e: Endpoint): string | null {
  if ('kind' in e) return doc.parties.some((p) => p.kind === e.kind) ? null : `no party of kind ${e.kind}`;
  return inboxOfParty(doc, e.inbox) ? null : `inbox ${e.inbox} belongs to no party`;
}

/** Whether every inbox `inner` designates is also designated by `outer`. */
function withinEndpoint(doc: ProtocolDocument, inner: Endpoint, outer: Endpoint): boolean {
  if ('inbox' in outer) return 'inbox' in inner && inner.inbox === outer.inbox;
  if ('kind' in inner) return inner.kind === outer.kind;
  return doc.parties.some((p) => p.kind === outer.kind && inner.inbox.startsWith(`${p.agency}/`));
}

const inboxOfParty = (doc: ProtocolDocument, inbox: string) => doc.parties.some((p) => inbox.startsWith(`${p.agency}/`));

/**
 * The coherence checks a schema cannot express: unique parties and flow ids,
 * endpoints and escalation inboxes that belong to parties, minimum categories
 * within the flow's categories, acknowledged types carried by the flow, and an
 * acknowledgement deadline on every flow that carries a danger alert or a
 * rapid-intervention-cell activation. Returns [] for a coherent document.
 *
 * @example
 * checkProtocolDocument(doc).map((p) => `${p.path}: ${p.problem}`)
 */
export function checkProtocolDocument(doc: ProtocolDocument): ProtocolProblem[] {
  const problems: ProtocolProblem[] = [];
  const add = (path: string, problem: string) => problems.push({ path, problem });
  const agencies = new Set<string>();
  doc.parties.forEach((p, i) => {
    if (agencies.has(p.agency)) add(`/parties/${i}/agency`, `party ${p.agency} listed twice`);
    agencies.add(p.agency);
  });
  const flowIds = new Set<string>();
  doc.flows.forEach((flow, i) => {
    const at = `/flows/${i}`;
    if (flowIds.has(flow.id)) add(`${at}/id`, `flow id ${flow.id} used twice`);
    flowIds.add(flow.id);
    for (const end of ['from', 'to'] as const) {
      const problem = endpointProblem(doc, flow[end]);
      if (problem) add(`${at}/${end}`, problem);
    }
    const danger = flow.legalBases.apprehended_danger;
    danger?.dataCategories.forEach((c, j) => {
      if (!flow.dataCategories.includes(c)) add(`${at}/legalBases/apprehended_danger/dataCategories/${j}`, `${c} is not a category of the flow`);
    });
    danger?.recipients?.forEach((e, j) => {
      const problem = endpointProblem(doc, e);
      if (problem) add(`${at}/legalBases/apprehended_danger/recipients/${j}`, problem);
      // Recipients are those of the flow first: a helper outside `to` could never be told.
      else if (!withinEndpoint(doc, e, flow.to)) add(`${at}/legalBases/apprehended_danger/recipients/${j}`, 'not within the flow’s recipients');
    });
    const bases = Object.keys(flow.legalBases);
    if (danger && bases.length === 1) {
      flow.dataCategories.forEach((c, j) => {
        if (!danger.dataCategories.includes(c)) add(`${at}/dataCategories/${j}`, `${c} can never be sent: the flow's only basis is apprehended danger`);
      });
    }
    const ack = flow.acknowledgement;
    ack?.messageTypes.forEach((t, j) => {
      if (!flow.messageTypes.includes(t)) add(`${at}/acknowledgement/messageTypes/${j}`, `${t} is not a message type of the flow`);
    });
    let previous = -1;
    ack?.escalation.forEach((step, j) => {
      if (step.afterSeconds <= previous) add(`${at}/acknowledgement/escalation/${j}/afterSeconds`, 'steps must come later and later');
      previous = step.afterSeconds;
      step.inboxes.forEach((inbox, k) => {
        if (!inboxOfParty(doc, inbox)) add(`${at}/acknowledgement/escalation/${j}/inboxes/${k}`, `inbox ${inbox} belongs to no party`);
      });
    });
    for (const t of ['danger_alert', 'cir_activation'] as const) {
      if (flow.messageTypes.includes(t) && !ack?.messageTypes.includes(t)) add(`${at}/acknowledgement`, `${t} needs an acknowledgement deadline`);
    }
  });
  return problems;
}

/**
 * Whether an endpoint designates this inbox of this agency.
 *
 * @example
 * endpointMatches({ kind: 'police' }, { inbox: 'police-laval/dispatch', agency: 'police-laval', kind: 'police' }, parties) // true
 */
export function endpointMatches(
  endpoint: Endpoint,
  at: { inbox: string; agency: string; kind: string },
  parties: ProtocolDocument['parties'],
): boolean {
  if ('inbox' in endpoint) return endpoint.inbox === at.inbox;
  return endpoint.kind === at.kind && parties.some((p) => p.agency === at.agency && p.kind === at.kind);
}

/**
 * The status of one version at `now`, from facts the hub stores: whether
 * every party signed, whether the protocol was retired, and whether a later
 * version is itself active.
 */
export function protocolStatus(
  doc: ProtocolDocument,
  facts: { signedBy: readonly string[]; retiredAt: Date | null; laterActive: boolean },
  now: Date,
): ProtocolStatus {
  if (facts.retiredAt && facts.retiredAt.getTime() <= now.getTime()) return 'retired';
  if (!doc.parties.every((p) => facts.signedBy.includes(p.agency))) return 'pending_signatures';
  if (Date.parse(doc.effectiveFrom) > now.getTime()) return 'scheduled';
  return facts.laterActive ? 'superseded' : 'active';
}

/**
 * The fingerprint a protocol names a party's root key by: base64url of the
 * SHA-256 of the 32-byte Ed25519 public key.
 *
 * @example
 * rootKeyFingerprint(crypto.sha256, agency.rootKey) // '3q2-7…' (43 characters)
 */
export function rootKeyFingerprint(sha256: (data: Uint8Array) => Uint8Array, rootKey: string): string {
  return toB64u(sha256(fromB64u(rootKey)));
}

/** The fingerprint of a party's root key as people compare it aloud: 24 hexadecimal digits in groups of four. */
export function readableFingerprint(fingerprint: string): string {
  let hex = '';
  try {
    for (const b of fromB64u(fingerprint).slice(0, 12)) hex += b.toString(16).padStart(2, '0');
  } catch {
    return '—';
  }
  return hex.match(/.{4}/g)?.join(' ') ?? '—';
}

const PLACEHOLDER = /\{\{([a-z][a-z0-9_]*)\}\}/g;

function substitute(value: unknown, bindings: Readonly<Record<string, string>>, missing: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_, name: string) => {
      const bound = bindings[name];
      if (bound === undefined) missing.add(name);
      return bound ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, bindings, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, bindings, missing)]));
  }
  return value;
}

/**
 * The roles a template's parties name with `{{role}}` placeholders, with the
 * kind each must have.
 *
 * @example
 * templateRoles(shelterPolice) // [{ role: 'shelter', kind: 'shelter' }, { role: 'police', kind: 'police' }]
 */
export function templateRoles(template: { parties?: unknown }): { role: string; kind: string }[] {
  const parties = Array.isArray(template.parties) ? (template.parties as { agency?: unknown; kind?: unknown }[]) : [];
  return parties.flatMap((p) => {
    const m = typeof p.agency === 'string' ? /^\{\{([a-z][a-z0-9_]*)\}\}$/.exec(p.agency) : null;
    return m && typeof p.kind === 'string' ? [{ role: m[1]!, kind: p.kind }] : [];
  });
}

/** A template drafted without a binding for some of its roles; `missing` names them. */
export class TemplateBindingError extends ProtocolError {
  constructor(readonly missing: string[]) {
    super('TEMPLATE_BINDING_MISSING', `unbound template roles: ${missing.join(', ')}`);
    this.name = 'TemplateBindingError';
  }
}

/**
 * Drafts a protocol version from a template (`config/protocols/*.json`): binds
 * each `{{role}}` placeholder to a party agency id and sets the id, version and
 * effective date. The result still has to pass the schema and
 * `checkProtocolDocument` before anyone signs it.
 *
 * @example
 * draftProtocol(template, { shelter: 'shelter-laval', police: 'police-laval' }, { id: 'laval-shelter-police', effectiveFrom: '2026-12-01T05:00:00.000Z' })
 */
export function draftProtocol(
  template: Record<string, unknown>,
  bindings: Readonly<Record<string, string>>,
  options: { id?: string; version?: number; effectiveFrom: string; rootKeyFingerprints?: Readonly<Record<string, string>> },
): unknown {
  const missing = new Set<string>();
  const drafted = substitute(template, bindings, missing) as Record<string, unknown>;
  if (missing.size > 0) throw new TemplateBindingError([...missing].sort());
  const { template: _name, description: _description, ...doc } = drafted;
  // Each party's root-key fingerprint, as the drafter's directory knows it: every party then checks its own before signing.
  const fingerprints = options.rootKeyFingerprints ?? {};
  const parties = Array.isArray(doc.parties)
    ? (doc.parties as Record<string, unknown>[]).map((p) => {
        const fingerprint = typeof p.agency === 'string' ? fingerprints[p.agency] : undefined;
        return fingerprint ? { ...p, rootKeyFingerprint: fingerprint } : p;
      })
    : doc.parties;
  return { ...doc, parties, id: options.id ?? doc.id, version: options.version ?? doc.version ?? 1, effectiveFrom: options.effectiveFrom };
}
