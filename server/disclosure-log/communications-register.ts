import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { langOf, VigieError } from '../http/errors.js';
import type { ProtocolDocument } from '../../protocol/protocol-document.js';
import { protocols } from '../protocols/tables.js';
import { appendLeaf } from './append.js';
import { referenceHash, registerReadLeaf } from './leaves.js';
import type { Db } from '../db/connect.js';
import { RegisterQuerySchema } from '../../protocol/api/register.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { type RegisterEvent, type RegisterRow } from '../../protocol/register.js';
import {
  DANGER_REASONS,
  DATA_CATEGORIES,
  LEGAL_BASIS_LABELS,
  MESSAGE_TYPE_LABELS,
  PURPOSES,
  REFUSAL_LABELS,
  REGISTER_EVENT_LABELS,
  labelOf,
  type Labels,
} from '../../protocol/vocabulary.js';
import { logLeaves, logRecords } from './tables.js';
import { isOversight } from './visibility.js';

const MAX_ROWS = 5000;

/**
 * The CSV's columns: the wire row's fields, in order, headed in the
 * person's language. A field of the shared vocabulary is written in words,
 * followed by its stable code in a column of its own (`… (code)`), so that
 * a person reads the register and a program can still sort it.
 */
const COLUMNS: readonly (readonly [keyof RegisterRow, string, string, Readonly<Record<string, Labels>>?])[] = [
  ['index', 'index', 'index'],
  ['at', 'date', 'date'],
  ['event', 'événement', 'event', REGISTER_EVENT_LABELS],
  ['message', 'message', 'message'],
  ['messageType', 'type de message', 'message type', MESSAGE_TYPE_LABELS],
  ['senderAgency', 'organisme émetteur', 'sender agency'],
  ['senderInbox', 'boîte émettrice', 'sender inbox'],
  ['recipients', 'destinataires', 'recipients'],
  ['declaredRecipients', 'destinataires déclarés (refus)', 'declared recipients (refusal)'],
  ['legalBasis', 'fondement juridique', 'legal basis', LEGAL_BASIS_LABELS],
  ['legalReference', 'référence', 'reference'],
  ['withoutConsent', 'sans consentement', 'without consent'],
  ['dangerReason', 'motif (danger appréhendé)', 'reason (apprehended danger)', DANGER_REASONS],
  ['followUp', 'suivi écrit requis', 'written follow-up required'],
  ['purpose', 'finalité', 'purpose', PURPOSES],
  ['consent', 'consentement', 'consent'],
  ['protocol', 'protocole', 'protocol'],
  ['dataCategories', 'catégories de renseignements', 'data categories', DATA_CATEGORIES],
  ['reason', 'motif du refus', 'refusal reason', REFUSAL_LABELS],
  ['contentHash', 'empreinte du contenu', 'content hash'],
];

interface LeafRecord {
  type: string;
  at: string;
  message: string | null;
  messageType: string | null;
  sender: { agency: string; inbox: string | null };
  recipients?: ({ inbox: string; agency: string | null } | string)[];
  declaredRecipients?: string[];
  legalBasis?: { code: string; reference?: string; referenceHash?: string; reason?: string; purpose?: string; consent?: string } | null;
  protocol?: { id: string; version: number } | null;
  dataCategories?: string[];
  reason?: string;
  contentHash?: string;
  kind?: string;
}

