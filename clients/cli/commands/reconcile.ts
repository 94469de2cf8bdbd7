/**
 * `vigie audit reconcile`: for an auditor who can read the hub's database
 * (a read-only role is enough), the state tables against the disclosure log
 * (clients/sdk/reconcile.ts). The checkpoint it trusts is the newest one the
 * database holds, checked against the log key pinned by `audit verify` (or
 * --log-key). Exit 4 when anything disagrees: keep the output as evidence.
 */
import pg from 'pg';
import { parseCheckpoint } from '../../../protocol/log/checkpoint.js';
import { fromB64 } from '../../../protocol/encoding.js';
import { verifyCosignature } from '../../../protocol/log/cosignature.js';
import { addSignatures, parseNote, parseVkey, verifyNoteSignature } from '../../../protocol/log/note.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { reconcile, type Finding, type LogRow, type ReconcileCode } from '../../sdk/reconcile.js';
import { stringOption, type Command } from '../command.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { clean } from '../format.js';
import type { MessageKey } from '../i18n.js';
import { logKeyOption, LogTrustStore } from '../log-trust.js';

const FINDING_TEXT: Record<ReconcileCode, MessageKey> = {
  LOG_EDITED: 'reconcile.LOG_EDITED',
  LOG_REWRITTEN: 'reconcile.LOG_REWRITTEN',
  CHECKPOINT_UNWITNESSED: 'reconcile.CHECKPOINT_UNWITNESSED',
  RECORD_MISMATCH: 'reconcile.RECORD_MISMATCH',
  RECORD_MISSING: 'reconcile.RECORD_MISSING',
  CONSENT_UNREVOKED: 'reconcile.CONSENT_UNREVOKED',
  CONSENT_UNRECORDED: 'reconcile.CONSENT_UNRECORDED',
  ACK_UNRECORDED: 'reconcile.ACK_UNRECORDED',
  DELIVERY_UNRECORDED: 'reconcile.DELIVERY_UNRECORDED',
  MESSAGE_UNRECORDED: 'reconcile.MESSAGE_UNRECORDED',
  MESSAGE_ALTERED: 'reconcile.MESSAGE_ALTERED',
  MEMBER_UNREVOKED: 'reconcile.MEMBER_UNREVOKED',
  PROTOCOL_UNRETIRED: 'reconcile.PROTOCOL_UNRETIRED',
};

/** Everything reconcile compares, read in one repeatable-read, read-only transaction: one consistent picture. */
async function readState(url: string) {
  const db = new pg.Client({ connectionString: url });
  try {
    await db.connect();
  } catch {
    throw new CliError('error.databaseUnreachable', { url: new URL(url).host });
  }
  try {
    await db.query('begin transaction isolation level repeatable read read only');
    const q = async <T>(text: string) => (await db.query(text)).rows as T[];
    const leaves = await q<{ index: string; kind: string; data: string; record: string | null; salt: string | null }>(
      'select l.index, l.kind, l.data, r.record, r.salt from log_leaves l left join log_records r on r.index = l.index order by l.index',
    );
    const [checkpoint] = await q<{ size: string; note: string }>('select size, note from log_checkpoints order by size desc limit 1');
    const cosignatures = checkpoint ? (await db.query<{ line: string }>('select line from log_cosignatures where size = $1', [checkpoint.size])).rows.map((r) => r.line) : [];
    const state = {
      leaves: leaves.map((l): LogRow => ({ index: Number(l.index), kind: l.kind, data: l.data, record: l.record, salt: l.salt })),
      note: checkpoint ? (cosignatures.length > 0 ? addSignatures(checkpoint.note, cosignatures) : checkpoint.note) : null,
      consents: (await q<{ id: string; revoked_at: Date | null }>('select id, revoked_at from consents')).map((c) => ({ id: c.id, revokedAt: c.revoked_at })),
      deliveries: (
        await q<{ message_id: string; inbox_id: string; delivered_at: Date | null; acknowledged_at: Date | null }>(
          'select message_id, inbox_id, delivered_at, acknowledged_at from deliveries where delivered_at is not null or acknowledged_at is not null',
        )
      ).map((d) => ({ messageId: d.message_id, inboxId: d.inbox_id, deliveredAt: d.delivered_at, acknowledgedAt: d.acknowledged_at })),
      receipts: (await q<{ message_id: string; inbox_id: string; kind: string }>('select message_id, inbox_id, kind from receipts')).map((r) => ({ messageId: r.message_id, inboxId: r.inbox_id, kind: r.kind })),
      messages: (await q<{ id: string; header_hash: string }>('select id, header_hash from messages')).map((m) => ({ id: m.id, headerHash: m.header_hash })),
      members: (await q<{ id: string; revoked_at: Date | null }>('select id, revoked_at from members')).map((m) => ({ id: m.id, revokedAt: m.revoked_at })),
      retiredProtocols: (await q<{ protocol_id: string }>('select protocol_id from protocol_retirements')).map((r) => r.protocol_id),
    };
    await db.query('commit');
    return state;
  } finally {
    await db.end().catch(() => {});
  }
}

