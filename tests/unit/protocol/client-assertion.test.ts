import t from 'tap';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { CLIENT_ASSERTION_TYPE, createClientAssertion, fromB64u, fromUtf8, loadSodium, toB64u } from '../../../protocol/index.js';

const crypto = await loadSodium();
const device = crypto.signKeypair();
const member = '0f8fad5b-d9cb-469f-a165-70867728950e';
const audience = 'https://hub.example/v1/auth/token';
const publicJwk = (publicKey: Uint8Array) => importJWK({ kty: 'OKP', crv: 'Ed25519', x: toB64u(publicKey) }, 'EdDSA');

t.test('jose verifies the assertion (RFC 7523 claims)', async (t) => {
  const now = new Date('2025-03-14T02:07:00.000Z');
  const jwt = createClientAssertion(crypto, { member, audience, signingSecretKey: device.secretKey, now });
  const { payload, protectedHeader } = await jwtVerify(jwt, await publicJwk(device.publicKey), {
    algorithms: ['EdDSA'],
    issuer: member,
    subject: member,
    audience,
    currentDate: new Date(now.getTime() + 30_000),
    typ: 'JWT',
    requiredClaims: ['jti', 'iat', 'exp'],
  });
  t.same(protectedHeader, { alg: 'EdDSA', typ: 'JWT', kid: member });
  t.equal(payload.iat, now.getTime() / 1000);
  t.equal(payload.exp, now.getTime() / 1000 + 60, 'default lifetime 60 s');
  t.equal(fromB64u(payload.jti as string).length, 16, 'jti is 16 random bytes');
  t.same(Object.keys(payload).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
  t.equal(CLIENT_ASSERTION_TYPE, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
});

t.test('exact serialization of header and payload', async (t) => {
  const jwt = createClientAssertion(crypto, { member, audience, signingSecretKey: device.secretKey, now: new Date(1_000_000), jti: 'abc', lifetimeSeconds: 30 });
  const [h, p, s] = jwt.split('.');
  t.equal(fromUtf8(fromB64u(h!)), `{"alg":"EdDSA","typ":"JWT","kid":"${member}"}`);
  t.equal(fromUtf8(fromB64u(p!)), `{"iss":"${member}","sub":"${member}","aud":"${audience}","jti":"abc","iat":1000,"exp":1030}`);
  t.ok(crypto.verify(fromB64u(s!), new TextEncoder().encode(`${h}.${p}`), device.publicKey));
  t.same(decodeProtectedHeader(jwt), { alg: 'EdDSA', typ: 'JWT', kid: member });
  t.not(
    createClientAssertion(crypto, { member, audience, signingSecretKey: device.secretKey }),
    createClientAssertion(crypto, { member, audience, signingSecretKey: device.secretKey }),
    'fresh jti each time',
  );
});

t.test('jose rejects an expired assertion, a wrong key and a wrong audience', async (t) => {
  const issued = new Date('2025-03-14T02:07:00.000Z');
  const jwt = createClientAssertion(crypto, { member, audience, signingSecretKey: device.secretKey, now: issued });
  const key = await publicJwk(device.publicKey);
  await t.rejects(jwtVerify(jwt, key, { audience, currentDate: new Date(issued.getTime() + 61_000) }), { code: 'ERR_JWT_EXPIRED' });
  await t.rejects(jwtVerify(jwt, await publicJwk(crypto.signKeypair().publicKey), { audience, currentDate: issued }), {
    code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
  await t.rejects(jwtVerify(jwt, key, { audience: 'https://evil.example/token', currentDate: issued }), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  t.throws(() => createClientAssertion(crypto, { member, audience, signingSecretKey: device.secretKey, lifetimeSeconds: 0 }), RangeError);
});
