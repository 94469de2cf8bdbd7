/**
 * The sequencer's statements (server/disclosure-log/sequencer.ts decides
 * when to run them): the tree's state in one read, a batch in one write,
 * and the one-read look at whether the log needs a pass.
 */
import { sql } from 'drizzle-orm';
import { fromHex, toHex } from '../../protocol/encoding.js';
import type { Db, Tx } from '../db/connect.js';
import { jsonColumn, namedStatement } from '../db/prepared.js';
import { logCheckpoints, logLeaves, logNodes, logQueue, logRecords } from './tables.js';

export interface SignedCheckpoint {
  size: number;
  rootHash: Uint8Array;
  note: string;
}

export interface Queued {
  id: number;
  kind: string;
  subject: string | null;
  data: string;
  record: string;
  salt: string | null;
}

export const dueStatement = namedStatement(
  'vigie_log_due',
  () => sql`select exists (select 1 from ${logQueue} where ${logQueue.createdAt} < now() - ${sql.placeholder('gap_ms')}::int * interval '1 millisecond')
    or (select coalesce(max(${logLeaves.index}) + 1, 0) from ${logLeaves}) <> coalesce((select max(${logCheckpoints.size}) from ${logCheckpoints}), 0) as due`,
);

/** Characters of leaves and records one write carries at most (a jsonb value holds 256 MB; UTF-8 takes up to three bytes a character). */
const MAX_WRITE_CHARS = 32 * 1024 * 1024;

/** The first leaves of `pending` within MAX_WRITE_CHARS (at least one): the rest wait for the next pass. */
export function withinWriteBudget(pending: Queued[]): Queued[] {
  let chars = 0;
  for (let i = 0; i < pending.length; i++) {
    chars += pending[i]!.data.length + pending[i]!.record.length;
    if (chars > MAX_WRITE_CHARS && i > 0) return pending.slice(0, i);
  }
  return pending;
}

/**
 * The tree's size, its newest checkpoint and the next leaves queued, in one
 * statement (one round trip) under the sequencer's lock.
 */
const stateStatement = namedStatement(
  'vigie_log_state',
  () => sql`select
    (select coalesce(max(${logLeaves.index}) + 1, 0) from ${logLeaves})::bigint as size,
    (select json_build_object('size', c.size, 'root', encode(c.root_hash, 'hex'), 'age_ms', extract(epoch from clock_timestamp() - c.signed_at) * 1000)
       from ${logCheckpoints} c order by c.size desc limit 1) as last,
    (select coalesce(json_agg(json_build_object('id', q.id, 'kind', q.kind, 'subject', q.subject, 'data', q.data, 'record', q.record, 'salt', q.salt) order by q.id), '[]'::json)
       from (select * from ${logQueue} order by ${logQueue.id} limit ${sql.placeholder('batch')}) q) as pending`,
);

export async function readState(tx: Tx, batch: number): Promise<{ size: number; last: { size: number; rootHash: Uint8Array; ageMs: number } | null; pending: Queued[] }> {
  const res = (await stateStatement(tx, { batch })) as { rows: { size: string | number; last: unknown; pending: unknown }[] };
  const row = res.rows[0]!;
  const last = jsonColumn<{ size: number; root: string; age_ms: number } | null>(row.last);
  return {
    size: Number(row.size),
    last: last ? { size: Number(last.size), rootHash: fromHex(last.root), ageMs: Number(last.age_ms) } : null,
    pending: jsonColumn<Queued[]>(row.pending),
  };
}

/**
 * A batch's leaves, records and new nodes, its removal from the queue and the
 * checkpoint signed for the new size, in one statement (one round trip): the
 * rows travel as two JSON values, each parsed once, so the text never changes
 * and PostgreSQL parses it once per connection.
 */
const writeStatement = namedStatement('vigie_log_write', () => {
  return sql`with
    src as materialized (
      select (e->>'id')::bigint as id, (e->>'index')::bigint as idx, e->>'kind' as kind, e->>'subject' as subject, e->>'data' as data, e->>'record' as record, e->>'salt' as salt
      from jsonb_array_elements(${sql.placeholder('leaves')}::jsonb) e),
    l as (insert into ${logLeaves} ("index", kind, subject, data) select idx, kind, subject, data from src),
    r as (insert into ${logRecords} ("index", record, salt) select idx, record, salt from src),
    n as (insert into ${logNodes} (level, "index", hash) select (e->>0)::int, (e->>1)::bigint, decode(e->>2, 'hex') from jsonb_array_elements(${sql.placeholder('nodes')}::jsonb) e),
    q as (delete from ${logQueue} where id in (select id from src)),
    c as (insert into ${logCheckpoints} (size, root_hash, note) values (${sql.placeholder('size')}::bigint, decode(${sql.placeholder('root')}, 'hex'), ${sql.placeholder('note')}) on conflict do nothing)
    select 1 as ok`;
});

export async function writeBatch(tx: Tx, size: number, pending: Queued[], created: { level: number; index: number; hash: Uint8Array }[], checkpoint: SignedCheckpoint) {
  await writeStatement(tx, {
    leaves: JSON.stringify(pending.map((p, i) => ({ id: p.id, index: size + i, kind: p.kind, subject: p.subject, data: p.data, record: p.record, salt: p.salt }))),
    nodes: JSON.stringify(created.map((n) => [n.level, n.index, toHex(n.hash)])),
    size: checkpoint.size,
    root: toHex(checkpoint.rootHash),
    note: checkpoint.note,
  });
}

export async function treeSize(db: Db | Tx): Promise<number> {
  const res = (await db.execute(sql`select coalesce(max(index) + 1, 0)::bigint as n from log_leaves`)) as unknown as { rows: { n: string | number }[] };
  return Number(res.rows[0]?.n ?? 0);
}