function toRow(index: number, r: LeafRecord, resolveReference: (r: LeafRecord) => string): RegisterRow {
  return {
    index,
    at: r.at,
    // An escalation step: unacknowledged, escalated or exhausted (the chain ran out without an acknowledgement).
    event: r.type === 'message.accepted' ? 'accepted' : r.type === 'message.refused' ? 'refused' : r.type === 'message.erased' ? 'erased' : (r.kind ?? 'escalated'),
    message: r.message ?? '',
    messageType: r.messageType ?? '',
    senderAgency: r.sender.agency,
    senderInbox: r.sender.inbox ?? '',
    recipients: (r.recipients ?? []).map((x) => (typeof x === 'string' ? x : x.inbox)).join(' '),
    declaredRecipients: (r.declaredRecipients ?? []).join(' '),
    legalBasis: r.legalBasis?.code ?? '',
    legalReference: resolveReference(r),
    // A disclosure without the victim's consent; apprehended danger also calls for written follow-up.
    withoutConsent: !!r.legalBasis && r.legalBasis.code !== 'consent',
    dangerReason: r.legalBasis?.reason ?? '',
    followUp: r.type === 'message.accepted' && r.legalBasis?.code === 'apprehended_danger',
    purpose: r.legalBasis?.purpose ?? '',
    consent: r.legalBasis?.consent ?? '',
    protocol: r.protocol ? `${r.protocol.id}@${r.protocol.version}` : '',
    dataCategories: (r.dataCategories ?? []).join(' '),
    reason: r.reason ?? '',
    contentHash: r.contentHash ?? '',
  };
}

