/**
 * The member-device client: authenticates with its device key, encrypts and
 * signs envelopes, opens and verifies what it receives, signs receipts.
 *
 * @example
 * const client = await VigieClient.connect({ url: 'http://127.0.0.1:8080', keys });
 * const { id } = await client.send({ type: 'danger_alert', urgency: 'immediate',
 *   recipients: ['police-laval/dispatch'], content: { text: 'Menace de mort' } });
 * const status = await client.status(id);
 *
 * // With a risk assessment: the level is signed in the header, the answers travel encrypted.
 * const grid = await VigieClient.connect({ url, keys, instruments: [grilleCommune] });
 * await grid.send({ ...alert, assessment });       // header.assessment = { instrument, version, level }
 * const opened = await officer.open(envelope);    // opened.assessmentCheck.matches: recomputed = signed
 */
import { createClientAssertion, CLIENT_ASSERTION_TYPE } from '../../protocol/client-assertion.js';
import type { CryptoPort, KeyPair } from '../../protocol/crypto-port.js';
import { fromB64u, toB64u } from '../../protocol/encoding.js';
import { buildEnvelope, headerHash, openEnvelope } from '../../protocol/envelope.js';
import { unwrapInboxKey } from '../../protocol/inbox-keys.js';
import { scoreAssessment, verifyAssessmentLevel, type Assessment, type AssessmentError, type Instrument } from '../../protocol/instrument.js';
import type { Envelope, EnvelopeHeader, InboxCertificate, MemberCertificate, Receipt, ReceiptKind, SignedDocument } from '../../protocol/schemas.js';
import { signDocument, verifyDocument } from '../../protocol/signing.js';
import { loadSodium } from '../../protocol/sodium.js';
import { MESSAGE_TYPE_URGENCY } from '../../protocol/vocabulary.js';
import type { ConsentInput, ConsentView } from './protocols.js';
import type { ReceiptFile } from './audit.js';
import { Directory } from './directory.js';
import { HubHttp } from './http.js';
import { LogVerifier, type LogTrust } from './log-verifier.js';
import { decodePair, type MemberKeys } from './keys.js';
import { VigieStream, type StreamOptions } from './stream.js';

export interface ClientOptions {
  url: string;
  keys: MemberKeys;
  lang?: 'fr' | 'en';
  /** Pinned agency root keys (agency id → base64url). */
  pinnedRoots?: Record<string, string>;
  /** How this client trusts the disclosure log (log key, witnesses, quorum). */
  log?: LogTrust;
  /**
   * The risk instruments this device knows (config/instruments): an assessment
   * is scored with them before it is sent, and recomputed with them when one
   * is received. Never fetched from the hub: the recipient's check must not
   * rest on the hub's word.
   */
  instruments?: Instrument[];
}

export interface SendInput {
  type: EnvelopeHeader['type'];
  /** The message type's default urgency when absent (protocol/vocabulary.ts). */
  urgency?: EnvelopeHeader['urgency'];
  recipients: string[];
  content: unknown;
  /** The sender's inbox; defaults to the first inbox of the device. */
  fromInbox?: string;
  dataCategories?: string[];
  protocol?: EnvelopeHeader['protocol'];
  legalBasis?: EnvelopeHeader['legalBasis'];
  replyTo?: string;
  id?: string;
  /**
   * A filled risk assessment: scored with the client's instrument, carried in
   * the encrypted content as `content.assessment`, its instrument, version and
   * final level signed in the header.
   */
  assessment?: Assessment;
}

/** The recipient's check of an attached assessment: the level recomputed from the answers against the signed one. */
export interface AssessmentCheck {
  instrument: string;
  version: number;
  /** The level the sender signed in the header. */
  signedLevel: string;
  /** The level recomputed on this device from `content.assessment`, or null when it could not be. */
  recomputedLevel: string | null;
  matches: boolean;
  /** Why there is no recomputed level: `INSTRUMENT_UNKNOWN`, `ASSESSMENT_MISSING` or a scoring error (protocol/instrument.ts). */
  error?: string;
}

/** Why an assessment was refused on this device, before anything was sent. */
export class AssessmentRefusedError extends Error {
  constructor(
    readonly code: 'INSTRUMENT_UNKNOWN' | AssessmentError,
    readonly detail: string,
  ) {
    super(`assessment refused: ${code} (${detail})`);
    this.name = 'AssessmentRefusedError';
  }
}

