// Generates tests/vectors/wire-format.json (run once, commit the output):
//   node --import tsx tests/vectors/generate-wire-format.ts
// The unit test tests/unit/protocol/wire-format-vectors.test.ts rebuilds every
// value from the inputs recorded here and compares byte for byte.
import { writeFileSync } from 'node:fs';
import {
  associatedData,
  buildEnvelope,
  canonicalize,
  fromB64u,
  fromUtf8,
  headerHash,
  loadSodium,
  padContent,
  signDocument,
  signingInput,
  toB64u,
  utf8,
  type InboxCertificate,
  type MemberCertificate,
  type Receipt,
  type SigningContext,
} from '../../protocol/index.js';
import { deterministicSealer, sodium } from './deterministic-seal.js';

const crypto = await loadSodium();
const hex = (b: Uint8Array): string => sodium.to_hex(b);
/** Fixed 32-byte seeds: SHA-256 of a label, so anyone can re-derive them. */
const seed = (label: string): Uint8Array => crypto.sha256(utf8(`vigie wire-format vector: ${label}`));

const senderSigning = crypto.signKeypair(seed('sender member signing key'));
const senderInbox = { id: 'shelter-laval/intake', keyVersion: 1, keys: crypto.boxKeypair(seed('sender inbox key')) };
const recipientInbox = { id: 'police-laval/dispatch', keyVersion: 1, keys: crypto.boxKeypair(seed('recipient inbox key')) };
const contentKey = seed('content key');
const nonce = seed('nonce').slice(0, 24);
const ephemeralSeeds = [seed('ephemeral key of wrap 0'), seed('ephemeral key of wrap 1')];

const message = {
  id: '6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b',
  createdAt: '2025-03-14T02:07:00.000Z',
  type: 'danger_alert' as const,
  sender: { agency: 'shelter-laval', member: '0f8fad5b-d9cb-469f-a165-70867728950e', inbox: senderInbox.id },
  urgency: 'immediate' as const,
  protocol: { id: 'shelter-police-laval', version: 3 },
  legalBasis: { code: 'apprehended_danger' as const, reference: 'LAI art. 59.1' },
  dataCategories: ['risk_level', 'contact_details'],
  content: {
    message: 'Appel reçu à 2 h — danger imminent signalé 🚨',
    victimRef: 'case-7f3a',
    riskLevel: 'high',
    score: 27.5,
    callback: '+1-450-555-0142',
  },
};

const sealer = deterministicSealer(ephemeralSeeds);
const envelope = buildEnvelope(crypto, {
  ...message,
  senderInboxKey: senderInbox.keys.publicKey,
  senderInboxKeyVersion: senderInbox.keyVersion,
  recipients: [{ inbox: recipientInbox.id, encryptionKey: recipientInbox.keys.publicKey, keyVersion: recipientInbox.keyVersion }],
  signingSecretKey: senderSigning.secretKey,
  contentKey: contentKey.slice(),
  nonce,
  seal: sealer.seal,
});
const contentCanonical = canonicalize(message.content);
const padded = padContent(utf8(contentCanonical));
const ad = associatedData(envelope.header);

const agencyRoot = (agency: string) => crypto.signKeypair(seed(`${agency} root key`));
const policeMember = crypto.signKeypair(seed('police member signing key'));
const senderMemberBox = crypto.boxKeypair(seed('sender member encryption key'));

function signedVector<T>(context: SigningContext, document: T, signerLabel: string, signer: { publicKey: Uint8Array; secretKey: Uint8Array }) {
  const signed = signDocument(crypto, context, document, signer.secretKey);
  return {
    context,
    signer: signerLabel,
    signerSeed: hex(signer.secretKey.slice(0, 32)),
    signerPublicKey: toB64u(signer.publicKey),
    document,
    canonical: canonicalize(document),
    signingInput: toB64u(signingInput(context, document)),
    signature: signed.signature,
  };
}

