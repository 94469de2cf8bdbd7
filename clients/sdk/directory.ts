/**
 * The key directory as a client sees it: agency root keys, inbox keys and
 * member keys, each checked against the agency root key before use.
 *
 * Root keys are pinned on first use (or given up front); a root key that
 * later differs from the pinned one is refused. The disclosure-log issue
 * replaces first use by inclusion in a verified checkpoint.
 *
 * @example
 * const dir = new Directory(http, crypto, { 'police-laval': rootKeyB64u });
 * const key = await dir.inboxKey('police-laval/dispatch');
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { fromB64u } from '../../protocol/encoding.js';
import type { InboxCertificate, MemberCertificate, SignedDocument } from '../../protocol/schemas.js';
import { verifyDocument } from '../../protocol/signing.js';
import type { HubHttp } from './http.js';

export class DirectoryError extends Error {
  constructor(
    readonly code: 'ROOT_KEY_CHANGED' | 'CERTIFICATE_INVALID' | 'MEMBER_REVOKED',
    message: string,
  ) {
    super(message);
  }
}

export class Directory {
  private readonly inboxCache = new Map<string, InboxCertificate>();
  private readonly memberCache = new Map<string, MemberCertificate>();

  constructor(
    private readonly http: HubHttp,
    private readonly crypto: CryptoPort,
    /** agency id → base64url Ed25519 root key; filled on first use when absent. */
    readonly pinnedRoots: Record<string, string> = {},
  ) {}

  async rootKey(agency: string): Promise<Uint8Array> {
    const pinned = this.pinnedRoots[agency];
    const fetched = await this.http.get<{ rootKey: string }>(`/v1/agencies/${encodeURIComponent(agency)}`);
    if (pinned && pinned !== fetched.rootKey) {
      throw new DirectoryError('ROOT_KEY_CHANGED', `the root key of ${agency} differs from the pinned one`);
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

  /** Checks an inbox certificate the caller already holds (e.g. with its sealed key). */
  async verifyInboxCertificate(signed: SignedDocument<InboxCertificate>): Promise<InboxCertificate> {
    return this.verified('inbox-certificate', signed);
  }

  async inbox(inboxId: string): Promise<InboxCertificate> {
    const cached = this.inboxCache.get(inboxId);
    if (cached) return cached;
    const res = await this.http.get<{ certificate: SignedDocument<InboxCertificate> }>(`/v1/inboxes/${inboxId}`);
    const doc = await this.verified('inbox-certificate', res.certificate);
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
    if (res.revokedAt) throw new DirectoryError('MEMBER_REVOKED', `member ${memberId} was revoked`);
    this.memberCache.set(memberId, doc);
    return doc;
  }
}
