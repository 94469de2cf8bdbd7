/**
 * The key directory as a client sees it: agency root keys, inbox keys and
 * member keys, each checked against the agency root key before use.
 *
 * A root key is never trusted because the hub serves it. A partner's root
 * key is anchored in something this device's own agency signed: the protocol
 * a message is sent (or received) under names each party's root-key
 * fingerprint, and carries the signature of the own agency's root key, which
 * this device pinned when it was enrolled. So whoever can write the hub's
 * database cannot make this device encrypt to a key of its choosing: a
 * substituted root key does not match the protocol's fingerprint, and a
 * substituted protocol does not carry the own agency's signature.
 *
 * Every key is also trusted only once its key-event leaf is included in a
 * checkpoint the client verified (LogVerifier), and root keys are pinned
 * (persisted through a PinStore): one that later differs is refused.
 *
 * @example
 * const dir = new Directory(http, crypto, log, { ownAgency: 'shelter-laval', pinnedRoots: { 'shelter-laval': ownRootKey } });
 * const key = await dir.inboxKey('police-laval/dispatch', { id: 'shelter-police', version: 1 });
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import type { EnvelopeRecipient } from '../../protocol/envelope.js';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { rootKeyFingerprint, SignedProtocolSchema, type ProtocolDocument } from '../../protocol/protocol-document.js';
import { AgencyViewSchema, InboxViewSchema, MemberViewSchema } from '../../protocol/api/identity.js';
import { inboxParams, ROUTES, routePath } from '../../protocol/api/routes.js';
import type { InboxCertificate, MemberCertificate, SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { HubHttp } from './http.js';
import { documentHash } from '../../protocol/canonical.js';
import { LogVerificationError, type LogVerifier } from './log-verifier.js';

export type DirectoryErrorCode =
  | 'ROOT_KEY_CHANGED'
  | 'CERTIFICATE_INVALID'
  | 'MEMBER_REVOKED'
  | 'KEY_NOT_IN_LOG'
  | 'PROTOCOL_REQUIRED'
  | 'PROTOCOL_NOT_ENDORSED'
  | 'ROOT_NOT_ANCHORED'
  | 'ROOT_KEY_MISMATCH'
  | 'KEY_ROLLED_BACK';

export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** Where pinned root keys live between runs (a file for the CLI and Node clients, storage in a browser). */
export interface PinStore {
  load(): Record<string, string>;
  save(pins: Readonly<Record<string, string>>): void;
}

/** The protocol version a message is sent or received under. */
export interface ProtocolRef {
  id: string;
  version: number;
}

export interface DirectoryOptions {
  /** agency id → base64url Ed25519 root key; filled on first use when absent. */
  pinnedRoots?: Record<string, string>;
  /** Persists the pins: every new pin is saved at once. */
  pinStore?: PinStore;
  /** This device's agency: protocols are trusted only with its root key's signature. */
  ownAgency?: string;
  /**
   * False for a client without a member key (an administrator's tools): keys
   * are then checked against pins and signatures only, and `unproven` lists
   * those the log could not vouch for. True (the default) refuses them.
   */
  requireLogProof?: boolean;
}

/** How long an inbox's certificate is sealed to without reading it from the hub again (see Directory.inbox). */
const INBOX_KEPT_MS = 60_000;

