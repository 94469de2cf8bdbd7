import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import {
  checkProtocolDocument,
  protocolStatus,
  type ProtocolDocument,
  type ProtocolRetirement,
  type ProtocolStatus,
  type ProtocolView,
  type SignedProtocol,
} from '../../protocol/protocol-document.js';
import type { SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import { appendLeaf } from '../audit/append.js';
import { protocolActivatedLeaf, protocolRetiredLeaf, protocolSignedLeaf } from '../audit/leaves.js';
import type { Db, Tx } from '../db/connect.js';
import { VigieError } from '../http/errors.js';
import { agencies } from '../identity/tables.js';
import { documentHash } from '../identity/service.js';
import { protocolRetirements, protocolSignatures, protocols } from './tables.js';

/** Everything the hub knows about the versions of one protocol, to compute their statuses. */
async function versionsOf(db: Db | Tx, id: string) {
  const rows = await db.select().from(protocols).where(eq(protocols.id, id)).orderBy(asc(protocols.version));
  const sigs = await db.select().from(protocolSignatures).where(eq(protocolSignatures.protocolId, id));
  const [retirement] = await db.select().from(protocolRetirements).where(eq(protocolRetirements.protocolId, id));
  return { rows, sigs, retiredAt: retirement?.retiredAt ?? null };
}

type Versions = Awaited<ReturnType<typeof versionsOf>>;

function viewsOf(v: Versions, now: Date): ProtocolView[] {
  const signedBy = (version: number) => v.sigs.filter((s) => s.version === version).map((s) => s.agencyId);
  const fullySignedAndEffective = (row: Versions['rows'][number]) => {
    const doc = row.document as ProtocolDocument;
    return doc.parties.every((p) => signedBy(row.version).includes(p.agency)) && row.effectiveFrom.getTime() <= now.getTime();
  };
  return v.rows.map((row) => {
    const doc = row.document as ProtocolDocument;
    const signers = signedBy(row.version);
    const laterActive = v.rows.some((r) => r.version > row.version && fullySignedAndEffective(r));
    return {
      id: row.id,
      version: row.version,
      status: protocolStatus(doc, { signedBy: signers, retiredAt: v.retiredAt, laterActive }, now),
      titles: doc.titles,
      parties: doc.parties,
      effectiveFrom: doc.effectiveFrom,
      documentHash: row.documentHash,
      signedBy: signers.sort(),
      missing: doc.parties.map((p) => p.agency).filter((a) => !signers.includes(a)),
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
 * Stores a protocol version and the party signatures it carries; each new
 * signature is a `protocol.signed` leaf, and the last one makes the version
 * `protocol.activated` (in force from its effective date). Only party root
 * keys count: the hub operator cannot sign in an agency's name.
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
  if (problems.length > 0) throw new VigieError('PROTOCOL_INVALID', { detail: problems.map((p) => `${p.path}: ${p.problem}`).join('; ') });
  const partyIds = doc.parties.map((p) => p.agency);
  const registered = await db.select({ id: agencies.id, kind: agencies.kind, rootKey: agencies.rootKey }).from(agencies).where(inArray(agencies.id, partyIds));
  for (const party of doc.parties) {
    const agency = registered.find((a) => a.id === party.agency);
    if (!agency) throw new VigieError('AGENCY_UNKNOWN', { detail: party.agency });
    if (agency.kind !== party.kind) throw new VigieError('PROTOCOL_INVALID', { detail: `${party.agency} is a ${agency.kind}, not a ${party.kind}` });
  }
  if (submitted.signatures.length === 0) throw new VigieError('PROTOCOL_SIGNATURE_INVALID', { detail: 'no signature' });
  for (const s of submitted.signatures) {
    const agency = registered.find((a) => a.id === s.agency);
    if (!agency || !verifyDocument(crypto, 'protocol', { document: doc, signature: s.signature }, fromB64u(agency.rootKey))) {
      throw new VigieError('PROTOCOL_SIGNATURE_INVALID', { detail: s.agency });
    }
  }
  const hash = documentHash(doc);

  await db.transaction(async (tx) => {
    // Serialises submissions and retirements of one protocol (see retireProtocol).
    await tx.select({ v: protocols.version }).from(protocols).where(eq(protocols.id, doc.id)).for('update');
    const [retired] = await tx.select().from(protocolRetirements).where(eq(protocolRetirements.protocolId, doc.id));
    if (retired) throw new VigieError('PROTOCOL_RETIRED');
    const [stored] = await tx.select().from(protocols).where(and(eq(protocols.id, doc.id), eq(protocols.version, doc.version)));
    if (stored && stored.documentHash !== hash) throw new VigieError('PROTOCOL_VERSION_CONFLICT', { detail: 'other content' });
    if (!stored) {
      const [later] = await tx.select({ v: protocols.version }).from(protocols).where(and(eq(protocols.id, doc.id), gt(protocols.version, doc.version))).limit(1);
      if (later) throw new VigieError('PROTOCOL_VERSION_CONFLICT', { detail: `version ${later.v} exists` });
      await tx.insert(protocols).values({ id: doc.id, version: doc.version, document: doc, documentHash: hash, effectiveFrom: new Date(doc.effectiveFrom), submittedAt: now });
    }
    const added = await tx
      .insert(protocolSignatures)
      .values(submitted.signatures.map((s) => ({ protocolId: doc.id, version: doc.version, agencyId: s.agency, signature: s.signature, signedAt: now })))
      .onConflictDoNothing()
      .returning({ agency: protocolSignatures.agencyId });
    for (const { agency } of added) {
      await appendLeaf(tx, protocolSignedLeaf({ protocol: doc.id, version: doc.version, agency, documentHash: hash }, now));
    }
    const signers = await tx
      .select({ agency: protocolSignatures.agencyId })
      .from(protocolSignatures)
      .where(and(eq(protocolSignatures.protocolId, doc.id), eq(protocolSignatures.version, doc.version)));
    const complete = partyIds.every((a) => signers.some((s) => s.agency === a));
    if (complete && added.length > 0) {
      await tx.update(protocols).set({ signedAt: now }).where(and(eq(protocols.id, doc.id), eq(protocols.version, doc.version)));
      await appendLeaf(
        tx,
        protocolActivatedLeaf({ protocol: doc.id, version: doc.version, documentHash: hash, parties: partyIds, effectiveFrom: doc.effectiveFrom }, now),
      );
    }
  });
  return viewsOf(await versionsOf(db, doc.id), now).find((v) => v.version === doc.version)!;
}

/**
 * A party's root key retires a protocol: from `retiredAt` (or now, never in
 * the past) no version of it allows a new message. Idempotent.
 */
export async function retireProtocol(db: Db, crypto: CryptoPort, id: string, signed: SignedDocument<ProtocolRetirement>, now = new Date()) {
  const doc = signed.document;
  if (doc.protocol !== id) throw new VigieError('INVALID_REQUEST', { detail: 'protocol id differs from the path' });
  const [agency] = await db.select({ rootKey: agencies.rootKey }).from(agencies).where(eq(agencies.id, doc.agency));
  if (!agency || !verifyDocument(crypto, 'protocol-retirement', signed, fromB64u(agency.rootKey))) throw new VigieError('PROTOCOL_SIGNATURE_INVALID');
  const retiredAt = new Date(Math.max(now.getTime(), Date.parse(doc.retiredAt)));
  await db.transaction(async (tx) => {
    // Waits for messages accepted under a version of this protocol (they hold FOR SHARE).
    const rows = await tx.select({ document: protocols.document }).from(protocols).where(eq(protocols.id, id)).for('update');
    if (rows.length === 0) throw new VigieError('PROTOCOL_UNKNOWN');
    if (!rows.some((r) => (r.document as ProtocolDocument).parties.some((p) => p.agency === doc.agency))) throw new VigieError('AGENCY_FORBIDDEN');
    const inserted = await tx
      .insert(protocolRetirements)
      .values({ protocolId: id, agencyId: doc.agency, retirement: signed, retiredAt })
      .onConflictDoNothing()
      .returning({ id: protocolRetirements.protocolId });
    if (inserted.length > 0) {
      await appendLeaf(tx, protocolRetiredLeaf({ protocol: id, agency: doc.agency, retiredAt: retiredAt.toISOString(), retirementHash: documentHash(signed) }, now));
    }
  });
  return protocolViews(db, id, now);
}

// Documents by the hash of their canonical form: a hash names one document, in any database.
const documents = new Map<string, ProtocolDocument>();

/**
 * The version a message names and its status at `now`, read inside the
 * accepting transaction with a share lock, so that a retirement or a later
 * version commits either before the decision or after the message. Two
 * queries: `signed_at` is set once every party has signed.
 */
export async function lockedProtocol(tx: Tx, id: string, version: number, now: Date): Promise<{ document: ProtocolDocument; status: ProtocolStatus } | null> {
  const rows = await tx
    .select({ version: protocols.version, documentHash: protocols.documentHash, effectiveFrom: protocols.effectiveFrom, signedAt: protocols.signedAt })
    .from(protocols)
    .where(eq(protocols.id, id))
    .for('share');
  const row = rows.find((r) => r.version === version);
  if (!row) return null;
  // A second statement, so that it sees a retirement committed while the share lock waited.
  const [retirement] = await tx.select({ retiredAt: protocolRetirements.retiredAt }).from(protocolRetirements).where(eq(protocolRetirements.protocolId, id));
  const inForce = (r: (typeof rows)[number]) => r.signedAt !== null && r.effectiveFrom.getTime() <= now.getTime();
  let document = documents.get(row.documentHash);
  if (!document) {
    const [stored] = await tx.select({ document: protocols.document }).from(protocols).where(and(eq(protocols.id, id), eq(protocols.version, version)));
    document = stored!.document as ProtocolDocument;
    if (documents.size >= 1000) documents.clear();
    documents.set(row.documentHash, document);
  }
  const status = protocolStatus(
    document,
    {
      signedBy: row.signedAt ? document.parties.map((p) => p.agency) : [],
      retiredAt: retirement?.retiredAt ?? null,
      laterActive: rows.some((r) => r.version > version && inForce(r)),
    },
    now,
  );
  return { document, status };
}
