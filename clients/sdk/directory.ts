/**
 * The key directory as a client sees it: agency root keys, inbox keys and
 * member keys, each checked against the agency root key before use.
 *
 * Every key is trusted only once its key-event leaf is included in a
 * checkpoint the client verified (LogVerifier): the hub cannot serve one key
 * to one client and another to the next without the log showing it. Root
 * keys are also pinned: one that later differs from the pinned one is refused.
 *
 * @example
 * const dir = new Directory(http, crypto, new LogVerifier(http, crypto, { logKey }), { 'police-laval': rootKeyB64u });
 * const key = await dir.inboxKey('police-laval/dispatch');
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import type { InboxCertificate, MemberCertificate, SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { HubHttp } from './http.js';
import { documentHash, LogVerificationError, type LogVerifier } from './log-verifier.js';

export class DirectoryError extends Error {
  constructor(
    readonly code: 'ROOT_KEY_CHANGED' | 'CERTIFICATE_INVALID' | 'MEMBER_REVOKED' | 'KEY_NOT_IN_LOG',
    message: string,
  ) {
    super(message);
  }
}

export class Directory {
  private readonly inboxCache = new Map<string, InboxCertificate>();
  private readonly memberCache = new Map<string, MemberCertificate>();
  private readonly verifiedRoots = new Set<string>();

  constructor(
    private readonly http: HubHttp,
    private readonly crypto: CryptoPort,
    readonly log: LogVerifier,
    /** agency id → base64url Ed25519 root key; filled on first use when absent. */
    readonly pinnedRoots: Record<string, string> = {},
  ) {}

  /** Checks that the log's leaf for this key event names exactly this key and document. */
  private async inLog(kind: string, subject: string, fields: Record<string, unknown>): Promise<void> {
    try {
      await this.log.proveLeaf(kind, subject, (leaf) => Object.entries(fields).every(([k, v]) => leaf[k] === v));
    } catch (err) {
      if (err instanceof LogVerificationError && (err.code === 'LEAF_NOT_INCLUDED' || err.code === 'LEAF_MISMATCH')) {
        throw new DirectoryError('KEY_NOT_IN_LOG', `${subject}: ${err.message}`);
      }
      throw err;
    }
  }

  async rootKey(agency: string): Promise<Uint8Array> {
    const pinned = this.pinnedRoots[agency];
    const fetched = await this.http.get<{ rootKey: string; registration: unknown }>(`/v1/agencies/${encodeURIComponent(agency)}`);
    if (pinned && pinned !== fetched.rootKey) {
      throw new DirectoryError('ROOT_KEY_CHANGED', `the root key of ${agency} differs from the pinned one`);
    }
    if (!this.verifiedRoots.has(agency)) {
      await this.inLog('key.agency_registered', agency, { rootKey: fetched.rootKey, registrationHash: documentHash(this.crypto, fetched.registration) });
      this.verifiedRoots.add(agency);
    }
    this.pinnedRoots[agency] = fetched.rootKey;
    return fromB64u(fetched.rootKey);
  }

  private async verified<T extends { agency: string }>(
    context: 'inbox-certificate' | 'member-certificate',
    signed: SignedDocument<T>,
  ): Promise<T> {
    const root = await this.rootKey(signed.document.agency);
    if (!verifyDocument(this.crypto, context, signed, root)) {
      throw new DirectoryError('CERTIFICATE_INVALID', `certificate not signed by the root key of ${signed.document.agency}`);
    }
    return signed.document;
  }

  /** Checks an inbox certificate (root-key signature and log inclusion), e.g. one held with its sealed key. */
  async verifyInboxCertificate(signed: SignedDocument<InboxCertificate>): Promise<InboxCertificate> {
    const doc = await this.verified('inbox-certificate', signed);
    await this.inLog('key.inbox_registered', doc.inbox, { encryptionKey: doc.encryptionKey, certificateHash: documentHash(this.crypto, signed) });
    return doc;
  }

  async inbox(inboxId: string): Promise<InboxCertificate> {
    const cached = this.inboxCache.get(inboxId);
    if (cached) return cached;
    const res = await this.http.get<{ certificate: SignedDocument<InboxCertificate> }>(`/v1/inboxes/${inboxId}`);
    const doc = await this.verifyInboxCertificate(res.certificate);
    if (doc.inbox !== inboxId) throw new DirectoryError('CERTIFICATE_INVALID', 'inbox certificate names another inbox');
    this.inboxCache.set(inboxId, doc);
    return doc;
  }

  async inboxKey(inboxId: string): Promise<Uint8Array> {
    return fromB64u((await this.inbox(inboxId)).encryptionKey);
  }

  /** A member's certificate, verified; refused once revoked. */
  async member(memberId: string): Promise<MemberCertificate> {
    const cached = this.memberCache.get(memberId);
    if (cached) return cached;
    const res = await this.http.get<{ certificate: SignedDocument<MemberCertificate>; revokedAt: string | null }>(`/v1/members/${memberId}`);
    const doc = await this.verified('member-certificate', res.certificate);
    if (doc.member !== memberId) throw new DirectoryError('CERTIFICATE_INVALID', 'member certificate names another member');
    if (res.revokedAt || (await this.log.hasLeaf('key.member_revoked', memberId))) {
      throw new DirectoryError('MEMBER_REVOKED', `member ${memberId} was revoked`);
    }
    await this.inLog('key.member_registered', memberId, { signingKey: doc.signingKey, certificateHash: documentHash(this.crypto, res.certificate) });
    this.memberCache.set(memberId, doc);
    return doc;
  }
}
