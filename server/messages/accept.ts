import { eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { verifiedHeaderHash } from '../../protocol/envelope.js';
import type { Envelope } from '../../protocol/schemas.js';
import { memberUnchanged, type ActiveMember } from '../auth/members.js';
import type { Db } from '../db/connect.js';
import { isVigieError, VigieError } from '../http/errors.js';
import { inboxKeysCurrent, staleKeyRefusal, type InboxDirectory, type WrapKey } from '../identity/inbox-directory.js';
import { leafFrom, leavesQueued, leafValues } from '../disclosure-log/append.js';
import { messageAcceptedLeaf, type Leaf } from '../disclosure-log/leaves.js';
import { deliverRowsFrom } from '../delivery/outbox.js';
import { awaitedAcknowledgements, chainsFrom, chainValues, type AwaitedAcknowledgement } from '../escalation/chains.js';
import { messageEventsFrom } from '../realtime/feed.js';
import type { AcceptContext, DisclosurePolicy } from './hooks.js';
import { deliveries, messages } from './tables.js';
import { jsonColumn, namedStatement } from '../db/prepared.js';
import { conflictOf } from '../db/conflicts.js';

export interface AcceptDeps {
  db: Db;
  log: FastifyBaseLogger;
  crypto: CryptoPort;
  policy: DisclosurePolicy;
  directory: InboxDirectory;
  clockSkewSeconds: number;
  maxMessageAgeSeconds: number;
}

export interface Accepted {
  id: string;
  acceptedAt: Date;
  /** True when this exact envelope had already been accepted: nothing new was stored. */
  duplicate: boolean;
  /** The feed events stored for the recipient inboxes (none for a duplicate), to push right after the commit. */
  events: { seq: string; inbox: string }[];
}

function checkSender(sender: ActiveMember, envelope: Envelope) {
  const { sender: declared, recipients } = envelope.header;
  if (declared.member !== sender.id || declared.agency !== sender.agencyId) throw new VigieError('SENDER_MISMATCH');
  if (!sender.inboxes.includes(declared.inbox)) throw new VigieError('INBOX_FORBIDDEN');
  if (recipients.includes(declared.inbox)) throw new VigieError('RECIPIENT_IS_SENDER');
}

/**
 * The wraps that name the version of the inbox key they are sealed to, which
 * the acceptance checks (inboxKeysCurrent). The reference SDK names it in
 * every wrap; a client older than key versions names none, and reads each
 * certificate just before it seals instead.
 */
function wrapKeys(envelope: Envelope): WrapKey[] {
  return envelope.header.wraps.flatMap(({ inbox, keyVersion }) => (keyVersion === undefined ? [] : [{ inbox, keyVersion }]));
}

function checkFreshness(createdAt: string, now: Date, deps: AcceptDeps) {
  const t = Date.parse(createdAt);
  if (Number.isNaN(t) || t > now.getTime() + deps.clockSkewSeconds * 1000 || t < now.getTime() - deps.maxMessageAgeSeconds * 1000) {
    throw new VigieError('MESSAGE_STALE');
  }
}

async function existing(db: Db, id: string, hash: string): Promise<Accepted | null> {
  const [row] = await db.select({ headerHash: messages.headerHash, acceptedAt: messages.acceptedAt }).from(messages).where(eq(messages.id, id));
  if (!row) return null;
  // Same id with another header is an attempt to overwrite history.
  if (row.headerHash !== hash) throw new VigieError('MESSAGE_ID_CONFLICT');
  return { id, acceptedAt: row.acceptedAt, duplicate: true, events: [] };
}

/**
 * Accepts an envelope: checks the sender, the signature over the canonical
 * header, the ciphertext hash and the recipients, asks the policy, then
 * stores in ONE statement (one transaction) the message, a delivery row and a
 * feed event per recipient inbox, an outbox row, the log leaf and the
 * acknowledgement chains (invariants 2 and 4), if the facts the policy
 * decided on are unchanged, the sender's row is still the version
 * `senderRow` (memberUnchanged: not revoked since; SenderChanged otherwise),
 * and every wrap is sealed to its inbox's current key (inboxKeysCurrent;
 * INBOX_KEY_ROTATED otherwise). Only then may the caller answer 202.
 */
export async function acceptMessage(deps: AcceptDeps, sender: ActiveMember, senderRow: string, envelope: Envelope, now = new Date()): Promise<Accepted> {
  const { header } = envelope;
  checkSender(sender, envelope);
  const keys = wrapKeys(envelope);
  checkFreshness(header.createdAt, now, deps);
  const verified = verifiedHeaderHash(deps.crypto, envelope, fromB64u(sender.signingKey));
  if (!verified) throw new VigieError('SIGNATURE_INVALID');
  const hash = toB64u(verified);
  const found = await deps.directory.resolve(deps.db, header.recipients);
  if (found.size !== header.recipients.length) {
    throw new VigieError('RECIPIENT_UNKNOWN', { detail: header.recipients.filter((r) => !found.has(r)).join(', ') });
  }
  const agencyKinds = new Map([...found.values()].map((f) => [f.agencyId, f.kind]));
  const senderKind = await deps.directory.agencyKind(deps.db, header.sender.agency);
  if (senderKind) agencyKinds.set(header.sender.agency, senderKind);
  const ctx: AcceptContext = {
    header,
    headerHash: hash,
    sender,
    recipientAgencies: new Map([...found].map(([inbox, f]) => [inbox, f.agencyId])),
    agencyKinds,
    now,
  };

  let accepted: Accepted | null = null;
  try {
    // The policy decides on facts read without locks; the statement stores the message only if its guard
    // finds them unchanged (share-locking them until it ends), else the facts are read again and the
    // message decided again: a protocol's rows change a few times in its life, never at every message.
    for (let attempt = 0; ; attempt++) {
      const authorization = await deps.policy.authorize(deps.db, ctx, attempt > 0);
      const leaf = messageAcceptedLeaf(header, hash, ctx.recipientAgencies, now, authorization.consent);
      // Silence is an event (invariant 6): snapshot each awaited acknowledgement's chain with the message.
      const about = { type: header.type, urgency: header.urgency, sender: { agency: header.sender.agency, inbox: header.sender.inbox }, acceptedAt: now.toISOString() };
      const awaited = header.protocol ? awaitedAcknowledgements(header.type, header.protocol, authorization.flows, now, about) : [];
      const retainUntil = new Date(now.getTime() + authorization.retentionDays * 86_400_000);
      const stored = await storeAccepted(deps, envelope, hash, now, retainUntil, leaf, awaited, {
        ...authorization.guard,
        member_id: sender.id,
        member_row: senderRow,
        wrap_keys: JSON.stringify(keys),
      });
      if (stored === 'sender-changed') throw new SenderChanged();
      if (stored === 'changed') {
        if (attempt < MAX_DECISIONS - 1) continue;
        throw new VigieError('SERVICE_UNAVAILABLE');
      }
      // Sealed to a key rotated since the sender read it: nothing stored; the sender seals again to the current key.
      if (stored === 'keys-changed') throw await staleKeyRefusal(deps.db, keys);
      if (stored) accepted = { id: header.id, acceptedAt: now, duplicate: false, events: stored };
      break;
    }
  } catch (err) {
    // A retry of an envelope already accepted is answered as a duplicate, even if the policy would refuse it now.
    if (isVigieError(err) && err.status < 500) {
      const seen = await existing(deps.db, header.id, hash);
      if (seen) return seen;
    }
    throw err;
  }
  // Null: the same id was stored first (a retry, or a concurrent request).
  return accepted ?? (await existing(deps.db, header.id, hash))!;
}

/** The sender's row changed since it was read (a revocation, new roles): nothing was stored; read it again. */
export class SenderChanged extends Error {
  constructor() {
    super('the sender’s row changed since it was read');
  }
}

// Decisions per message before the hub gives up (503, nothing stored): each after the first
// follows a change of the very rows the one before read, between its read and its statement.
const MAX_DECISIONS = 3;

const p = (name: string) => sql.placeholder(name);

/** The first words of the acceptance statement, as pg_stat_activity shows it (the race tests wait for it by this mark). */
export const ACCEPTANCE_STATEMENT_MARK = '/* vigie: accept */';

/**
 * The message, its deliveries, feed events, outbox row, log leaf and
 * acknowledgement chains, in one statement (one round trip, atomic on its
 * own), each insert built by the folder that owns its table: the message is
 * inserted only when the guards hold (the policy's, the sender's row, the
 * recipients' key versions) and the id is new, and each
 * insert after it takes its rows from the message's, so that otherwise
 * nothing at all is written. Every value is a placeholder: drizzle renders the
 * text once, PostgreSQL parses it once per connection.
 */
const acceptStatements = new WeakMap<SQL, ReturnType<typeof namedStatement>>();
function acceptStatement(guard: SQL): ReturnType<typeof namedStatement> {
  let statement = acceptStatements.get(guard);
  if (!statement) {
    statement = namedStatement('vigie_accept', () => {
      const columns = [
        [messages.id, 'id'],
        [messages.type, 'type'],
        [messages.urgency, 'urgency'],
        [messages.senderAgency, 'sender_agency'],
        [messages.senderMember, 'sender_member'],
        [messages.senderInbox, 'sender_inbox'],
        [messages.header, 'header'],
        [messages.headerHash, 'header_hash'],
        [messages.signature, 'signature'],
        [messages.ciphertext, 'ciphertext'],
        [messages.acceptedAt, 'accepted_at'],
        [messages.retainUntil, 'retain_until'],
      ] as const;
      // Each value encoded as its column encodes it, and cast to the column's type.
      const message = sql`insert into ${messages} (${sql.join(columns.map(([c]) => sql.identifier(c.name)), sql`, `)})
        select ${sql.join(columns.map(([c, name]) => sql`${sql.param(p(name), c)}::${sql.raw(c.getSQLType())}`), sql`, `)}
        where (select ok and member_ok and keys_ok from g)
        on conflict do nothing returning ${sql.identifier(messages.id.name)}`;
      const stored = sql`select id from m`;
      return sql`${sql.raw(ACCEPTANCE_STATEMENT_MARK)}
        with g as (select (${guard}) as ok, ${memberUnchanged(p('member_id'), p('member_row'))} as member_ok, ${inboxKeysCurrent(p('wrap_keys'))} as keys_ok),
        m as (${message}),
        r as (select value as inbox from jsonb_array_elements_text(${p('recipients')}::jsonb)),
        d as (insert into ${deliveries} (${sql.identifier(deliveries.messageId.name)}, ${sql.identifier(deliveries.inboxId.name)}) select m.id, r.inbox from m, r),
        e as (${messageEventsFrom(sql`select r.inbox, m.id from m, r`)}),
        o as (${deliverRowsFrom(stored)}),
        l as (${leafFrom(stored)}),
        c as (${chainsFrom(stored)})
        select (select ok from g) as ok, (select member_ok from g) as member_ok, (select keys_ok from g) as keys_ok, (select count(*) from m)::int as stored,
               (select coalesce(json_agg(json_build_object('seq', e.seq::text, 'inbox', e.inbox) order by e.seq), '[]'::json) from e) as events`;
    });
    acceptStatements.set(guard, statement);
  }
  return statement;
}

/**
 * Stores an accepted message (acceptStatement). Returns the feed events
 * stored; null when the id already existed (nothing was written); 'changed'
 * when the policy's guard found the facts changed (or PostgreSQL aborted the
 * statement to break a deadlock with such a change), 'sender-changed' when the
 * sender's row changed, 'keys-changed' when a wrap names a key version that
 * is no longer its inbox's (nothing was written in any of these).
 */
async function storeAccepted(
  deps: AcceptDeps,
  envelope: Envelope,
  hash: string,
  now: Date,
  retainUntil: Date,
  leaf: Leaf,
  awaited: AwaitedAcknowledgement[],
  guard: Record<string, unknown>,
): Promise<{ seq: string; inbox: string }[] | null | 'changed' | 'sender-changed' | 'keys-changed'> {
  const { header } = envelope;
  const run = acceptStatement(deps.policy.guard)(deps.db, {
    id: header.id,
    type: header.type,
    urgency: header.urgency,
    sender_agency: header.sender.agency,
    sender_member: header.sender.member,
    sender_inbox: header.sender.inbox,
    header,
    header_hash: hash,
    signature: envelope.signature,
    ciphertext: envelope.ciphertext,
    accepted_at: now,
    retain_until: retainUntil,
    recipients: JSON.stringify(header.recipients),
    ...leafValues(leaf),
    ...chainValues(awaited),
    ...guard,
  });
  let result: { rows: { ok: boolean; member_ok: boolean; keys_ok: boolean; stored: number; events: { seq: string; inbox: string }[] | string }[] };
  try {
    result = (await run) as typeof result;
  } catch (err) {
    // Aborted to break a deadlock with a change of the rows the guards lock (nothing stored): decided again.
    const conflict = conflictOf(err);
    if (conflict === null) throw err;
    deps.log.warn({ sqlState: conflict }, 'message acceptance aborted by PostgreSQL to settle a conflict; decided again');
    return 'changed';
  }
  const row = result.rows[0];
  if (!row?.member_ok) return 'sender-changed';
  if (!row.ok) return 'changed';
  if (!row.keys_ok) return 'keys-changed';
  if (Number(row.stored) === 0) return null;
  leavesQueued(deps.db);
  return jsonColumn<{ seq: string; inbox: string }[]>(row.events);
}