const csvCell = (v: string | number | boolean, lang: 'fr' | 'en') => {
  const s = typeof v === 'boolean' ? (v ? (lang === 'en' ? 'yes' : 'oui') : lang === 'en' ? 'no' : 'non') : String(v);
  // Quote always; neutralise spreadsheet formulas.
  return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** The register as CSV: a header line, then a line a row, each ending in CRLF. */
function registerCsv(rows: readonly RegisterRow[], lang: 'fr' | 'en'): string {
  const header = COLUMNS.flatMap(([, fr, en, words]) => {
    const name = lang === 'en' ? en : fr;
    return words ? [name, `${name} (code)`] : [name];
  });
  const line = (r: RegisterRow) =>
    COLUMNS.flatMap(([key, , , words]) => {
      const value = r[key] ?? '';
      if (!words || typeof value !== 'string') return [value];
      // Lists (categories) are space-separated codes.
      return [value.split(' ').filter(Boolean).map((code) => labelOf(words, code, lang)).join('; '), value];
    });
  return [header, ...rows.map(line)].map((cells) => `${cells.map((c) => csvCell(c as string | number | boolean, lang)).join(',')}\r\n`).join('');
}

/** The events of the register: disclosures accepted or refused, escalation steps, and erasures at the end of retention. */
const REGISTER_KINDS = ['message.accepted', 'message.refused', 'message.escalated', 'message.erased'] as const;

/** The leaves of one event of the register (see toRow): an escalation step is a `message.escalated` leaf of that kind. */
function eventIs(event: RegisterEvent, data: SQL): SQL {
  if (event === 'accepted' || event === 'refused' || event === 'erased') return eq(logLeaves.kind, `message.${event}`);
  return sql`(${logLeaves.kind} = 'message.escalated' and coalesce(${data}->>'kind', 'escalated') = ${event})`;
}

/**
 * The text of a legal obligation's reference, which records keep as a hash:
 * the statute or order the protocol version lists under that hash (public
 * protocol text, never a party's free text); an apprehended-danger directive
 * is a code and is shown as is; an unknown hash is shown as `sha256:<hash>`.
 */
async function referenceResolver(db: Db, records: LeafRecord[]): Promise<(r: LeafRecord) => string> {
  const wanted = new Map<string, { id: string; version: number }>();
  for (const r of records) if (r.legalBasis?.referenceHash && r.protocol) wanted.set(`${r.protocol.id}@${r.protocol.version}`, r.protocol);
  const texts = new Map<string, string>();
  for (const p of wanted.values()) {
    const [row] = await db.select({ document: protocols.document }).from(protocols).where(and(eq(protocols.id, p.id), eq(protocols.version, p.version)));
    for (const flow of (row?.document as ProtocolDocument | undefined)?.flows ?? []) {
      for (const ref of flow.legalBases.legal_obligation?.references ?? []) texts.set(`${p.id}@${p.version}:${referenceHash(ref)}`, ref);
    }
  }
  return (r) => {
    const basis = r.legalBasis;
    if (!basis) return '';
    if (basis.reference) return basis.reference;
    if (!basis.referenceHash) return '';
    return (r.protocol && texts.get(`${r.protocol.id}@${r.protocol.version}:${basis.referenceHash}`)) ?? `sha256:${basis.referenceHash}`;
  };
}

/**
 * The communications register for auditors: who disclosed what kind of
 * information to whom, when, on which basis — read from the log itself, and
 * every read is itself a leaf.
 */
export const communicationsRegisterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    ROUTES.auditRegister,
    {
      preValidation: app.requireMember('auditor', 'admin'),
      schema: {
        tags: ['audit'],
        summary: 'Communications register (auditors and agency administrators), JSON or CSV',
        querystring: RegisterQuerySchema,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const auditor = request.member!;
      const oversight = await isOversight(app.db, auditor);
      if (!oversight && q.agency && q.agency !== auditor.agencyId) throw new VigieError('AGENCY_FORBIDDEN');
      const agency = oversight ? q.agency : auditor.agencyId;

      const data = sql`(${logRecords.record})::jsonb`;
      const where: SQL[] = [inArray(logLeaves.kind, [...REGISTER_KINDS]), gt(logLeaves.index, q.after ?? -1)];
      if (agency) {
        // A refusal is in its sender's register only: the recipients it names are the sender's claim,
        // and no agency may fill another's register with rows it chooses.
        where.push(
          sql`(${data}->'sender'->>'agency' = ${agency} or (${logLeaves.kind} <> 'message.refused' and ${data}->'recipients' @> ${JSON.stringify([{ agency }])}::jsonb))`,
        );
      }
      if (q.from) where.push(gte(logLeaves.integratedAt, new Date(q.from)));
      if (q.to) where.push(lte(logLeaves.integratedAt, new Date(q.to)));
      if (q.legalBasis) where.push(sql`${data}->'legalBasis'->>'code' = ${q.legalBasis}`);
      if (q.messageType) where.push(sql`${data}->>'messageType' = ${q.messageType}`);
      if (q.event) where.push(eventIs(q.event, data));
      if (q.withoutConsent !== undefined) {
        // The column's rule: a basis other than consent; a refusal that named no basis is not one.
        const without = sql`coalesce(${data}->'legalBasis'->>'code', 'consent') <> 'consent'`;
        where.push(q.withoutConsent ? without : sql`not ${without}`);
      }
      const leaves = await app.db
        .select({ index: logLeaves.index, leaf: logLeaves.data, record: logRecords.record, salt: logRecords.salt })
        .from(logLeaves)
        .innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
        .where(and(...where))
        .orderBy(asc(logLeaves.index))
        .limit(MAX_ROWS);
      const records = leaves.map((l) => JSON.parse(l.record) as LeafRecord);
      const resolve = await referenceResolver(app.db, records);
      const rows = leaves.map((l, i) => ({ ...toRow(l.index, records[i]!, resolve), leaf: l.leaf, record: l.record, salt: l.salt }));

      const format = q.format ?? (request.headers.accept?.includes('text/csv') ? 'csv' : 'json');
      await appendLeaf(
        app.db,
        registerReadLeaf(
          {
            auditor: auditor.id,
            agency: auditor.agencyId,
            filters: {
              agency: agency ?? null,
              from: q.from ?? null,
              to: q.to ?? null,
              legalBasis: q.legalBasis ?? null,
              messageType: q.messageType ?? null,
              event: q.event ?? null,
              withoutConsent: q.withoutConsent === undefined ? null : String(q.withoutConsent),
            },
            rows: rows.length,
            format,
          },
          new Date(),
        ),
      );
      const next = rows.length === MAX_ROWS ? rows[rows.length - 1]!.index : null;
      if (format === 'csv') {
        if (next !== null) void reply.header('x-vigie-next-after', String(next));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="registre-communications.csv"')
          .send(registerCsv(rows, langOf(request.headers['accept-language'])));
      }
      return { rows, next };
    },
  );
};
