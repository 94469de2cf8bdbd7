import { and, eq } from 'drizzle-orm';
import { decideDisclosure, type ConsentFacts, type Party } from '../../protocol/disclosure.js';
import { refusalDetail, type RefusalNames } from '../../protocol/refusal-detail.js';
import { consents } from '../consent/tables.js';
import type { Tx } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import type { AcceptContext, Authorization, DisclosurePolicy } from '../messages/hooks.js';
import type { InstrumentRegistry } from '../instruments/registry.js';
import { lockedProtocol } from './service.js';

/**
 * The sender agency's consents for the case, share-locked: a revocation
 * (an UPDATE of the row) commits either before this decision or after this
 * message, never in between.
 */
async function lockedConsents(tx: Tx, agency: string, caseRef: string): Promise<ConsentFacts[]> {
  return tx
    .select({
      id: consents.id,
      caseRef: consents.caseRef,
      recipients: consents.recipients,
      purposes: consents.purposes,
      dataCategories: consents.dataCategories,
      validFrom: consents.validFrom,
      validUntil: consents.validUntil,
      revokedAt: consents.revokedAt,
    })
    .from(consents)
    .where(and(eq(consents.agencyId, agency), eq(consents.caseRef, caseRef)))
    .for('share');
}

/** A risk instrument's title and levels in the person's words, as the hub applies them (config/instruments). */
function instrumentNames(instruments: InstrumentRegistry): RefusalNames {
  const latest = (id: string) => instruments.list().filter((i) => i.id === id).sort((a, b) => b.version - a.version)[0] ?? null;
  return {
    instrument: (id, lang) => latest(id)?.titles[lang] ?? null,
    level: (id, version, level, lang) => {
      const instrument = version === undefined ? latest(id) : instruments.get(id, version);
      return instrument?.levels.find((l) => l.id === level)?.labels[lang] ?? null;
    },
  };
}

/**
 * Invariant 3 on every message: the signed header names an active protocol
 * version and a legal basis that allow this sender, these recipients, this
 * type and these data categories now (protocol/disclosure.ts decides).
 */
export function protocolPolicy(instruments: InstrumentRegistry): DisclosurePolicy {
  return {
  async authorize(tx: Tx, ctx: AcceptContext): Promise<Authorization> {
    const { header, now } = ctx;
    const party = (inbox: string, agency: string): Party => ({ inbox, agency, kind: ctx.agencyKinds.get(agency) ?? '' });
    const found = header.protocol ? await lockedProtocol(tx, header.protocol.id, header.protocol.version, now) : null;
    const basis = header.legalBasis;
    const consentFacts = basis?.code === 'consent' && basis.case ? await lockedConsents(tx, header.sender.agency, basis.case) : [];
    const decision = decideDisclosure({
      header,
      protocol: found?.document ?? null,
      status: found?.status ?? null,
      sender: party(header.sender.inbox, header.sender.agency),
      recipients: header.recipients.map((inbox) => party(inbox, ctx.recipientAgencies.get(inbox)!)),
      consents: consentFacts,
      instrumentLevels: (id, version) => instruments.levels(id, version),
      now,
    });
    if (!decision.allowed) {
      // The record keeps the technical line; the person reads the same facts in the shared vocabulary's words.
      const words = (lang: 'fr' | 'en') => refusalDetail(decision.code, decision.facts, lang, instrumentNames(instruments));
      const fr = words('fr');
      const en = words('en');
      throw new VigieError(decision.code, { ...(decision.detail ? { detail: decision.detail } : {}), ...(fr && en ? { detailWords: { fr, en } } : {}) });
    }
    return { consent: decision.consent ?? null, flows: decision.flows, retentionDays: found!.document.retention.days };
  },
  };
}
