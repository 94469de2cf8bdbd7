/**
 * Reconciliation: the hub's state tables against its disclosure log, for an
 * auditor who can read the database. The log is the record; a state table
 * that says otherwise was changed behind it — a consent revoked on the
 * record but in force in the table, an acknowledgement with no signed
 * receipt or leaf, a message whose header is not the one logged, a record
 * that no longer matches its leaf, a leaf edited after it was signed.
 *
 * Pure: the caller reads the tables and the log (clients/cli reads them from
 * PostgreSQL) and gets one finding per discrepancy. Never throws.
 *
 * @example
 * const findings = reconcile(crypto, { leaves, checkpoint, consents, deliveries, receipts, messages, members });
 * findings.map((f) => `${f.code} ${f.subject}`) // ['CONSENT_UNREVOKED 7f3…']
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual, utf8 } from '../../protocol/encoding.js';
import { verifyLeafRecord } from '../../protocol/log/commitment.js';
import { leafHash } from '../../protocol/log/merkle.js';
import { TreeBuilder } from '../../protocol/log/tiles.js';
import { parseLeafRecord } from '../../protocol/api/leaf-record.js';

export type ReconcileCode =
  | 'LOG_EDITED'
  | 'LOG_REWRITTEN'
  | 'CHECKPOINT_UNWITNESSED'
  | 'RECORD_MISMATCH'
  | 'RECORD_MISSING'
  | 'CONSENT_UNREVOKED'
  | 'CONSENT_UNRECORDED'
  | 'ACK_UNRECORDED'
  | 'DELIVERY_UNRECORDED'
  | 'MESSAGE_UNRECORDED'
  | 'MESSAGE_ALTERED'
  | 'MEMBER_UNREVOKED'
  | 'PROTOCOL_UNRETIRED';

export interface Finding {
  code: ReconcileCode;
  /** The consent, message, member, protocol or leaf index concerned. */
  subject: string;
  detail: string;
}

export interface LogRow {
  index: number;
  kind: string;
  /** The leaf as the log carries it. */
  data: string;
  /** Its record and salt (null when missing). */
  record: string | null;
  salt: string | null;
}

export interface StateTables {
  /** Every leaf, in index order, with its record. */
  leaves: LogRow[];
  /** The newest signed checkpoint, its signature already checked by the caller. */
  checkpoint: { size: number; rootHash: Uint8Array } | null;
  /**
   * A checkpoint the auditor verified before (its saved one): the stored log
   * must extend it. Without one, a log rebuilt and signed again would agree
   * with itself.
   */
  saved?: { size: number; rootHash: Uint8Array } | null;
  consents: { id: string; revokedAt: Date | null }[];
  deliveries: { messageId: string; inboxId: string; deliveredAt: Date | null; acknowledgedAt: Date | null }[];
  receipts: { messageId: string; inboxId: string; kind: string }[];
  messages: { id: string; headerHash: string }[];
  members: { id: string; revokedAt: Date | null }[];
  retiredProtocols: string[];
}