export class Directory {
  /**
   * Inbox certificates proven in the log, by hash, with the log's size then: proven again only once the
   * directory's events name a rotation of their inbox since (then the log's newest key must be this one).
   */
  private readonly provenCertificates = new Map<string, number>();
  /** The newest key version proven for each inbox: an older one served afterwards is a rollback. */
  private readonly newestKeyVersions = new Map<string, number>();
  /** Inbox certificates checked, by inbox, with the size of the checkpoint they were checked against and when (see inbox). */
  private readonly inboxCache = new Map<string, { signed: SignedDocument<InboxCertificate>; hash: string; size: number; at: number }>();
  /** Certificates (by hash) whose signature was checked, with the root key it was checked against. */
  private readonly checkedSignatures = new Set<string>();
  private readonly memberCache = new Map<string, { doc: MemberCertificate }>();
  /**
   * Look-ups under way: a caller asking what another is already asking (eight
   * messages of one sender opened at once, sends to one inbox) shares that
   * request's answer — fetched after both began waiting, at most one round
   * trip before this caller asked — instead of asking again.
   */
  private readonly asking = new Map<string, Promise<unknown>>();
  private readonly protocols = new Map<string, ProtocolDocument>();
  private readonly verifiedRoots = new Set<string>();
  private readonly fingerprints = new Map<string, string>();
  readonly pinnedRoots: Record<string, string>;
  /** Agencies whose root key only a pin vouches for (no member key to read the log's records with). */
  readonly unproven = new Set<string>();
  private readonly options: DirectoryOptions;
  private readonly sha256 = (data: Uint8Array) => this.crypto.sha256(data);

  constructor(
    private readonly http: HubHttp,
    private readonly crypto: CryptoPort,
    readonly log: LogVerifier,
    options: DirectoryOptions = {},
  ) {
    this.options = options;
    this.pinnedRoots = { ...(options.pinStore?.load() ?? {}), ...(options.pinnedRoots ?? {}) };
  }

  /**
   * Checks that the log's leaf for this key event names exactly this key and
   * document: the latest one for a rotation, the first one for a
   * registration (it happens once: a later one is a forgery, an alarm of the
   * key monitor, never a key to trust).
   */
  private async inLog(kind: string, subject: string, fields: Record<string, unknown>): Promise<void> {
    try {
      await this.log.proveLeaf(kind, subject, (leaf) => Object.entries(fields).every(([k, v]) => leaf[k] === v), 5000, undefined, kind !== 'key.rotated');
    } catch (err) {
      if (err instanceof LogVerificationError && err.code === 'RECORDS_UNREADABLE' && this.options.requireLogProof === false) {
        this.unproven.add(subject);
        return;
      }
      if (err instanceof LogVerificationError && (err.code === 'LEAF_NOT_INCLUDED' || err.code === 'LEAF_MISMATCH')) {
        throw new DirectoryError('KEY_NOT_IN_LOG', `${subject}: ${err.message}`);
      }
      throw err;
    }
  }

  private pin(agency: string, rootKey: string): void {
    if (this.pinnedRoots[agency] === rootKey) return;
    this.pinnedRoots[agency] = rootKey;
    this.options.pinStore?.save(this.pinnedRoots);
  }

  /**
   * An agency's root key as the hub serves it, checked against the pin (if
   * any) and proven in the log — not pinned yet: a caller that must check it
   * further (anchoredRoot) pins it only once it passed.
   */
  private async servedRoot(agency: string): Promise<string> {
    const pinned = this.pinnedRoots[agency];
    // Checked against the hub and the log once per session; the pin holds it afterwards.
    if (pinned && this.verifiedRoots.has(agency)) return pinned;
    const fetched = await this.http.get(routePath(ROUTES.agency, { agency }), AgencyViewSchema);
    if (pinned && pinned !== fetched.rootKey) {
      throw new DirectoryError('ROOT_KEY_CHANGED', `the root key of ${agency} differs from the pinned one`);
    }
    await this.inLog('key.agency_registered', agency, { agency, rootKey: fetched.rootKey, registrationHash: documentHash(this.sha256, fetched.registration) });
    this.verifiedRoots.add(agency);
    return fetched.rootKey;
  }

  /** An agency's root key: the pinned one, or on first use the hub's, proven in the log, then pinned. */
  async rootKey(agency: string): Promise<Uint8Array> {
    const key = await this.servedRoot(agency);
    this.pin(agency, key);
    return fromB64u(key);
  }

