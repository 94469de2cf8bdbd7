import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { decideDisclosure, type ConsentFacts, type Party } from '../../protocol/disclosure.js';
import { refusalDetail, type RefusalNames } from '../../protocol/refusal-detail.js';
import { consents } from '../consent/tables.js';
import type { Db } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import { rowsToken, rowsUnchanged, rowVersionOf } from '../db/row-versions.js';
import { VigieError } from '../http/errors.js';
import type { AcceptContext, DisclosurePolicy } from '../messages/hooks.js';
import type { InstrumentRegistry } from '../instruments/registry.js';
import { protocolFacts, protocolUnchanged } from './service.js';

// The sender agency's consents for a case, with their row versions (xmin, which every update changes).
const consentRows = preparedOnce((db) =>
  db
    .select({
      id: consents.id,
      caseRef: consents.caseRef,
      recipients: consents.recipients,
      purposes: consents.purposes,
      dataCategories: consents.dataCategories,
      validFrom: consents.validFrom,
      validUntil: consents.validUntil,
      revokedAt: consents.revokedAt,
      rowVersion: rowVersionOf(consents),
    })
    .from(consents)
    .where(and(eq(consents.agencyId, sql.placeholder('agency')), eq(consents.caseRef, sql.placeholder('caseRef'))))
    .prepare('vigie_consent_rows'),
);

/**
 * The sender agency's consents for the case and their token (each id with its
 * row version, in id order); `consentsUnchanged` checks it in the acceptance
 * statement, so that a revocation (an UPDATE of the row) commits either
 * before this decision or after the message, never in between.
 */
async function consentFacts(db: Db, agency: string, caseRef: string): Promise<{ facts: ConsentFacts[]; token: string }> {
  const rows = await consentRows(db).execute({ agency, caseRef });
  return { facts: rows.map(({ rowVersion: _, ...facts }) => facts), token: rowsToken(rows.map((r) => ({ key: r.id, rowVersion: r.rowVersion }))) };
}

/** True when the consents of `agency` for `caseRef` are those whose token `consentFacts` gave, each share-locked until the statement ends. */
function consentsUnchanged(agency: SQLWrapper, caseRef: SQLWrapper, token: SQLWrapper): SQL {
  return rowsUnchanged(consents, consents.id, sql`${consents.agencyId} = ${agency} and ${consents.caseRef} = ${caseRef}`, token);
}

const g = (name: keyof GuardValues) => sql.placeholder(name);

/** The values of the guard's placeholders: the facts a decision used. */
interface GuardValues {
  guard_protocol: string;
  guard_protocol_rows: string;
  guard_consent_agency: string;
  guard_consent_case: string;
  guard_consent_rows: string;
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
  const names = instrumentNames(instruments);
  const decide = async (db: Db, ctx: AcceptContext, fresh: boolean) => {
    const { header, now } = ctx;
    const party = (inbox: string, agency: string): Party => ({ inbox, agency, kind: ctx.agencyKinds.get(agency) ?? '' });
    const found = header.protocol ? await protocolFacts(db, header.protocol.id, header.protocol.version, now, fresh) : null;
    const basis = header.legalBasis;
    const consent = basis?.code === 'consent' && basis.case ? await consentFacts(db, header.sender.agency, basis.case) : null;
    const decision = decideDisclosure({
      header,
      protocol: found?.document ?? null,
      status: found?.status ?? null,
      sender: party(header.sender.inbox, header.sender.agency),
      recipients: header.recipients.map((inbox) => party(inbox, ctx.recipientAgencies.get(inbox)!)),
      consents: consent?.facts ?? [],
      instrumentLevels: (id, version) => instruments.levels(id, version),
      now,
    });
    const guard: GuardValues = {
      guard_protocol: header.protocol?.id ?? '',
      guard_protocol_rows: found?.token ?? '',
      guard_consent_agency: consent ? header.sender.agency : '',
      guard_consent_case: consent && basis?.code === 'consent' ? basis.case! : '',
      guard_consent_rows: consent?.token ?? '',
    };
    return { decision, found, guard };
  };
  return {
    guard: sql`${protocolUnchanged(g('guard_protocol'), g('guard_protocol_rows'))}
           and ${consentsUnchanged(g('guard_consent_agency'), g('guard_consent_case'), g('guard_consent_rows'))}`,
    async authorize(db, ctx, fresh) {
      let { decision, found, guard } = await decide(db, ctx, fresh);
      // A refusal is decided on rows read now: those this instance read earlier may be older (a version signed since).
      if (!decision.allowed && !fresh) ({ decision, found, guard } = await decide(db, ctx, true));
      if (!decision.allowed) {
        // The record keeps the technical line; the person reads the same facts in the shared vocabulary's words.
        const words = (lang: 'fr' | 'en') => refusalDetail(decision.code, decision.facts, lang, names);
        const fr = words('fr');
        const en = words('en');
        throw new VigieError(decision.code, { ...(decision.detail ? { detail: decision.detail } : {}), ...(fr && en ? { detailWords: { fr, en } } : {}) });
      }
      return { consent: decision.consent ?? null, flows: decision.flows, retentionDays: found!.document.retention.days, guard: { ...guard } };
    },
  };
}
