// Rebuilds every value of tests/vectors/wire-format.json from its inputs and
// compares byte for byte, on both adapters of the crypto port (libsodium.js
// and sodium-native); checks the deterministic seals with libsodium's own
// crypto_box_seal_open, then opens the envelope as the recipient.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import {
  associatedData,
  buildEnvelope,
  canonicalize,
  EnvelopeSchema,
  fromB64u,
  headerHash,
  InboxCertificateSchema,
  loadLibsodiumJs,
  MemberCertificateSchema,
  openEnvelope,
  padContent,
  ReceiptSchema,
  signDocument,
  signingInput,
  toB64u,
  utf8,
  verifyDocument,
  verifyEnvelope,
  type CryptoPort,
  type SigningContext,
} from '../../../protocol/index.js';
import { loadNativeSodium } from '../../../server/lib/native-sodium.js';
import { deterministicSealer, sodium } from '../../vectors/deterministic-seal.js';

const vectors = JSON.parse(readFileSync(new URL('../../vectors/wire-format.json', import.meta.url), 'utf8'));
const fromHex = (h: string): Uint8Array => sodium.from_hex(h);
const { inputs, expected } = vectors.envelope;

const ADAPTERS: [string, () => Promise<CryptoPort>][] = [
  ['libsodium.js', loadLibsodiumJs],
  ['sodium-native', loadNativeSodium],
];