  /**
   * A protocol version as this device's own agency signed it: refused when
   * the own agency is not a party or its root key's signature of this exact
   * document is missing or wrong.
   */
  async protocol(ref: ProtocolRef): Promise<ProtocolDocument> {
    const key = `${ref.id}@${ref.version}`;
    const cached = this.protocols.get(key);
    if (cached) return cached;
    const own = this.options.ownAgency;
    if (!own) throw new DirectoryError('PROTOCOL_NOT_ENDORSED', 'this client does not know its own agency');
    const signed = await this.http.get(routePath(ROUTES.protocolVersion, { id: ref.id, version: ref.version }), SignedProtocolSchema);
    const doc = signed.document;
    const ownRoot = await this.rootKey(own);
    const ownParty = doc.id === ref.id && doc.version === ref.version ? doc.parties.find((p) => p.agency === own) : undefined;
    const signature = signed.signatures.find((s) => s.agency === own);
    if (
      !ownParty ||
      !signature ||
      ownParty.rootKeyFingerprint !== this.fingerprint(this.pinnedRoots[own]!) ||
      !verifyDocument(this.crypto, 'protocol', { document: doc, signature: signature.signature }, ownRoot)
    ) {
      throw new DirectoryError('PROTOCOL_NOT_ENDORSED', `${key} does not carry the signature of ${own}'s root key`);
    }
    this.protocols.set(key, doc);
    return doc;
  }

  /**
   * An agency's root key as the protocol names it: the hub's key must match
   * the fingerprint of the party in a protocol this device's agency signed.
   */
  async anchoredRoot(agency: string, ref: ProtocolRef): Promise<Uint8Array> {
    const doc = await this.protocol(ref);
    const party = doc.parties.find((p) => p.agency === agency);
    if (!party) throw new DirectoryError('ROOT_NOT_ANCHORED', `${agency} is not a party to ${ref.id}@${ref.version}`);
    // Compared before it is pinned: a substituted key never reaches the pins.
    const served = await this.servedRoot(agency);
    if (this.fingerprint(served) !== party.rootKeyFingerprint) {
      throw new DirectoryError('ROOT_KEY_MISMATCH', `the root key the hub serves for ${agency} is not the one ${ref.id}@${ref.version} names`);
    }
    this.pin(agency, served);
    return fromB64u(served);
  }

  /** A root key's fingerprint, worked out once per key (every send and every message opened compares one). */
  private fingerprint(rootKey: string): string {
    let known = this.fingerprints.get(rootKey);
    if (known === undefined) {
      known = rootKeyFingerprint(this.sha256, rootKey);
      this.fingerprints.set(rootKey, known);
    }
    return known;
  }

  /**
   * A certificate's document once its signature by its agency's root key
   * (the one `ref` names, when given) is checked. With the certificate's
   * hash, a signature already checked against that same root key is not
   * checked again (an inbox certificate kept is checked at every send).
   */
  private async verified<T extends { agency: string }>(
    context: 'inbox-certificate' | 'member-certificate',
    signed: SignedDocument<T>,
    ref?: ProtocolRef,
    hash?: string,
  ): Promise<T> {
    const agency = signed.document.agency;
    const root = ref ? await this.anchoredRoot(agency, ref) : await this.rootKey(agency);
    const checked = hash === undefined ? null : `${context} ${hash} ${toB64u(root)}`;
    if (checked !== null && this.checkedSignatures.has(checked)) return signed.document;
    if (!verifyDocument(this.crypto, context, signed, root)) {
      throw new DirectoryError('CERTIFICATE_INVALID', `certificate not signed by the root key of ${agency}`);
    }
    if (checked !== null) this.checkedSignatures.add(checked);
    return signed.document;
  }