const reconcileCommand: Command = {
  words: ['audit', 'reconcile'],
  summary: 'help.auditReconcile.summary',
  details: 'help.auditReconcile.details',
  options: {
    database: { type: 'string', value: 'arg.databaseUrl', help: 'opt.database' },
    'log-key': { type: 'string', value: 'arg.vkey', help: 'opt.logKey' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const crypto = await loadSodium();
    // From the environment rather than the command line when it carries a password (ps shows arguments).
    const url = stringOption(values, 'database') ?? ctx.env.VIGIE_AUDIT_DATABASE_URL;
    if (!url) throw new UsageError('usage.missingOption', { option: '--database' });
    if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('usage.badDatabaseUrl');
    const given = stringOption(values, 'log-key');
    const trust = new LogTrustStore(ctx);
    const logKey = given?.trim() ?? trust.pinned()?.logKey;
    if (!logKey) throw new CliError('error.reconcileNeedsLogKey');
    const vkey = logKeyOption(crypto, logKey);
    // What this auditor verified before, and the witnesses it requires: a log rebuilt and re-signed agrees with itself only.
    const savedCheckpoint = trust.saved(vkey.name);
    const witnesses = trust.witnessTrust() ?? { witnesses: [], quorum: 0 };
    const state = await readState(url);
    const findings: Finding[] = [];
    let checkpoint: { size: number; rootHash: Uint8Array } | null = null;
    if (state.note) {
      const note = parseNote(state.note);
      const cp = parseCheckpoint(note.text);
      if (verifyNoteSignature(crypto, note, parseVkey(crypto, logKey)) && cp.origin === vkey.name) checkpoint = cp;
      else findings.push({ code: 'LOG_EDITED', subject: String(cp.size), detail: 'the newest stored checkpoint is not signed by the trusted log key' });
      const cosigned = witnesses.witnesses
        .map((w) => parseVkey(crypto, w))
        .filter((w) => note.signatures.some((sig) => sig.name === w.name && verifyCosignature(crypto, note.text, sig, w).ok)).length;
      if (cosigned < witnesses.quorum) findings.push({ code: 'CHECKPOINT_UNWITNESSED', subject: String(cp.size), detail: `${cosigned} of ${witnesses.quorum} required cosignatures` });
    }
    const saved = savedCheckpoint ? { size: savedCheckpoint.size, rootHash: fromB64(savedCheckpoint.rootHash) } : null;
    findings.push(...reconcile(crypto, { ...state, checkpoint, saved }));
    if (ctx.json) {
      ctx.emit({ ok: findings.length === 0, leaves: state.leaves.length, checkpoint: checkpoint?.size ?? null, findings });
    } else {
      ctx.say('reconcile.header', { leaves: state.leaves.length, size: checkpoint?.size ?? 0 });
      for (const f of findings) ctx.print(ctx.t('reconcile.finding', { code: f.code, subject: clean(f.subject), explanation: ctx.t(FINDING_TEXT[f.code]) }));
      ctx.say(findings.length === 0 ? 'reconcile.ok' : 'reconcile.failed', { count: findings.length });
    }
    return findings.length === 0 ? EXIT.ok : EXIT.problem;
  },
};

export const reconcileCommands = [reconcileCommand];
