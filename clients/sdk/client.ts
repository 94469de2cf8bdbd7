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
import type { EscalationProgress } from '../../protocol/escalation-chain.js';
import { buildEnvelope, headerHash, openEnvelope, verifyEnvelope, type EnvelopeRecipient } from '../../protocol/envelope.js';
import { unwrapInboxKey } from '../../protocol/inbox-keys.js';
import { scoreAssessment, verifyAssessmentLevel, type Assessment, type AssessmentError, type Instrument } from '../../protocol/instrument.js';
import { EnvelopeSchema, type Envelope, type EnvelopeHeader, type InboxCertificate, type MemberCertificate, type Receipt, type ReceiptKind, type SignedDocument } from '../../protocol/schemas.js';
import { signDocument, verifyDocument } from '../../protocol/signing.js';
import { loadSodium } from '../../protocol/sodium.js';
import { MESSAGE_TYPE_URGENCY } from '../../protocol/vocabulary.js';
import type { ConsentInput, ConsentView } from './protocols.js';
import { Directory, DirectoryError, type PinStore } from './directory.js';
import { AuthMetadataSchema, TokenResponseSchema, type TokenRequest } from '../../protocol/api/auth.js';
import { ConsentListSchema, type ConsentQuery } from '../../protocol/api/catalogue.js';
import { MyInboxKeysSchema } from '../../protocol/api/identity.js';
import { AcceptanceProofSchema, type AcceptanceProof } from '../../protocol/api/log.js';
import { MessageAcceptedSchema, MessageStatusSchema, ReceiptStoredSchema, type MessageAccepted, type MessageStatus } from '../../protocol/api/messages.js';
import { ROUTES, routePath } from '../../protocol/api/routes.js';
import { ConsentViewSchema } from '../../protocol/consent.js';
import { EscalationProgressSchema } from '../../protocol/escalation-chain.js';
import { HubHttp, VigieApiError } from './http.js';
import { LogVerifier, type LogTrust } from './log-verifier.js';
import { decodePair, type MemberKeys } from './keys.js';
import { VigieStream, type StreamOptions } from './stream.js';

export type { EscalationProgress } from '../../protocol/escalation-chain.js';

export interface ClientOptions {
  url: string;
  keys: MemberKeys;
  lang?: 'fr' | 'en';
  /**
   * Pinned agency root keys (agency id → base64url), the device's own agency's
   * first: it is what every protocol this device sends under must carry the
   * signature of. Taken on first use (and proven in the log) when absent.
   */
  pinnedRoots?: Record<string, string>;
  /** Keeps the pins between runs (`filePinStore` in Node; the console keeps them in the browser). */
  pinStore?: PinStore;
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
  /** When the hub accepted it (known when it came from the stream). */
  acceptedAt?: string;
}

export interface VerifiedReceipt {
  receipt: Receipt;
  signer: MemberCertificate;
}

/** Where each recipient of a message stands (GET /v1/messages/:id/status). */
export type { MessageStatus } from '../../protocol/api/messages.js';

interface InboxAccess {
  /** The current certificate: what senders encrypt to now. */
  certificate: InboxCertificate;
  keys: KeyPair;
  /** Keys of earlier versions this device was given: they still open earlier messages. */
  previous: KeyPair[];
}

/** How long a client seals without key versions once a hub refused them (a hub instance older than them, during an upgrade). */
const UNVERSIONED_MS = 5 * 60_000;

/** The answer of a hub older than key versions to a wrap that names one: its schema allows no other member there. */
function refusesKeyVersions(err: VigieApiError): boolean {
  return (
    err.status === 400 &&
    err.code === 'INVALID_REQUEST' &&
    Array.isArray(err.details) &&
    err.details.some((d: unknown) => typeof (d as { path?: unknown })?.path === 'string' && /^\/header\/wraps\/\d+$/.test((d as { path: string }).path))
  );
}

export class VigieClient {
  readonly http: HubHttp;
  readonly directory: Directory;
  readonly log: LogVerifier;
  private token: { value: string; expiresAt: number } | null = null;
  private audience: string | null = null;
  private inboxAccess: Map<string, InboxAccess> | null = null;
  /** Until then, this client seals without key versions (see refusesKeyVersions). */
  private unversionedUntil = 0;
  private readonly sentHeaders = new Map<string, EnvelopeHeader>();
  /** `delivered` receipts the stream is sending, by message and inbox (see deliveredOnItsWay). */
  private readonly deliveredSending = new Map<string, Promise<unknown>>();
  private readonly signing: KeyPair;
  private readonly encryption: KeyPair;