  /**
   * Checks an inbox certificate (root-key signature and log inclusion), e.g.
   * one held with its sealed key: a first key is a `key.inbox_registered`
   * leaf, every later one a `key.rotated` leaf. `checkpoint`: the newest
   * checkpoint note the hub sent along with the certificate, checked against
   * instead of one asked for (LogVerifier.offer).
   */
  async verifyInboxCertificate(signed: SignedDocument<InboxCertificate>, ref?: ProtocolRef, checkpoint?: string): Promise<InboxCertificate> {
    const newest = checkpoint ? await this.log.offer(checkpoint) : 0;
    const hash = documentHash(this.sha256, signed);
    const doc = await this.verified('inbox-certificate', signed, ref, hash);
    if (doc.keyVersion < (this.newestKeyVersions.get(doc.inbox) ?? 0)) {
      throw new DirectoryError('KEY_ROLLED_BACK', `${doc.inbox}: the hub serves key version ${doc.keyVersion}, older than one this client has seen proven`);
    }
    const provenAt = this.provenCertificates.get(hash);
    if (provenAt === undefined || (await this.log.mayHaveLeafSince('key.rotated', doc.inbox, provenAt))) {
      // The latest rotation's leaf must be this key's: a certificate the log shows replaced fails the match.
      await this.inLog(doc.keyVersion > 1 ? 'key.rotated' : 'key.inbox_registered', doc.inbox, { inbox: doc.inbox, encryptionKey: doc.encryptionKey, keyVersion: doc.keyVersion, certificateHash: hash });
      const size = this.log.current?.size;
      if (size) this.provenCertificates.set(hash, size);
      this.newestKeyVersions.set(doc.inbox, Math.max(doc.keyVersion, this.newestKeyVersions.get(doc.inbox) ?? 0));
    }
    // The newest key only: a first key served after the log recorded a rotation is a rollback
    // (a later version's leaf makes an older rotation fail the match above).
    if (doc.keyVersion === 1 && (await this.log.hasLeaf('key.rotated', doc.inbox, newest))) {
      throw new DirectoryError('KEY_ROLLED_BACK', `${doc.inbox}: the hub serves a key the log shows was rotated`);
    }
    return doc;
  }

  /**
   * An inbox's current certificate: what a sender seals to. Read from the hub
   * and checked (root key, log) once, then kept until the log's directory
   * events name a rotation of the inbox, or for a minute at most. A rotation
   * certified meanwhile is not missed: the hub stores no message sealed to a
   * key that is no longer the inbox's current one (INBOX_KEY_ROTATED), and the
   * client then forgets the certificate (forgetInbox) and seals again. With
   * `ref`, the certifying root key must be the one that protocol names (the
   * only way a sender should ask).
   */
  inbox(inboxId: string, ref?: ProtocolRef): Promise<InboxCertificate> {
    return this.shared(`inbox ${inboxId} ${ref ? `${ref.id}@${ref.version}` : ''}`, () => this.askInbox(inboxId, ref));
  }

  /** Forgets the certificate kept for an inbox, and a look-up of it under way: the next send reads it from the hub again. */
  forgetInbox(inboxId: string): void {
    this.inboxCache.delete(inboxId);
    for (const key of this.asking.keys()) if (key.startsWith(`inbox ${inboxId} `)) this.asking.delete(key);
  }

  private async askInbox(inboxId: string, ref?: ProtocolRef): Promise<InboxCertificate> {
    const kept = this.inboxCache.get(inboxId);
    if (kept && Date.now() - kept.at < INBOX_KEPT_MS && !(await this.log.mayHaveLeafSince('key.rotated', inboxId, kept.size))) {
      // Under the root key `ref` names (anchored once a protocol), its signature checked once.
      return this.verified('inbox-certificate', kept.signed, ref, kept.hash);
    }
    // The log's size before the certificate is read: a rotation at that index or later is one it may not show.
    const before = this.log.current?.size;
    const res = await this.http.get(routePath(ROUTES.inbox, inboxParams(inboxId)), InboxViewSchema);
    const doc = await this.verifyInboxCertificate(res.certificate, ref, res.checkpoint);
    if (doc.inbox !== inboxId) throw new DirectoryError('CERTIFICATE_INVALID', 'inbox certificate names another inbox');
    // Kept only by a client that reads the log's events (so can tell a rotation since). Without a checkpoint held
    // before, the one it was checked against: a rotation between the two costs at most one refusal (INBOX_KEY_ROTATED).
    const size = before ?? this.log.current?.size;
    if (this.log.readsRecords && size) this.inboxCache.set(inboxId, { signed: res.certificate, hash: documentHash(this.sha256, res.certificate), size, at: Date.now() });
    return doc;
  }