const inboxCertificate: InboxCertificate = {
  type: 'inbox',
  v: 1,
  agency: 'police-laval',
  inbox: recipientInbox.id,
  names: { fr: 'Répartition 911', en: '911 Dispatch' },
  encryptionKey: toB64u(recipientInbox.keys.publicKey),
  keyVersion: recipientInbox.keyVersion,
  issuedAt: '2025-01-06T14:00:00.000Z',
};
const memberCertificate: MemberCertificate = {
  type: 'member',
  v: 1,
  agency: 'shelter-laval',
  member: message.sender.member,
  label: 'Poste intervention de nuit',
  signingKey: toB64u(senderSigning.publicKey),
  encryptionKey: toB64u(senderMemberBox.publicKey),
  roles: ['sender', 'receiver'],
  inboxes: [senderInbox.id],
  issuedAt: '2025-01-06T15:30:00.000Z',
};
const receipt: Receipt = {
  type: 'receipt',
  v: 1,
  kind: 'acknowledged',
  message: message.id,
  headerHash: toB64u(headerHash(crypto, envelope.header)),
  inbox: recipientInbox.id,
  member: '9b2d7c4e-1a3f-4b5c-8d6e-7f8091a2b3c4',
  at: '2025-03-14T02:08:12.345Z',
};

const vectors = {
  description:
    'Vigie wire-format known-answer vectors; see docs/wire-format.md ("Test vectors"). Seeds and raw keys are hex where they are inputs, ' +
    'base64url (unpadded) where they appear on the wire. Every seed is SHA-256("vigie wire-format vector: <label>").',
  envelope: {
    inputs: {
      senderSigningSeed: hex(senderSigning.secretKey.slice(0, 32)),
      senderSigningPublicKey: toB64u(senderSigning.publicKey),
      senderInbox: { id: senderInbox.id, keyVersion: senderInbox.keyVersion, seed: hex(seed('sender inbox key')), secretKey: hex(senderInbox.keys.secretKey), publicKey: toB64u(senderInbox.keys.publicKey) },
      recipientInbox: { id: recipientInbox.id, keyVersion: recipientInbox.keyVersion, seed: hex(seed('recipient inbox key')), secretKey: hex(recipientInbox.keys.secretKey), publicKey: toB64u(recipientInbox.keys.publicKey) },
      contentKey: hex(contentKey),
      nonce: hex(nonce),
      seals: ephemeralSeeds.map((s, i) => ({
        inbox: i === 0 ? recipientInbox.id : senderInbox.id,
        ephemeralSeed: hex(s),
        ephemeralPublicKey: toB64u(sealer.traces[i]!.ephemeralPublicKey),
        nonce: hex(sealer.traces[i]!.nonce),
      })),
      message,
    },
    expected: {
      contentCanonical,
      contentCanonicalLength: utf8(contentCanonical).length,
      paddedPlaintextLength: padded.length,
      paddedPlaintext: toB64u(padded),
      wraps: envelope.header.wraps,
      associatedDataText: fromUtf8(ad),
      associatedData: toB64u(ad),
      ciphertext: envelope.ciphertext,
      ciphertextLength: fromB64u(envelope.ciphertext).length,
      contentHash: envelope.header.content.hash,
      canonicalHeader: canonicalize(envelope.header),
      signingInput: toB64u(signingInput('envelope', envelope.header)),
      signature: envelope.signature,
      headerHash: receipt.headerHash,
      envelope,
    },
  },
  signedDocuments: {
    inboxCertificate: signedVector('inbox-certificate', inboxCertificate, 'police-laval root key', agencyRoot('police-laval')),
    memberCertificate: signedVector('member-certificate', memberCertificate, 'shelter-laval root key', agencyRoot('shelter-laval')),
    receipt: signedVector('receipt', receipt, 'police member signing key', policeMember),
  },
};

const out = new URL('./wire-format.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(`wrote ${out.pathname}`);
