import t from 'tap';
import {
  contextOfDocument,
  fromB64u,
  fromUtf8,
  loadSodium,
  signDocument,
  signingInput,
  SIGNING_CONTEXTS,
  toB64u,
  verifyDocument,
  type InboxCertificate,
  type Receipt,
} from '../../../protocol/index.js';

const crypto = await loadSodium();
const signer = crypto.signKeypair();
const stranger = crypto.signKeypair();

const receipt: Receipt = {
  type: 'receipt',
  v: 1,
  kind: 'delivered',
  message: '6f1c2a8e-3b4d-4e5f-9a0b-1c2d3e4f5a6b',
  headerHash: toB64u(crypto.sha256(new Uint8Array(1))),
  inbox: 'police-laval/dispatch',
  member: '9b2d7c4e-1a3f-4b5c-8d6e-7f8091a2b3c4',
  at: '2025-03-14T02:08:12.345Z',
};
const certificate: InboxCertificate = {
  type: 'inbox',
  v: 1,
  agency: 'police-laval',
  inbox: 'police-laval/dispatch',
  names: { fr: 'Répartition', en: 'Dispatch' },
  encryptionKey: toB64u(crypto.boxKeypair().publicKey),
  keyVersion: 1,
  issuedAt: '2025-01-06T14:00:00.000Z',
};

t.test('signing input is the context line followed by the canonical document', async (t) => {
  t.equal(fromUtf8(signingInput('receipt', { b: 2, a: 1 })), 'vigie/receipt/v1\n{"a":1,"b":2}');
  for (const context of SIGNING_CONTEXTS) {
    t.ok(fromUtf8(signingInput(context, {})).startsWith(`vigie/${context}/v1\n`), context);
  }
  t.throws(() => signingInput('bogus' as never, {}), TypeError);
  t.throws(() => signingInput('receipt', { n: NaN }), { code: 'NOT_CANONICALIZABLE' });
});

t.test('sign and verify round trip; member order does not matter', async (t) => {
  const signed = signDocument(crypto, 'receipt', receipt, signer.secretKey);
  t.equal(signed.document, receipt);
  t.match(signed.signature, /^[A-Za-z0-9_-]{86}$/);
  t.ok(verifyDocument(crypto, 'receipt', signed, signer.publicKey));
  const reordered = Object.fromEntries(Object.entries(receipt).reverse());
  t.ok(verifyDocument(crypto, 'receipt', { ...signed, document: reordered }, signer.publicKey));
  t.notOk(verifyDocument(crypto, 'receipt', signed, stranger.publicKey), 'another key');
  t.notOk(verifyDocument(crypto, 'receipt', { ...signed, document: { ...receipt, kind: 'acknowledged' } }, signer.publicKey), 'altered');
});

t.test('context separation: a receipt signature does not verify as a certificate', async (t) => {
  const signed = signDocument(crypto, 'receipt', receipt, signer.secretKey);
  const sig = fromB64u(signed.signature);
  for (const context of SIGNING_CONTEXTS.filter((c) => c !== 'receipt')) {
    // At the byte level, independently of the document's `type` check:
    t.notOk(crypto.verify(sig, signingInput(context, receipt), signer.publicKey), `raw bytes under ${context}`);
    t.notOk(verifyDocument(crypto, context, signed, signer.publicKey), `verifyDocument under ${context}`);
  }
  // A signer tricked into signing a certificate-shaped document as a receipt does not produce a certificate.
  const misused = signDocument(crypto, 'receipt', certificate, signer.secretKey);
  t.notOk(verifyDocument(crypto, 'inbox-certificate', misused, signer.publicKey));
  t.notOk(verifyDocument(crypto, 'receipt', misused, signer.publicKey), 'type inbox is not a receipt');
  const proper = signDocument(crypto, 'inbox-certificate', certificate, signer.secretKey);
  t.ok(verifyDocument(crypto, 'inbox-certificate', proper, signer.publicKey));
});

t.test('verifyDocument never throws on malformed input', async (t) => {
  const signed = signDocument(crypto, 'receipt', receipt, signer.secretKey);
  const cases: unknown[] = [
    null,
    undefined,
    'x',
    {},
    { document: receipt },
    { document: receipt, signature: 12 },
    { document: receipt, signature: 'not base64url!' },
    { document: receipt, signature: signed.signature.slice(0, 40) },
    { document: null, signature: signed.signature },
    { document: 'receipt', signature: signed.signature },
    { document: { ...receipt, extra: undefined }, signature: signed.signature },
    { document: { ...receipt, n: 1n }, signature: signed.signature },
  ];
  for (const c of cases) t.equal(verifyDocument(crypto, 'receipt', c, signer.publicKey), false);
  t.equal(verifyDocument(crypto, 'receipt', signed, new Uint8Array(3)), false, 'bad public key length');
});

t.test('contextOfDocument', async (t) => {
  t.equal(contextOfDocument({ type: 'inbox' }), 'inbox-certificate');
  t.equal(contextOfDocument({ type: 'member' }), 'member-certificate');
  t.equal(contextOfDocument({ type: 'agency' }), 'agency-registration');
  t.equal(contextOfDocument({ type: 'member-revocation' }), 'member-revocation');
  t.equal(contextOfDocument({ type: 'receipt' }), 'receipt');
  t.equal(contextOfDocument({ type: 'danger_alert' }), null);
  t.equal(contextOfDocument({ type: 'toString' }), null, 'no prototype keys');
  t.equal(contextOfDocument({}), null);
  t.equal(contextOfDocument(null), null);
  t.equal(contextOfDocument('receipt'), null);
});