  /** An inbox as a sender seals to it: its current certified key and that key's version (see inbox). */
  async recipient(inboxId: string, ref?: ProtocolRef): Promise<EnvelopeRecipient> {
    const doc = await this.inbox(inboxId, ref);
    return { inbox: inboxId, encryptionKey: fromB64u(doc.encryptionKey), keyVersion: doc.keyVersion };
  }

  async inboxKey(inboxId: string, ref?: ProtocolRef): Promise<Uint8Array> {
    return fromB64u((await this.inbox(inboxId, ref)).encryptionKey);
  }

  /**
   * A member's certificate, verified (against the root key `ref` names, when
   * given); refused once revoked. The certificate is read from the hub and
   * checked once; its revocation is asked of the newest checkpoint every
   * time, so that a device revoked while this client runs is refused from the
   * first checkpoint that records it — whatever the hub's tables say. (The
   * log is asked about the subject again only when a directory event came
   * since: LogVerifier.hasLeaf.) `checkpoint`: the newest checkpoint note
   * the hub sent along with the message being opened, asked of instead of
   * one asked for (LogVerifier.offer).
   */
  member(memberId: string, ref?: ProtocolRef, checkpoint?: string): Promise<MemberCertificate> {
    return this.shared(`member ${memberId} ${ref ? `${ref.id}@${ref.version}` : ''} ${checkpoint ?? ''}`, () => this.askMember(memberId, ref, checkpoint));
  }

  /** The answer of the same look-up already under way, or a new one. */
  private shared<T>(key: string, ask: () => Promise<T>): Promise<T> {
    const pending = this.asking.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const asked = ask().finally(() => this.asking.delete(key));
    this.asking.set(key, asked);
    return asked;
  }

  private async askMember(memberId: string, ref?: ProtocolRef, checkpoint?: string): Promise<MemberCertificate> {
    const cached = this.memberCache.get(memberId);
    if (cached && ref) await this.anchoredRoot(cached.doc.agency, ref);
    const newest = checkpoint ? await this.log.offer(checkpoint) : 0;
    // A certificate already checked never changes (a new device is a new member): only its revocation is
    // asked again, of the newest checkpoint. A client that cannot read the log's records asks the hub.
    if (cached && this.log.readsRecords) {
      if (await this.log.hasLeaf('key.member_revoked', memberId, newest)) throw new DirectoryError('MEMBER_REVOKED', `member ${memberId} was revoked`);
      return cached.doc;
    }
    const res = await this.http.get(routePath(ROUTES.member, { member: memberId }), MemberViewSchema);
    if (res.revokedAt || (await this.log.hasLeaf('key.member_revoked', memberId, newest))) {
      throw new DirectoryError('MEMBER_REVOKED', `member ${memberId} was revoked`);
    }
    if (cached) return cached.doc;
    const doc = await this.verified('member-certificate', res.certificate, ref);
    if (doc.member !== memberId) throw new DirectoryError('CERTIFICATE_INVALID', 'member certificate names another member');
    await this.inLog('key.member_registered', memberId, { member: memberId, signingKey: doc.signingKey, certificateHash: documentHash(this.sha256, res.certificate) });
    this.memberCache.set(memberId, { doc });
    return doc;
  }
}