  private constructor(
    readonly crypto: CryptoPort,
    readonly options: ClientOptions,
  ) {
    this.http = new HubHttp(options.url, options.lang ?? 'fr');
    this.log = new LogVerifier(this.http, crypto, options.log ?? {}, () => this.accessToken());
    this.directory = new Directory(this.http, crypto, this.log, {
      ownAgency: options.keys.agency,
      ...(options.pinnedRoots ? { pinnedRoots: options.pinnedRoots } : {}),
      ...(options.pinStore ? { pinStore: options.pinStore } : {}),
    });
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
    this.audience ??= (await this.http.get(ROUTES.authMetadata, AuthMetadataSchema)).audience;
    const assertion = createClientAssertion(this.crypto, {
      member: this.memberId,
      audience: this.audience,
      signingSecretKey: this.signing.secretKey,
    });
    const request: TokenRequest = { grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
    const res = await this.http.post(ROUTES.authToken, request, TokenResponseSchema);
    this.token = { value: res.access_token, expiresAt: Date.now() + res.expires_in * 1000 };
    return res.access_token;
  }

  /**
   * The inboxes this device reads, with their keys unsealed and checked
   * against their certificates: the current key of each (its certificate
   * proven in the log) and the earlier ones it was given.
   */
  async inboxes(): Promise<Map<string, InboxAccess>> {
    if (this.inboxAccess) return this.inboxAccess;
    const rows = await this.http.get(ROUTES.myInboxKeys, MyInboxKeysSchema, await this.accessToken());
    const access = new Map<string, InboxAccess>();
    const ownRoot = await this.directory.rootKey(this.agency);
    for (const row of [...rows].sort((a, b) => b.keyVersion - a.keyVersion)) {
      const current = access.get(row.inbox);
      // The newest is proven in the log; earlier ones only open old messages: their own agency's signature suffices.
      const certificate = current
        ? verifyDocument(this.crypto, 'inbox-certificate', row.certificate, ownRoot) && row.certificate.document.inbox === row.inbox
          ? row.certificate.document
          : null
        : await this.directory.verifyInboxCertificate(row.certificate);
      if (!certificate || certificate.agency !== this.agency) continue;
      const publicKey = fromB64u(certificate.encryptionKey);
      const keys = { publicKey, secretKey: unwrapInboxKey(this.crypto, row.wrappedKey, this.encryption, publicKey) };
      if (current) current.previous.push(keys);
      else access.set(row.inbox, { certificate, keys, previous: [] });
    }
    this.inboxAccess = access;
    return access;
  }

  /** Forgets the inbox keys read so far (after an administrator rotated one). */
  forgetInboxKeys(): void {
    this.inboxAccess = null;
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
    if (input.assessment) this.scoreAssessment(input.assessment);
    // Only to inboxes certified by a root key the protocol names, a protocol this device's own agency signed.
    const protocol = input.protocol;
    if (!protocol) throw new DirectoryError('PROTOCOL_REQUIRED', 'a message names the protocol it is sent under: its recipients\' keys are anchored in it');
    // Each wrap names its key's version, unless the hub is older than key versions (it refuses them): then
    // each certificate is read just before sealing, as such a hub's clients did.
    const sealed = async (id?: string) => {
      const versions = Date.now() >= this.unversionedUntil;
      if (!versions) for (const inbox of input.recipients) this.directory.forgetInbox(inbox);
      const recipients = await Promise.all(input.recipients.map((inbox) => this.directory.recipient(inbox, protocol)));
      return this.seal(id ? { ...input, id } : input, versions ? recipients : recipients.map(({ keyVersion: _, ...r }) => r));
    };
    let envelope = await sealed();
    let res: MessageAccepted;
    try {
      res = await this.http.post(ROUTES.messages, envelope, MessageAcceptedSchema, await this.accessToken());
    } catch (err) {
      if (!(err instanceof VigieApiError)) throw err;
      if (err.code === 'INBOX_KEY_ROTATED' || err.code === 'KEY_VERSION_UNKNOWN') {
        // The hub's key of an inbox is not the one read (nothing was stored): a rotation since, or a table rolled
        // back, which reading the keys again refuses (KEY_ROLLED_BACK).
        for (const inbox of input.recipients) this.directory.forgetInbox(inbox);
        this.forgetInboxKeys();
      } else if (refusesKeyVersions(err)) this.unversionedUntil = Date.now() + UNVERSIONED_MS;
      else throw err;
      // Sealed again, same id: nothing of the first was stored.
      envelope = await sealed(envelope.header.id);
      res = await this.http.post(ROUTES.messages, envelope, MessageAcceptedSchema, await this.accessToken());
    }
    // Its receipts are checked against this exact header.
    this.sentHeaders.set(envelope.header.id, envelope.header);
    return { ...res, envelope };
  }

  /**
   * Builds the signed, encrypted envelope of `input` for recipient keys the
   * caller vouches for. `send` passes only keys anchored in the protocol; use
   * this directly only where the keys were checked otherwise.
   */
  async seal(input: SendInput, recipients: EnvelopeRecipient[]): Promise<Envelope> {
    const assessment = input.assessment ? this.scoreAssessment(input.assessment) : undefined;
    const inboxes = await this.inboxes();
    const fromInbox = input.fromInbox ?? [...inboxes.keys()][0];
    const own = fromInbox ? inboxes.get(fromInbox) : undefined;
    if (!fromInbox || !own) throw new Error('this device reads no inbox to send from');
    return buildEnvelope(this.crypto, {
      ...(input.id ? { id: input.id } : {}),
      type: input.type,
      urgency: input.urgency ?? MESSAGE_TYPE_URGENCY[input.type].default,
      sender: { agency: this.agency, member: this.memberId, inbox: fromInbox },
      senderInboxKey: own.keys.publicKey,
      // Every wrap names its key's version, or none does (recipients given without, for a hub older than key versions).
      ...(recipients.every((r) => r.keyVersion !== undefined) ? { senderInboxKeyVersion: own.certificate.keyVersion } : {}),
      recipients,
      content: input.assessment ? withAssessment(input.content, input.assessment) : input.content,
      dataCategories: input.dataCategories ?? [],
      ...(assessment ? { assessment } : {}),
      ...(input.protocol ? { protocol: input.protocol } : {}),
      ...(input.legalBasis ? { legalBasis: input.legalBasis } : {}),
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      signingSecretKey: this.signing.secretKey,
    });
  }

  /** Re-submits an envelope as is (same id): the hub accepts it once. */
  async resubmit(envelope: Envelope) {
    return this.http.post(ROUTES.messages, envelope, MessageAcceptedSchema, await this.accessToken());
  }

  /**
   * Verifies the sender's certificate and signature, then decrypts for one of
   * this device's inboxes. `checkpoint`: the newest checkpoint note the hub
   * pushed with the message; the sender's revocation is asked of it rather
   * than of one fetched now.
   */
  async open(envelope: Envelope, inbox?: string, checkpoint?: string): Promise<OpenedMessage> {
    const inboxes = await this.inboxes();
    const target = inbox ?? envelope.header.wraps.map((w) => w.inbox).find((i) => inboxes.has(i));
    const access = target ? inboxes.get(target) : undefined;
    if (!target || !access) throw new Error('no inbox of this device can open this message');
    // The sender's root key, anchored in the protocol the message names (one this device's agency signed).
    const sender = await this.directory.member(envelope.header.sender.member, envelope.header.protocol, checkpoint);
    if (sender.agency !== envelope.header.sender.agency) throw new Error('sender agency does not match its certificate');
    const { header, content } = this.openWithAnyKey(envelope, target, access, fromB64u(sender.signingKey));
    const assessmentCheck = checkAssessment(header, content, this.options.instruments ?? []);
    return { id: header.id, header, content, sender, inbox: target, envelope, ...(assessmentCheck ? { assessmentCheck } : {}) };
  }

  /** Opens with the inbox's current key, else with an earlier one (a message sent before a rotation). */
  private openWithAnyKey(envelope: Envelope, inbox: string, access: InboxAccess, senderSigningKey: Uint8Array) {
    const keys = [access.keys, ...access.previous];
    for (let i = 0; ; i++) {
      try {
        return openEnvelope(this.crypto, envelope, { inbox, inboxPublicKey: keys[i]!.publicKey, inboxSecretKey: keys[i]!.secretKey, senderSigningKey });
      } catch (err) {
        if (i === keys.length - 1) throw err;
      }
    }
  }

  async fetchEnvelope(id: string): Promise<Envelope> {
    return this.http.get(routePath(ROUTES.message, { id }), EnvelopeSchema, await this.accessToken());
  }

  /** Signs and sends a receipt: `delivered` (this device has it) or `acknowledged` (a person read it). */
  async receipt(opened: Pick<OpenedMessage, 'header' | 'inbox'> & { acceptedAt?: string }, kind: ReceiptKind): Promise<{ stored: boolean }> {
    // `delivered` before `acknowledged`: a delivered receipt the stream is still sending is waited for (whatever its outcome).
    if (kind === 'acknowledged') await this.deliveredSending.get(`${opened.header.id} ${opened.inbox}`)?.catch(() => {});
    const document: Receipt = {
      type: 'receipt',
      v: 1,
      kind,
      message: opened.header.id,
      headerHash: toB64u(headerHash(this.crypto, opened.header)),
      inbox: opened.inbox,
      member: this.memberId,
      // The hub records its own clock; a signed time before the message's acceptance is refused.
      at: new Date(Math.max(Date.now(), opened.acceptedAt ? Date.parse(opened.acceptedAt) : 0)).toISOString(),
    };
    const signed = signDocument(this.crypto, 'receipt', document, this.signing.secretKey);
    return this.http.post(routePath(ROUTES.messageReceipts, { id: opened.header.id }), signed, ReceiptStoredSchema, await this.accessToken());
  }

  acknowledge(opened: Pick<OpenedMessage, 'header' | 'inbox'> & { acceptedAt?: string }) {
    return this.receipt(opened, 'acknowledged');
  }

  /**
   * A `delivered` receipt the stream is still retrying (the hub could not
   * store it when the message was shown): an acknowledgement of the same
   * message waits for it, so the hub and the sender always see the device had
   * it before a person read it.
   */
  deliveredOnItsWay(opened: Pick<OpenedMessage, 'header' | 'inbox'>, sending: Promise<unknown>): void {
    const key = `${opened.header.id} ${opened.inbox}`;
    this.deliveredSending.set(key, sending);
    void sending.finally(() => {
      if (this.deliveredSending.get(key) === sending) this.deliveredSending.delete(key);
    });
  }

  /**
   * The signed header of a message this device's agency sent, checked against
   * its sender's certified key: what a receipt for it must match. Remembered.
   */
  async sentHeader(id: string): Promise<EnvelopeHeader> {
    const known = this.sentHeaders.get(id);
    if (known) return known;
    const envelope = await this.fetchEnvelope(id);
    const header = envelope.header;
    if (header.id !== id || header.sender.agency !== this.agency) throw new Error('not a message this agency sent');
    const sender = await this.directory.member(header.sender.member, header.protocol);
    if (sender.agency !== this.agency || !verifyEnvelope(this.crypto, envelope, fromB64u(sender.signingKey))) throw new Error('the stored message does not carry its sender’s signature');
    if (this.sentHeaders.size >= 1000) this.sentHeaders.clear();
    this.sentHeaders.set(id, header);
    return header;
  }

  /**
   * Checks a receipt for a message this agency sent: signed by a device of
   * the agency that owns the inbox, certified under the root key the
   * message's protocol names, for an inbox the message was addressed to, and
   * for this exact header. Anything else is no acknowledgement at all.
   */
  async verifyReceipt(signed: SignedDocument<Receipt>, header?: EnvelopeHeader): Promise<VerifiedReceipt> {
    const doc = signed.document;
    const h = header ?? (await this.sentHeader(doc.message));
    const signer = await this.directory.member(doc.member, h.protocol);
    const valid =
      doc.message === h.id &&
      doc.headerHash === toB64u(headerHash(this.crypto, h)) &&
      h.recipients.includes(doc.inbox) &&
      doc.inbox.startsWith(`${signer.agency}/`) &&
      signer.inboxes.includes(doc.inbox) &&
      verifyDocument(this.crypto, 'receipt', signed, fromB64u(signer.signingKey));
    if (!valid) throw new Error('receipt signature invalid');
    return { receipt: doc, signer };
  }

  /** The hub's proof that it accepted a message: the log leaf and a C2SP tlog-proof bundle (verify offline with verifyAcceptanceProof). */
  async fetchAcceptanceProof(id: string): Promise<AcceptanceProof> {
    return this.http.get(routePath(ROUTES.acceptanceProof, { id }), AcceptanceProofSchema, await this.accessToken());
  }

  async status(id: string): Promise<MessageStatus> {
    return this.http.get(routePath(ROUTES.messageStatus, { id }), MessageStatusSchema, await this.accessToken());
  }

  /**
   * Where each awaited acknowledgement of a message stands (deadline, the
   * escalation steps reached, acknowledged or exhausted): for the sender's
   * agency, the recipient's, and the escalation inboxes the chain notified.
   */
  async escalation(id: string): Promise<EscalationProgress> {
    return this.http.get(routePath(ROUTES.messageEscalation, { id }), EscalationProgressSchema, await this.accessToken());
  }

  /**
   * Records a victim's consent for this device's agency: pseudonymous case
   * reference, recipient agencies, purposes, data categories, validity and the
   * SHA-256 of the signed evidence (which stays with the agency).
   */
  async recordConsent(input: ConsentInput): Promise<ConsentView> {
    return this.http.post(ROUTES.consents, input, ConsentViewSchema, await this.accessToken());
  }

  /** Revokes a consent at once: every later message under it is refused. */
  async revokeConsent(id: string): Promise<ConsentView> {
    return this.http.post(routePath(ROUTES.consentRevocation, { id }), {}, ConsentViewSchema, await this.accessToken());
  }

  async consents(filter: ConsentQuery = {}): Promise<ConsentView[]> {
    return this.http.get(routePath(ROUTES.consents, {}, { case: filter.case, state: filter.state }), ConsentListSchema, await this.accessToken());
  }

  /** Opens the live stream of this device's inboxes (reconnects and resumes by itself). */
  stream(options: Omit<StreamOptions, 'client'> = {}): VigieStream {
    return new VigieStream({ ...options, client: this });
  }
}
