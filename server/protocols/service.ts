import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import {
  checkProtocolDocument,
  protocolStatus,
  rootKeyFingerprint,
  type ProtocolDocument,
  type ProtocolRetirement,
  type ProtocolStatus,
  type ProtocolView,
  type SignedProtocol,
} from '../../protocol/protocol-document.js';
import type { SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import { appendLeaf } from '../disclosure-log/append.js';
import {
  protocolActivatedLeaf,
  protocolRefusedLeaf,
  protocolRetiredLeaf,
  protocolSignedLeaf,
  protocolSubmittedLeaf,
  protocolSupersededLeaf,
  type Leaf,
} from '../disclosure-log/leaves.js';
import type { Db, Tx } from '../db/connect.js';
import { preparedOnce } from '../db/prepared.js';
import { rowsToken, rowsUnchanged, rowVersionOf } from '../db/row-versions.js';
import { VigieError } from '../http/errors.js';
import { agencies } from '../identity/tables.js';
import { hashOfDocument } from '../identity/service.js';
import { protocolRetirements, protocolSignatures, protocols } from './tables.js';

/** Everything the hub knows about the versions of one protocol, to compute their statuses. */
async function versionsOf(db: Db | Tx, id: string) {
  const rows = await db.select().from(protocols).where(eq(protocols.id, id)).orderBy(asc(protocols.version));
  const sigs = await db.select().from(protocolSignatures).where(eq(protocolSignatures.protocolId, id));
  // A retirement sets it on every version's row (retireProtocol): the one place it is read.
  return { rows, sigs, retiredAt: rows[0]?.retiredAt ?? null };
}

type Versions = Awaited<ReturnType<typeof versionsOf>>;
type VersionRow = Versions['rows'][number];

const partiesOf = (row: VersionRow) => (row.document as ProtocolDocument).parties.map((p) => p.agency);
const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();

/**
 * Who the agreement binds at `now`: the version in force (the latest fully
 * signed version already effective) and every fully signed version still to
 * come into force. A change must be signed by their parties, and only the
 * parties of the version in force may retire it.
 */
function governance(rows: VersionRow[], now: Date) {
  const signed = rows.filter((r) => r.signedAt !== null).sort((a, b) => a.version - b.version);
  const inForce = signed.filter((r) => r.effectiveFrom.getTime() <= now.getTime()).at(-1) ?? null;
  const scheduled = signed.filter((r) => r.effectiveFrom.getTime() > now.getTime() && (!inForce || r.version > inForce.version));
  const binding = [...(inForce ? [inForce] : []), ...scheduled];
  return {
    inForce,
    binding,
    bindingParties: union(...binding.map(partiesOf)),
    latestSigned: signed.at(-1) ?? null,
  };
}

function viewsOf(v: Versions, now: Date): ProtocolView[] {
  const signedBy = (version: number) => v.sigs.filter((s) => s.version === version).map((s) => s.agencyId);
  const fullySignedAndEffective = (row: VersionRow) => row.signedAt !== null && row.effectiveFrom.getTime() <= now.getTime();
  const { bindingParties } = governance(v.rows, now);
  return v.rows.map((row) => {
    const doc = row.document as ProtocolDocument;
    const signers = signedBy(row.version).sort();
    const laterActive = v.rows.some((r) => r.version > row.version && fullySignedAndEffective(r));
    // A version in force was signed by exactly those it needed; a pending one needs its parties and those bound now.
    const required = row.signedAt !== null ? signers : union(partiesOf(row), bindingParties);
    return {
      id: row.id,
      version: row.version,
      status: protocolStatus(doc, { signedBy: row.signedAt !== null ? partiesOf(row) : [], retiredAt: v.retiredAt, laterActive }, now),
      titles: doc.titles,
      parties: doc.parties,
      effectiveFrom: doc.effectiveFrom,
      documentHash: row.documentHash,
      signedBy: signers,
      requiredSigners: required,
      missing: required.filter((a) => !signers.includes(a)),
      signedAt: row.signedAt?.toISOString() ?? null,
      retiredAt: v.retiredAt?.toISOString() ?? null,
    };
  });
}

/** The views of every version of a protocol, oldest first. */
export async function protocolViews(db: Db, id: string, now = new Date()): Promise<ProtocolView[]> {
  const v = await versionsOf(db, id);
  if (v.rows.length === 0) throw new VigieError('PROTOCOL_UNKNOWN');
  return viewsOf(v, now);
}

/** Every protocol version, with its status. */
export async function listProtocols(db: Db, now = new Date()): Promise<ProtocolView[]> {
  const ids = await db.selectDistinct({ id: protocols.id }).from(protocols).orderBy(asc(protocols.id));
  const views: ProtocolView[] = [];
  for (const { id } of ids) views.push(...viewsOf(await versionsOf(db, id), now));
  return views;
}

/** One stored version with its signatures, as parties exchange it. */
export async function signedProtocol(db: Db, id: string, version: number): Promise<SignedProtocol> {
  const [row] = await db.select().from(protocols).where(and(eq(protocols.id, id), eq(protocols.version, version)));
  if (!row) throw new VigieError('PROTOCOL_UNKNOWN');
  const sigs = await db
    .select()
    .from(protocolSignatures)
    .where(and(eq(protocolSignatures.protocolId, id), eq(protocolSignatures.version, version)))
    .orderBy(asc(protocolSignatures.agencyId));
  return { document: row.document as ProtocolDocument, signatures: sigs.map((s) => ({ agency: s.agencyId, signature: s.signature })) };
}

/**
 * A governance refusal goes on the record when an agency's root key signed
 * the request (anonymous noise does not): who asked, what, and why not.
 * Recording it never hides the refusal itself.
 */
async function recordRefusal(db: Db, leafOf: (reason: string, detail: string | null) => Leaf, err: unknown): Promise<never> {
  if (err instanceof VigieError && err.status < 500) {
    await appendLeaf(db, leafOf(err.code, err.detail ?? null)).catch(() => {});
  }
  throw err;
}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

/**
 * Stores a protocol version and the signatures it carries; each new
 * signature is a `protocol.signed` leaf, and the last one required makes the
 * version `protocol.activated` (in force from its effective date, superseding
 * the version in force then). Only root keys count: the hub operator cannot
 * sign in an agency's name. A change of an agreement in force — new version,
 * other parties — must be signed by every party the agreement binds now as
 * well as every party it names, and only a party bound now may propose it, so
 * no outsider can supersede, squat or lock out an agreement it is not party to.
 */
export async function submitProtocol(
  db: Db,
  crypto: CryptoPort,
  submitted: SignedProtocol,
  instruments: { levels(id: string, version: number): string[] | null; list(): { id: string; version: number }[] },
  now = new Date(),
): Promise<ProtocolView> {
  const doc = submitted.document;
  const problems = checkProtocolDocument(doc);
  // A required assessment names an instrument and a level the hub knows (any version of it).
  doc.flows.forEach((flow, i) => {
    const r = flow.requiredAssessment;
    if (!r) return;
    const versions = instruments.list().filter((v) => v.id === r.instrument);
    if (versions.length === 0) problems.push({ path: `/flows/${i}/requiredAssessment/instrument`, problem: `unknown instrument ${r.instrument}` });
    else if (!versions.some((v) => instruments.levels(v.id, v.version)!.includes(r.level))) {
      problems.push({ path: `/flows/${i}/requiredAssessment/level`, problem: `${r.instrument} has no level ${r.level}` });
    }
  });
  const signerIds = submitted.signatures.map((s) => s.agency);
  const known = await db
    .select({ id: agencies.id, kind: agencies.kind, rootKey: agencies.rootKey })
    .from(agencies)
    .where(inArray(agencies.id, [...new Set([...doc.parties.map((p) => p.agency), ...signerIds])]));
  // Who signed, as far as their root keys say: the only identities a governance refusal can name.
  const verified = submitted.signatures.filter((s) => {
    const agency = known.find((a) => a.id === s.agency);
    return agency && verifyDocument(crypto, 'protocol', { document: doc, signature: s.signature }, fromB64u(agency.rootKey));
  });
  const hash = hashOfDocument(doc);
  const refused = (reason: string, detail: string | null) =>
    protocolRefusedLeaf({ protocol: doc.id, version: doc.version, action: 'submission', agencies: verified.map((s) => s.agency).sort(), documentHash: hash, reason, detail }, now);
  try {
    if (problems.length > 0) throw new VigieError('PROTOCOL_INVALID', { detail: problems.map((p) => `${p.path}: ${p.problem}`).join('; ') });
    doc.parties.forEach((party, i) => {
      const agency = known.find((a) => a.id === party.agency);
      if (!agency) throw new VigieError('AGENCY_UNKNOWN', { detail: party.agency });
      if (agency.kind !== party.kind) throw new VigieError('PROTOCOL_INVALID', { detail: `${party.agency} is a ${agency.kind}, not a ${party.kind}` });
      if (rootKeyFingerprint(sha256, agency.rootKey) !== party.rootKeyFingerprint) {
        throw new VigieError('PROTOCOL_INVALID', { detail: `/parties/${i}/rootKeyFingerprint: not the root key of ${party.agency}` });
      }
    });
    if (submitted.signatures.length === 0) throw new VigieError('PROTOCOL_SIGNATURE_INVALID', { detail: 'no signature' });
    const invalid = submitted.signatures.find((s) => !verified.includes(s));
    if (invalid) throw new VigieError('PROTOCOL_SIGNATURE_INVALID', { detail: invalid.agency });

    await db.transaction(async (tx) => {
      // Serialises submissions and retirements of one protocol (see retireProtocol).
      const rows = await tx.select().from(protocols).where(eq(protocols.id, doc.id)).orderBy(asc(protocols.version)).for('update');
      if (rows.some((r) => r.retiredAt !== null)) throw new VigieError('PROTOCOL_RETIRED');
      const gov = governance(rows, now);
      if (gov.bindingParties.length > 0 && !verified.some((s) => gov.bindingParties.includes(s.agency))) {
        throw new VigieError('PROTOCOL_PARTY_REQUIRED', { detail: `signed by none of ${gov.bindingParties.join(', ')}` });
      }
      const required = union(doc.parties.map((p) => p.agency), gov.bindingParties);
      const outsider = verified.find((s) => !required.includes(s.agency));
      if (outsider) throw new VigieError('PROTOCOL_SIGNATURE_INVALID', { detail: `${outsider.agency} is not a party` });

      const stored = rows.find((r) => r.version === doc.version);
      const pending = rows.filter((r) => r.signedAt === null);
      // A submission that carries every required signature takes effect now: no unsigned draft stands in its way
      // (for a protocol nothing binds yet, anyone could have filed one under this id).
      const complete = required.every((a) => verified.some((s) => s.agency === a));
      let replaces: string | null = null;
      if (stored && stored.documentHash !== hash) {
        // A draft still gathering signatures may be replaced by a party bound now, or by a complete version; a signed version never changes.
        if (stored.signedAt !== null || (gov.bindingParties.length === 0 && !complete)) throw new VigieError('PROTOCOL_VERSION_CONFLICT', { detail: 'other content' });
        replaces = stored.documentHash;
      }
      if (!stored) {
        const next = (gov.latestSigned?.version ?? 0) + 1;
        if (gov.latestSigned && doc.version !== next) throw new VigieError('PROTOCOL_VERSION_CONFLICT', { detail: `the next version is ${next}` });
        const other = pending.find((r) => r.version !== doc.version);
        if (other && !complete) throw new VigieError('PROTOCOL_VERSION_CONFLICT', { detail: `version ${other.version} is being signed` });
        if (other) {
          await tx.delete(protocolSignatures).where(and(eq(protocolSignatures.protocolId, doc.id), eq(protocolSignatures.version, other.version)));
          await tx.delete(protocols).where(and(eq(protocols.id, doc.id), eq(protocols.version, other.version)));
          replaces = other.documentHash;
        }
      }
      if (!stored || replaces) {
        const values = { document: doc, documentHash: hash, effectiveFrom: new Date(doc.effectiveFrom), submittedAt: now };
        if (stored && replaces) {
          await tx.delete(protocolSignatures).where(and(eq(protocolSignatures.protocolId, doc.id), eq(protocolSignatures.version, doc.version)));
          await tx.update(protocols).set(values).where(and(eq(protocols.id, doc.id), eq(protocols.version, doc.version)));
        } else {
          await tx.insert(protocols).values({ id: doc.id, version: doc.version, ...values });
        }
        await appendLeaf(tx, protocolSubmittedLeaf({ protocol: doc.id, version: doc.version, documentHash: hash, parties: doc.parties.map((p) => p.agency), requiredSigners: required, replaces }, now));
      }
      if (stored?.signedAt) return;
      const added = await tx
        .insert(protocolSignatures)
        .values(verified.map((s) => ({ protocolId: doc.id, version: doc.version, agencyId: s.agency, signature: s.signature, signedAt: now })))
        .onConflictDoNothing()
        .returning({ agency: protocolSignatures.agencyId });
      for (const { agency } of added) {
        await appendLeaf(tx, protocolSignedLeaf({ protocol: doc.id, version: doc.version, agency, documentHash: hash }, now));
      }
      const signers = await tx
        .select({ agency: protocolSignatures.agencyId })
        .from(protocolSignatures)
        .where(and(eq(protocolSignatures.protocolId, doc.id), eq(protocolSignatures.version, doc.version)));
      if (!required.every((a) => signers.some((s) => s.agency === a))) return;
      // Every version's row is written, as a retirement writes them: a message whose statement waits on their share
      // lock compares them as committed and is decided again (this version, in force, supersedes the one it names).
      await tx
        .update(protocols)
        .set({ signedAt: sql`case when ${protocols.version} = ${doc.version} then ${now.toISOString()}::timestamptz else ${protocols.signedAt} end` })
        .where(eq(protocols.id, doc.id));
      await appendLeaf(
        tx,
        protocolActivatedLeaf({ protocol: doc.id, version: doc.version, documentHash: hash, parties: doc.parties.map((p) => p.agency), effectiveFrom: doc.effectiveFrom }, now),
        ...gov.binding.map((b) => protocolSupersededLeaf({ protocol: doc.id, version: b.version, by: doc.version, effectiveFrom: doc.effectiveFrom }, now)),
      );
    });
  } catch (err) {
    if (verified.length > 0) await recordRefusal(db, refused, err);
    throw err;
  }
  return viewsOf(await versionsOf(db, doc.id), now).find((v) => v.version === doc.version)!;
}

/**
 * A party of the version in force retires the protocol with its root key:
 * from `retiredAt` (or now, never in the past) no version of it allows a new
 * message. Idempotent. Anyone else is refused and changes nothing.
 */
export async function retireProtocol(db: Db, crypto: CryptoPort, id: string, signed: SignedDocument<ProtocolRetirement>, now = new Date()) {
  const doc = signed.document;
  if (doc.protocol !== id) throw new VigieError('INVALID_REQUEST', { detail: 'protocol id differs from the path' });
  const [agency] = await db.select({ rootKey: agencies.rootKey }).from(agencies).where(eq(agencies.id, doc.agency));
  if (!agency || !verifyDocument(crypto, 'protocol-retirement', signed, fromB64u(agency.rootKey))) throw new VigieError('PROTOCOL_SIGNATURE_INVALID');
  const retiredAt = new Date(Math.max(now.getTime(), Date.parse(doc.retiredAt)));
  const refused = (reason: string, detail: string | null) =>
    protocolRefusedLeaf({ protocol: id, version: null, action: 'retirement', agencies: [doc.agency], documentHash: hashOfDocument(signed), reason, detail }, now);
  try {
    await db.transaction(async (tx) => {
      // Waits for messages accepted under a version of this protocol (they hold FOR SHARE).
      const rows = await tx.select().from(protocols).where(eq(protocols.id, id)).orderBy(asc(protocols.version)).for('update');
      if (rows.length === 0) throw new VigieError('PROTOCOL_UNKNOWN');
      const gov = governance(rows, now);
      const entitled = gov.inForce ? partiesOf(gov.inForce) : gov.bindingParties;
      if (!entitled.includes(doc.agency)) throw new VigieError('PROTOCOL_PARTY_REQUIRED', { detail: `${doc.agency} is not a party to the version in force` });
      const inserted = await tx
        .insert(protocolRetirements)
        .values({ protocolId: id, agencyId: doc.agency, retirement: signed, retiredAt })
        .onConflictDoNothing()
        .returning({ id: protocolRetirements.protocolId });
      if (inserted.length > 0) {
        // On the rows messages share-lock: one waiting on this transaction reads it when it commits.
        await tx.update(protocols).set({ retiredAt }).where(eq(protocols.id, id));
        await appendLeaf(tx, protocolRetiredLeaf({ protocol: id, agency: doc.agency, retiredAt: retiredAt.toISOString(), retirementHash: hashOfDocument(signed) }, now));
      }
    });
  } catch (err) {
    await recordRefusal(db, refused, err);
  }
  return protocolViews(db, id, now);
}

// Documents by the hash of their canonical form: a hash names one document, in any database.
const documents = new Map<string, ProtocolDocument>();

/** A protocol's version rows as a message's decision reads them; `rowVersion` is the row's xmin, which every update changes. */
interface VersionFacts {
  version: number;
  documentHash: string;
  effectiveFrom: Date;
  signedAt: Date | null;
  retiredAt: Date | null;
  rowVersion: string;
}

// Read for a message whose protocol this instance has not seen yet, or whose rows changed: prepared once.
const protocolVersionRows = preparedOnce((db) =>
  db
    .select({
      version: protocols.version,
      documentHash: protocols.documentHash,
      effectiveFrom: protocols.effectiveFrom,
      signedAt: protocols.signedAt,
      retiredAt: protocols.retiredAt,
      rowVersion: rowVersionOf(protocols),
    })
    .from(protocols)
    .where(eq(protocols.id, sql.placeholder('id')))
    .prepare('vigie_protocol_version_rows'),
);

// The rows each instance last read, by database and protocol: what a message's decision starts from.
const versionsSeen = new WeakMap<Db, Map<string, { rows: VersionFacts[]; token: string }>>();


/**
 * The version a message names and its status at `now`, with `token`, which
 * names the rows the decision read: the acceptance statement stores the
 * message only if `protocolUnchanged` finds the same token, under a share
 * lock held until it ends, so that a retirement or a later version (both
 * update these rows: `retired_at`, `signed_at`) commits either before the
 * decision or after the message. The rows come from what this instance read
 * last unless `fresh`; a caller reads them fresh before refusing, and after
 * the statement found them changed. Null when the version does not exist.
 */
export async function protocolFacts(db: Db, id: string, version: number, now: Date, fresh: boolean): Promise<{ document: ProtocolDocument; status: ProtocolStatus; token: string } | null> {
  let seen = versionsSeen.get(db);
  if (!seen) versionsSeen.set(db, (seen = new Map()));
  let known = fresh ? undefined : seen.get(id);
  if (!known) {
    const rows = await protocolVersionRows(db).execute({ id });
    known = { rows, token: rowsToken(rows.map((r) => ({ key: r.version, rowVersion: r.rowVersion }))) };
    if (seen.size >= 1000) seen.clear();
    seen.set(id, known);
  }
  const { rows, token } = known;
  const row = rows.find((r) => r.version === version);
  if (!row) return null;
  const inForce = (r: VersionFacts) => r.signedAt !== null && r.effectiveFrom.getTime() <= now.getTime();
  let document = documents.get(row.documentHash);
  if (!document) {
    // The document of that very hash: a draft replaced since the rows were read is not it (nor one deleted).
    const [stored] = await db
      .select({ document: protocols.document })
      .from(protocols)
      .where(and(eq(protocols.id, id), eq(protocols.version, version), eq(protocols.documentHash, row.documentHash)));
    if (!stored) return fresh ? null : protocolFacts(db, id, version, now, true);
    document = stored.document as ProtocolDocument;
    if (documents.size >= 1000) documents.clear();
    documents.set(row.documentHash, document);
  }
  const status = protocolStatus(
    document,
    {
      signedBy: row.signedAt ? document.parties.map((p) => p.agency) : [],
      retiredAt: row.retiredAt,
      laterActive: rows.some((r) => r.version > version && inForce(r)),
    },
    now,
  );
  return { document, status, token };
}

/**
 * For the acceptance statement: true when protocol `id`'s version rows are
 * those whose token `protocolFacts` gave (the empty token: no rows), each
 * share-locked until the statement ends. A statement that waited for the
 * lock compares the rows as the other transaction committed them.
 */
export function protocolUnchanged(id: SQLWrapper, token: SQLWrapper): SQL {
  return rowsUnchanged(protocols, protocols.version, sql`${protocols.id} = ${id}`, token);
}