/**
 * The content as it is encrypted with an assessment: an object keeps its
 * fields and gains `assessment`; a string becomes `{ text, assessment }`;
 * anything else `{ content, assessment }`.
 *
 * @example
 * withAssessment({ text: 'Menace de mort' }, a) // { text: 'Menace de mort', assessment: a }
 */
export function withAssessment(content: unknown, assessment: Assessment): Record<string, unknown> {
  if (content !== null && typeof content === 'object' && !Array.isArray(content)) return { ...(content as Record<string, unknown>), assessment };
  if (typeof content === 'string') return { text: content, assessment };
  return content === undefined ? { assessment } : { content, assessment };
}

/**
 * Recomputes the level of a received assessment with these instruments and
 * compares it with the signed one; null when the header carries none. Never
 * throws: a mismatch is a warning to show with the message.
 *
 * @example
 * const check = checkAssessment(opened.header, opened.content, instruments);
 * if (check && !check.matches) warn(check.signedLevel, check.recomputedLevel);
 */
export function checkAssessment(header: EnvelopeHeader, content: unknown, instruments: readonly Instrument[]): AssessmentCheck | null {
  const signed = header.assessment;
  if (!signed) return null;
  const base = { instrument: signed.instrument, version: signed.version, signedLevel: signed.level };
  const instrument = instruments.find((i) => i.id === signed.instrument && i.version === signed.version);
  if (!instrument) return { ...base, recomputedLevel: null, matches: false, error: 'INSTRUMENT_UNKNOWN' };
  const assessment = content !== null && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>).assessment : undefined;
  if (assessment === undefined) return { ...base, recomputedLevel: null, matches: false, error: 'ASSESSMENT_MISSING' };
  const check = verifyAssessmentLevel(instrument, assessment, signed);
  return { ...base, recomputedLevel: check.recomputed, matches: check.matches, ...(check.error ? { error: check.error } : {}) };
}

export interface OpenedMessage {
  id: string;
  header: EnvelopeHeader;
  content: unknown;
  /** The verified certificate of the device that signed it. */
  sender: MemberCertificate;
  inbox: string;
  envelope: Envelope;
  /** Present whenever the header carries an assessment: the level recomputed on this device, and whether it matches. */
  assessmentCheck?: AssessmentCheck;
}

export interface VerifiedReceipt {
  receipt: Receipt;
  signer: MemberCertificate;
}

export interface MessageStatus {
  id: string;
  type: string;
  acceptedAt: string;
  recipients: {
    inbox: string;
    state: 'accepted' | 'pushed' | 'delivered' | 'acknowledged';
    deliveredAt: string | null;
    deliveredBy: string | null;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
  }[];
}

interface InboxAccess {
  certificate: InboxCertificate;
  keys: KeyPair;
}

export class VigieClient {
  readonly http: HubHttp;
  readonly directory: Directory;
  readonly log: LogVerifier;
  private token: { value: string; expiresAt: number } | null = null;
  private audience: string | null = null;
  private inboxAccess: Map<string, InboxAccess> | null = null;
  private readonly signing: KeyPair;
  private readonly encryption: KeyPair;

  private constructor(
    readonly crypto: CryptoPort,
    readonly options: ClientOptions,
  ) {
    this.http = new HubHttp(options.url, options.lang ?? 'fr');
    this.log = new LogVerifier(this.http, crypto, options.log ?? {}, () => this.accessToken());
    this.directory = new Directory(this.http, crypto, this.log, options.pinnedRoots ?? {});
    this.signing = decodePair(options.keys.signing);
    this.encryption = decodePair(options.keys.encryption);
  }

  static async connect(options: ClientOptions): Promise<VigieClient> {
    return new VigieClient(await loadSodium(), options);
  }

  get memberId(): string {
    return this.options.keys.member;
  }
  get agency(): string {
    return this.options.keys.agency;
  }

