import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { and, asc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { AgencyIdSchema, MessageTypeSchema, LEGAL_BASES } from '../../protocol/schemas.js';
import { agencies } from '../identity/tables.js';
import { langOf, VigieError } from '../http/errors.js';
import { appendLeaf } from './append.js';
import { registerReadLeaf } from './leaves.js';
import type { RegisterRow } from '../../protocol/register.js';
import { logLeaves } from './tables.js';

/** Agencies whose auditors may read every agency's disclosures (an oversight body). */
const OVERSIGHT_KINDS = new Set(['oversight']);
const MAX_ROWS = 5000;

const COLUMNS = [
  ['index', 'index', 'index'],
  ['at', 'date', 'date'],
  ['event', 'événement', 'event'],
  ['message', 'message', 'message'],
  ['messageType', 'type de message', 'message type'],
  ['senderAgency', 'organisme émetteur', 'sender agency'],
  ['senderInbox', 'boîte émettrice', 'sender inbox'],
  ['recipients', 'destinataires', 'recipients'],
  ['legalBasis', 'fondement juridique', 'legal basis'],
  ['legalReference', 'référence', 'reference'],
  ['withoutConsent', 'sans consentement', 'without consent'],
  ['dangerReason', 'motif (danger appréhendé)', 'reason (apprehended danger)'],
  ['followUp', 'suivi écrit requis', 'written follow-up required'],
  ['purpose', 'finalité', 'purpose'],
  ['consent', 'consentement', 'consent'],
  ['protocol', 'protocole', 'protocol'],
  ['dataCategories', 'catégories de renseignements', 'data categories'],
  ['reason', 'motif du refus', 'refusal reason'],
  ['contentHash', 'empreinte du contenu', 'content hash'],
] as const;
// The columns are the wire row's fields, in the order the CSV shows them.
type Row = RegisterRow & Record<(typeof COLUMNS)[number][0], string | number | boolean>;

interface LeafRecord {
  type: string;
  at: string;
  message: string | null;
  messageType: string | null;
  sender: { agency: string; inbox: string | null };
  recipients: ({ inbox: string; agency: string | null } | string)[];
  legalBasis?: { code: string; reference?: string; reason?: string; purpose?: string; consent?: string } | null;
  protocol?: { id: string; version: number } | null;
  dataCategories?: string[];
  reason?: string;
  contentHash?: string;
  kind?: string;
}

function toRow(index: number, r: LeafRecord): Row {
  return {
    index,
    at: r.at,
    // An escalation step: unacknowledged, escalated or exhausted (the chain ran out without an acknowledgement).
    event: r.type === 'message.accepted' ? 'accepted' : r.type === 'message.refused' ? 'refused' : (r.kind ?? 'escalated'),
    message: r.message ?? '',
    messageType: r.messageType ?? '',
    senderAgency: r.sender.agency,
    senderInbox: r.sender.inbox ?? '',
    recipients: r.recipients.map((x) => (typeof x === 'string' ? x : x.inbox)).join(' '),
    legalBasis: r.legalBasis?.code ?? '',
    legalReference: r.legalBasis?.reference ?? '',
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

/**
 * The register of communications for auditors: who disclosed what kind of
 * information to whom, when, on which basis — read from the log itself, and
 * every read is itself a leaf.
 */
export const registerRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/v1/audit/register',
    {
      preValidation: app.requireMember('auditor', 'admin'),
      schema: {
        tags: ['audit'],
        summary: 'Register of communications (auditors and agency administrators), JSON or CSV',
        querystring: Type.Object(
          {
            agency: Type.Optional(AgencyIdSchema),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            legalBasis: Type.Optional(Type.Union(LEGAL_BASES.map((b) => Type.Literal(b)))),
            messageType: Type.Optional(MessageTypeSchema),
            withoutConsent: Type.Optional(Type.Boolean()),
            after: Type.Optional(Type.Integer({ minimum: -1 })),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const q = request.query as {
        agency?: string;
        from?: string;
        to?: string;
        legalBasis?: string;
        messageType?: string;
        withoutConsent?: boolean;
        after?: number;
        format?: 'json' | 'csv';
      };
      const auditor = request.member!;
      const [own] = await app.db.select({ kind: agencies.kind }).from(agencies).where(eq(agencies.id, auditor.agencyId));
      const oversight = own ? OVERSIGHT_KINDS.has(own.kind) : false;
      if (!oversight && q.agency && q.agency !== auditor.agencyId) throw new VigieError('AGENCY_FORBIDDEN');
      const agency = oversight ? q.agency : auditor.agencyId;

      const data = sql`(${logLeaves.data})::jsonb`;
      const where: SQL[] = [inArray(logLeaves.kind, ['message.accepted', 'message.refused', 'message.escalated']), gt(logLeaves.index, q.after ?? -1)];
      if (agency) {
        where.push(sql`(${data}->'sender'->>'agency' = ${agency} or ${data}->'recipients' @> ${JSON.stringify([{ agency }])}::jsonb)`);
      }
      if (q.from) where.push(gte(logLeaves.integratedAt, new Date(q.from)));
      if (q.to) where.push(lte(logLeaves.integratedAt, new Date(q.to)));
      if (q.legalBasis) where.push(sql`${data}->'legalBasis'->>'code' = ${q.legalBasis}`);
      if (q.messageType) where.push(sql`${data}->>'messageType' = ${q.messageType}`);
      if (q.withoutConsent !== undefined) {
        // The column's rule: a basis other than consent; a refusal that named no basis is not one.
        const without = sql`coalesce(${data}->'legalBasis'->>'code', 'consent') <> 'consent'`;
        where.push(q.withoutConsent ? without : sql`not ${without}`);
      }
      const leaves = await app.db.select({ index: logLeaves.index, data: logLeaves.data }).from(logLeaves).where(and(...where)).orderBy(asc(logLeaves.index)).limit(MAX_ROWS);
      const rows = leaves.map((l) => toRow(l.index, JSON.parse(l.data) as LeafRecord));

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
              withoutConsent: q.withoutConsent === undefined ? null : String(q.withoutConsent),
            },
            rows: rows.length,
            format,
          },
          new Date(),
        ),
      );
      app.disclosureLog.kick();
      const next = rows.length === MAX_ROWS ? rows[rows.length - 1]!.index : null;
      if (format === 'csv') {
        const lang = langOf(request.headers['accept-language']);
        const header = COLUMNS.map(([, fr, en]) => csvCell(lang === 'en' ? en : fr, lang)).join(',');
        const body = rows.map((r) => COLUMNS.map(([k]) => csvCell(r[k], lang)).join(',')).join('\r\n');
        if (next !== null) void reply.header('x-vigie-next-after', String(next));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="registre-communications.csv"')
          .send(`${header}\r\n${body}${body ? '\r\n' : ''}`);
      }
      return { rows, next };
    },
  );
};
