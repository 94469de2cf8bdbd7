/**
 * What a database superuser can do to the disclosure log behind the hub's
 * back: statements run with the append-only triggers switched off
 * (`session_replication_role = replica`), and the log truncated and rebuilt
 * shorter, which the hub then signs. The auditor's checks must see each one.
 */
import type pg from 'pg';

/** Runs one statement as a superuser with the append-only triggers off. */
export async function asSuperuserWithoutTriggers(db: pg.Client, statement: string, params: unknown[] = []): Promise<void> {
  await db.query('begin');
  await db.query('set local session_replication_role = replica');
  await db.query(statement, params);
  await db.query('commit');
}

/** Truncates every log table and queues two forged leaves: the hub signs a log of 2 entries at its next sequencing. */
export async function rebuildShorterLog(db: pg.Client): Promise<void> {
  await asSuperuserWithoutTriggers(db, 'truncate log_leaves, log_records, log_nodes, log_checkpoints, log_cosignatures');
  await db.query("insert into log_queue (kind, subject, data, record) values ('register.read', null, '{\"forged\":1}', '{\"forged\":1}'), ('register.read', null, '{\"forged\":2}', '{\"forged\":2}')");
}