  /** A valid access token, from a fresh RFC 7523 assertion when the last one is near expiry. */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - Date.now() > 30_000) return this.token.value;
    this.audience ??= (await this.http.get<{ audience: string }>('/v1/auth/metadata')).audience;
    const assertion = createClientAssertion(this.crypto, {
      member: this.memberId,
      audience: this.audience,
      signingSecretKey: this.signing.secretKey,
    });
    const res = await this.http.post<{ access_token: string; expires_in: number }>('/v1/auth/token', {
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    this.token = { value: res.access_token, expiresAt: Date.now() + res.expires_in * 1000 };
    return res.access_token;
  }

  /** The inboxes this device reads, with their keys unsealed and checked against their certificates. */
  async inboxes(): Promise<Map<string, InboxAccess>> {
    if (this.inboxAccess) return this.inboxAccess;
    const rows = await this.http.get<{ inbox: string; wrappedKey: string; certificate: SignedDocument<InboxCertificate> }[]>(
      '/v1/me/inbox-keys',
      await this.accessToken(),
    );
    const access = new Map<string, InboxAccess>();
    for (const row of rows) {
      const certificate = await this.directory.verifyInboxCertificate(row.certificate);
      const publicKey = fromB64u(certificate.encryptionKey);
      const secretKey = unwrapInboxKey(this.crypto, row.wrappedKey, this.encryption, publicKey);
      access.set(row.inbox, { certificate, keys: { publicKey, secretKey } });
    }
    this.inboxAccess = access;
    return access;
  }

  /** The instrument version this device knows, or null. */
  instrument(id: string, version: number): Instrument | null {
    return this.options.instruments?.find((i) => i.id === id && i.version === version) ?? null;
  }

  /**
   * Scores an assessment with this device's instrument: the reference the
   * header signs. Throws AssessmentRefusedError when the instrument is not
   * known here or the assessment does not score (a required item unanswered…).
   */
  scoreAssessment(assessment: Assessment): NonNullable<EnvelopeHeader['assessment']> {
    const ref = (assessment as { instrument?: { id?: unknown; version?: unknown } } | null)?.instrument;
    if (!ref || typeof ref.id !== 'string' || typeof ref.version !== 'number') throw new AssessmentRefusedError('ASSESSMENT_INVALID', '/instrument');
    const instrument = this.instrument(ref.id, ref.version);
    if (!instrument) throw new AssessmentRefusedError('INSTRUMENT_UNKNOWN', `${ref.id}@${ref.version}`);
    const result = scoreAssessment(instrument, assessment);
    if (!result.ok) throw new AssessmentRefusedError(result.error, result.detail);
    return { instrument: instrument.id, version: instrument.version, level: result.level };
  }

  /** Encrypts, signs and submits; resolves once the hub stored it durably (202). */
  async send(input: SendInput): Promise<{ id: string; acceptedAt: string; duplicate: boolean; envelope: Envelope }> {
    // Refused here, before any key is fetched: an assessment that does not score never leaves.
    const assessment = input.assessment ? this.scoreAssessment(input.assessment) : undefined;
    const inboxes = await this.inboxes();
    const fromInbox = input.fromInbox ?? [...inboxes.keys()][0];
    const own = fromInbox ? inboxes.get(fromInbox) : undefined;
    if (!fromInbox || !own) throw new Error('this device reads no inbox to send from');
    const recipients = await Promise.all(input.recipients.map(async (inbox) => ({ inbox, encryptionKey: await this.directory.inboxKey(inbox) })));
    const envelope = buildEnvelope(this.crypto, {
      ...(input.id ? { id: input.id } : {}),
      type: input.type,
      urgency: input.urgency ?? MESSAGE_TYPE_URGENCY[input.type].default,
      sender: { agency: this.agency, member: this.memberId, inbox: fromInbox },
      senderInboxKey: own.keys.publicKey,
      recipients,
      content: input.assessment ? withAssessment(input.content, input.assessment) : input.content,
      dataCategories: input.dataCategories ?? [],
      ...(assessment ? { assessment } : {}),
      ...(input.protocol ? { protocol: input.protocol } : {}),
      ...(input.legalBasis ? { legalBasis: input.legalBasis } : {}),
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      signingSecretKey: this.signing.secretKey,
    });
    const res = await this.http.post<{ id: string; acceptedAt: string; duplicate: boolean }>('/v1/messages', envelope, await this.accessToken());
    return { ...res, envelope };
  }

  /** Re-submits an envelope as is (same id): the hub accepts it once. */
  async resubmit(envelope: Envelope) {
    return this.http.post<{ id: string; acceptedAt: string; duplicate: boolean }>('/v1/messages', envelope, await this.accessToken());
  }

  /** Verifies the sender's certificate and signature, then decrypts for one of this device's inboxes. */
  async open(envelope: Envelope, inbox?: string): Promise<OpenedMessage> {
    const inboxes = await this.inboxes();
    const target = inbox ?? envelope.header.wraps.map((w) => w.inbox).find((i) => inboxes.has(i));
    const access = target ? inboxes.get(target) : undefined;
    if (!target || !access) throw new Error('no inbox of this device can open this message');
    const sender = await this.directory.member(envelope.header.sender.member);
    if (sender.agency !== envelope.header.sender.agency) throw new Error('sender agency does not match its certificate');
    const { header, content } = openEnvelope(this.crypto, envelope, {
      inbox: target,
      inboxPublicKey: access.keys.publicKey,
      inboxSecretKey: access.keys.secretKey,
      senderSigningKey: fromB64u(sender.signingKey),
    });
    const assessmentCheck = checkAssessment(header, content, this.options.instruments ?? []);
    return { id: header.id, header, content, sender, inbox: target, envelope, ...(assessmentCheck ? { assessmentCheck } : {}) };
  }

  async fetchEnvelope(id: string): Promise<Envelope> {
    return this.http.get<Envelope>(`/v1/messages/${id}`, await this.accessToken());
  }

  /** Signs and sends a receipt: `delivered` (this device has it) or `acknowledged` (a person read it). */
  async receipt(opened: Pick<OpenedMessage, 'header' | 'inbox'>, kind: ReceiptKind): Promise<{ stored: boolean }> {
    const document: Receipt = {
      type: 'receipt',
      v: 1,
      kind,
      message: opened.header.id,
      headerHash: toB64u(headerHash(this.crypto, opened.header)),
      inbox: opened.inbox,
      member: this.memberId,
      at: new Date().toISOString(),
    };
    const signed = signDocument(this.crypto, 'receipt', document, this.signing.secretKey);
    return this.http.post(`/v1/messages/${opened.header.id}/receipts`, signed, await this.accessToken());
  }

  acknowledge(opened: Pick<OpenedMessage, 'header' | 'inbox'>) {
    return this.receipt(opened, 'acknowledged');
  }

  /** Checks a receipt's signature against its signer's certified key. */
  async verifyReceipt(signed: SignedDocument<Receipt>): Promise<VerifiedReceipt> {
    const signer = await this.directory.member(signed.document.member);
    if (!signer.inboxes.includes(signed.document.inbox) || !verifyDocument(this.crypto, 'receipt', signed, fromB64u(signer.signingKey))) {
      throw new Error('receipt signature invalid');
    }
    return { receipt: signed.document, signer };
  }

  /** The hub's proof that it accepted a message: the log leaf and a C2SP tlog-proof bundle (verify offline with proveReceipt). */
  async fetchReceipt(id: string): Promise<ReceiptFile> {
    return this.http.get<ReceiptFile>(`/v1/messages/${id}/receipt`, await this.accessToken());
  }

  async status(id: string): Promise<MessageStatus> {
    return this.http.get<MessageStatus>(`/v1/messages/${id}/status`, await this.accessToken());
  }

  /**
   * Records a victim's consent for this device's agency: pseudonymous case
   * reference, recipient agencies, purposes, data categories, validity and the
   * SHA-256 of the signed evidence (which stays with the agency).
   */
  async recordConsent(input: ConsentInput): Promise<ConsentView> {
    return this.http.post<ConsentView>('/v1/consents', input, await this.accessToken());
  }

  /** Revokes a consent at once: every later message under it is refused. */
  async revokeConsent(id: string): Promise<ConsentView> {
    return this.http.post<ConsentView>(`/v1/consents/${id}/revocation`, {}, await this.accessToken());
  }

  async consents(filter: { case?: string; state?: ConsentView['state'] } = {}): Promise<ConsentView[]> {
    const q = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]).toString();
    return this.http.get<ConsentView[]>(`/v1/consents${q ? `?${q}` : ''}`, await this.accessToken());
  }

  /** Opens the live stream of this device's inboxes (reconnects and resumes by itself). */
  stream(options: Omit<StreamOptions, 'client'> = {}): VigieStream {
    return new VigieStream({ ...options, client: this });
  }
}