for (const [adapter, load] of ADAPTERS) {
t.test(adapter, async (t) => {
  const crypto = await load();
  const signing = crypto.signKeypair(fromHex(inputs.senderSigningSeed));
  const senderInbox = crypto.boxKeypair(fromHex(inputs.senderInbox.seed));
  const recipientInbox = crypto.boxKeypair(fromHex(inputs.recipientInbox.seed));
  const contentKey = fromHex(inputs.contentKey);

  t.test('keys derive from the seeds', async (t) => {
    t.equal(toB64u(signing.publicKey), inputs.senderSigningPublicKey);
    t.equal(toB64u(senderInbox.publicKey), inputs.senderInbox.publicKey);
    t.equal(sodium.to_hex(senderInbox.secretKey), inputs.senderInbox.secretKey);
    t.equal(toB64u(recipientInbox.publicKey), inputs.recipientInbox.publicKey);
    t.equal(sodium.to_hex(recipientInbox.secretKey), inputs.recipientInbox.secretKey);
    t.equal(toB64u(crypto.boxPublicKey(fromHex(inputs.recipientInbox.secretKey))), inputs.recipientInbox.publicKey);
  });

  t.test('buildEnvelope reproduces the envelope byte for byte', async (t) => {
    const sealer = deterministicSealer(inputs.seals.map((s: { ephemeralSeed: string }) => fromHex(s.ephemeralSeed)));
    const envelope = buildEnvelope(crypto, {
      ...inputs.message,
      senderInboxKey: senderInbox.publicKey,
      senderInboxKeyVersion: inputs.senderInbox.keyVersion,
      recipients: [{ inbox: inputs.recipientInbox.id, encryptionKey: recipientInbox.publicKey, keyVersion: inputs.recipientInbox.keyVersion }],
      signingSecretKey: signing.secretKey,
      contentKey,
      nonce: fromHex(inputs.nonce),
      seal: sealer.seal,
    });
    t.equal(sodium.to_hex(contentKey), inputs.contentKey, 'the caller’s content key is not wiped');

    const content = utf8(canonicalize(inputs.message.content));
    t.equal(canonicalize(inputs.message.content), expected.contentCanonical);
    t.equal(content.length, expected.contentCanonicalLength);
    t.equal(padContent(content).length, expected.paddedPlaintextLength);
    t.equal(toB64u(padContent(content)), expected.paddedPlaintext);

    t.same(envelope.header.wraps, expected.wraps);
    inputs.seals.forEach((s: { ephemeralPublicKey: string; nonce: string }, i: number) => {
      t.equal(toB64u(sealer.traces[i]!.ephemeralPublicKey), s.ephemeralPublicKey, `epk of wrap ${i}`);
      t.equal(sodium.to_hex(sealer.traces[i]!.nonce), s.nonce, `nonce of wrap ${i}`);
    });
    t.equal(toB64u(associatedData(envelope.header)), expected.associatedData);
    t.equal(new TextDecoder().decode(associatedData(envelope.header)), expected.associatedDataText);
    t.equal(envelope.ciphertext, expected.ciphertext);
    t.equal(fromB64u(envelope.ciphertext).length, expected.ciphertextLength);
    t.equal(envelope.header.content.hash, expected.contentHash);
    t.equal(toB64u(crypto.sha256(fromB64u(expected.ciphertext))), expected.contentHash);
    t.equal(canonicalize(envelope.header), expected.canonicalHeader);
    t.equal(toB64u(signingInput('envelope', envelope.header)), expected.signingInput);
    t.equal(envelope.signature, expected.signature);
    t.equal(toB64u(headerHash(crypto, envelope.header)), expected.headerHash);
    t.equal(canonicalize(envelope), canonicalize(expected.envelope));
  });

  t.test('the deterministic wraps open with libsodium crypto_box_seal_open', async (t) => {
    const keys = [recipientInbox, senderInbox];
    expected.wraps.forEach((wrap: { key: string }, i: number) => {
      const opened = sodium.crypto_box_seal_open(fromB64u(wrap.key), keys[i]!.publicKey, keys[i]!.secretKey);
      t.equal(sodium.to_hex(opened), inputs.contentKey, `wrap ${i}`);
    });
  });

  t.test('the recorded envelope verifies and opens for both inboxes', async (t) => {
    const envelope = expected.envelope;
    t.ok(Value.Check(EnvelopeSchema, envelope), 'matches EnvelopeSchema');
    t.ok(verifyEnvelope(crypto, envelope, signing.publicKey));
    const asRecipient = openEnvelope(crypto, envelope, {
      inbox: inputs.recipientInbox.id,
      inboxPublicKey: recipientInbox.publicKey,
      inboxSecretKey: recipientInbox.secretKey,
      senderSigningKey: signing.publicKey,
    });
    t.same(asRecipient.content, inputs.message.content);
    const asSender = openEnvelope(crypto, envelope, {
      inbox: inputs.senderInbox.id,
      inboxPublicKey: senderInbox.publicKey,
      inboxSecretKey: senderInbox.secretKey,
      senderSigningKey: signing.publicKey,
    });
    t.same(asSender.content, inputs.message.content);
    // Independent decryption with libsodium directly, from the documented bytes.
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      fromB64u(expected.ciphertext),
      fromB64u(expected.associatedData),
      fromHex(inputs.nonce),
      contentKey,
    );
    t.equal(toB64u(padded), expected.paddedPlaintext);
  });

  const schemas = { inboxCertificate: InboxCertificateSchema, memberCertificate: MemberCertificateSchema, receipt: ReceiptSchema };
  for (const [name, schema] of Object.entries(schemas)) {
    t.test(`signed ${name} vector`, async (t) => {
      const v = vectors.signedDocuments[name];
      const signer = crypto.signKeypair(fromHex(v.signerSeed));
      t.equal(toB64u(signer.publicKey), v.signerPublicKey);
      t.ok(Value.Check(schema, v.document), 'document matches its schema');
      t.equal(canonicalize(v.document), v.canonical);
      t.equal(toB64u(signingInput(v.context as SigningContext, v.document)), v.signingInput);
      const signed = signDocument(crypto, v.context as SigningContext, v.document, signer.secretKey);
      t.equal(signed.signature, v.signature, 'Ed25519 is deterministic');
      t.ok(verifyDocument(crypto, v.context as SigningContext, { document: v.document, signature: v.signature }, signer.publicKey));
    });
  }

  t.test('the receipt vector names the envelope vector’s header hash', async (t) => {
    t.equal(vectors.signedDocuments.receipt.document.headerHash, expected.headerHash);
    t.equal(vectors.signedDocuments.memberCertificate.document.signingKey, inputs.senderSigningPublicKey);
    t.equal(vectors.signedDocuments.inboxCertificate.document.encryptionKey, inputs.recipientInbox.publicKey);
  });
});
}