export function reconcile(crypto: CryptoPort, state: StateTables): Finding[] {
  const findings: Finding[] = [];
  const add = (code: ReconcileCode, subject: string, detail: string) => findings.push({ code, subject, detail });

  // 1. The leaves, re-hashed, reach the signed root; each record matches its leaf.
  const tree = new TreeBuilder(crypto);
  let checkpointRoot: Uint8Array | null = state.checkpoint?.size === 0 ? tree.root() : null;
  const records = new Map<string, Record<string, unknown>[]>();
  let savedRoot: Uint8Array | null = state.saved?.size === 0 ? tree.root() : null;
  state.leaves.forEach((leaf, i) => {
    tree.append(leafHash(crypto, utf8(leaf.data)));
    if (state.checkpoint && i + 1 === state.checkpoint.size) checkpointRoot = tree.root();
    if (state.saved && i + 1 === state.saved.size) savedRoot = tree.root();
    if (leaf.record === null) return add('RECORD_MISSING', String(leaf.index), `${leaf.kind}: no record for this leaf`);
    if (!verifyLeafRecord((d) => crypto.sha256(d), leaf.data, leaf.record, leaf.salt)) return add('RECORD_MISMATCH', String(leaf.index), `${leaf.kind}: the record does not match its leaf`);
    const r = parseLeafRecord(leaf.record);
    if (!r) return add('RECORD_MISMATCH', String(leaf.index), `${leaf.kind}: not a record`);
    records.set(leaf.kind, [...(records.get(leaf.kind) ?? []), r]);
  });
  if (state.checkpoint && (!checkpointRoot || !bytesEqual(checkpointRoot, state.checkpoint.rootHash))) {
    add('LOG_EDITED', String(state.checkpoint.size), 'the stored leaves do not hash to the signed root: a leaf was edited, deleted or inserted');
  }
  if (state.saved && (!savedRoot || !bytesEqual(savedRoot, state.saved.rootHash))) {
    add('LOG_REWRITTEN', String(state.saved.size), 'the stored log does not extend the checkpoint the auditor verified before: it was shortened or rebuilt');
  }
  const of = (kind: string) => records.get(kind) ?? [];
  const str = (r: Record<string, unknown>, k: string) => (typeof r[k] === 'string' ? (r[k] as string) : '');

  // 2. Consents: revoked on the record means revoked in the table.
  const consents = new Map(state.consents.map((c) => [c.id, c]));
  for (const r of of('consent.recorded')) if (!consents.has(str(r, 'consent'))) add('CONSENT_UNRECORDED', str(r, 'consent'), 'recorded in the log, absent from the table');
  for (const r of of('consent.revoked')) {
    const row = consents.get(str(r, 'consent'));
    if (row && row.revokedAt === null) add('CONSENT_UNREVOKED', str(r, 'consent'), `revoked at ${str(r, 'revokedAt')} on the record, in force in the table`);
  }

  // 3. Every delivery or acknowledgement in the table has its signed receipt and its leaf.
  const receipts = new Set(state.receipts.map((r) => `${r.messageId}|${r.inboxId}|${r.kind}`));
  const logged = new Set([...of('message.delivered').map((r) => `${str(r, 'message')}|${str(r, 'inbox')}|delivered`), ...of('message.acknowledged').map((r) => `${str(r, 'message')}|${str(r, 'inbox')}|acknowledged`)]);
  // An acknowledgement also marks the message delivered: either receipt explains a delivery.
  const explained = (d: StateTables['deliveries'][number], kinds: string[]) => {
    const keys = kinds.map((k) => `${d.messageId}|${d.inboxId}|${k}`);
    return { receipt: keys.some((k) => receipts.has(k)), leaf: keys.some((k) => logged.has(k)) };
  };
  for (const d of state.deliveries) {
    for (const [kind, at, kinds] of [['acknowledged', d.acknowledgedAt, ['acknowledged']], ['delivered', d.deliveredAt, ['delivered', 'acknowledged']]] as const) {
      if (!at) continue;
      const { receipt, leaf } = explained(d, [...kinds]);
      if (receipt && leaf) continue;
      const missing = [receipt ? null : 'no signed receipt', leaf ? null : 'no leaf'].filter(Boolean).join(', ');
      add(kind === 'acknowledged' ? 'ACK_UNRECORDED' : 'DELIVERY_UNRECORDED', d.messageId, `${d.inboxId}: ${kind} in the table, ${missing}`);
    }
  }

  // 4. Every stored message was accepted on the record, with the header logged.
  const accepted = new Map(of('message.accepted').map((r) => [str(r, 'message'), str(r, 'headerHash')]));
  for (const m of state.messages) {
    const hash = accepted.get(m.id);
    if (hash === undefined) add('MESSAGE_UNRECORDED', m.id, 'stored, never accepted on the record');
    else if (hash !== m.headerHash) add('MESSAGE_ALTERED', m.id, 'the stored header is not the one whose acceptance was logged');
  }

  // 5. Revocations and retirements on the record are in force in the tables.
  const members = new Map(state.members.map((m) => [m.id, m]));
  for (const r of of('key.member_revoked')) if (members.get(str(r, 'member'))?.revokedAt === null) add('MEMBER_UNREVOKED', str(r, 'member'), 'revoked on the record, active in the table');
  for (const r of of('protocol.retired')) if (!state.retiredProtocols.includes(str(r, 'protocol'))) add('PROTOCOL_UNRETIRED', str(r, 'protocol'), 'retired on the record, not in the table');
  return findings;
}
