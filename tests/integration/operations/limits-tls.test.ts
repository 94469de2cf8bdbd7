// Per-member rate limits, and HTTPS when the hub is given a certificate.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import t from 'tap';
import { enrolPartners } from '../../helpers/agencies.js';
import { startTestHub, tempDir } from '../../helpers/env.js';

t.test('a member over its rate limit gets 429 RATE_LIMITED; others are unaffected', async (t) => {
  const dataDir = tempDir(t);
  const hub = await startTestHub(t, { dataDir, config: { rateLimitPerMinute: 5 } });
  // Enrolment itself is unauthenticated traffic from one address: it goes through a second instance.
  const roomy = await startTestHub(t, { dataDir, databaseUrl: hub.config.databaseUrl, queuePrefix: hub.config.queuePrefix, operatorToken: hub.operatorToken });
  const { worker, officer } = await enrolPartners(roomy.url, roomy.operatorToken);
  const statusOf = async (token: string) => (await fetch(`${hub.url}/v1/me/inbox-keys`, { headers: { authorization: `Bearer ${token}` } })).status;
  const w = await worker.client.accessToken();
  const seen: number[] = [];
  for (let i = 0; i < 7; i++) seen.push(await statusOf(w));
  t.same(seen.slice(0, 5), [200, 200, 200, 200, 200], 'within the limit');
  t.equal(seen[6], 429, 'over the limit');
  const body = (await (await fetch(`${hub.url}/v1/me/inbox-keys`, { headers: { authorization: `Bearer ${w}` } })).json()) as { error: { code: string } };
  t.equal(body.error.code, 'RATE_LIMITED', 'with its stable code');
  t.equal(await statusOf(await officer.client.accessToken()), 200, 'another member keeps its own budget');
});

t.test('HTTPS with a certificate', async (t) => {
  const dir = tempDir(t);
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const hub = await startTestHub(t, { app: { https: { key: readFileSync(key), cert: readFileSync(cert) } } });
  const port = new URL(hub.url).port;
  const res = await new Promise<{ status: number; body: string; protocol: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', ca: readFileSync(cert), servername: 'localhost', checkServerIdentity: () => undefined }, (r) => {
      let body = '';
      const protocol = (r.socket as unknown as { getProtocol(): string }).getProtocol();
      r.on('data', (d: Buffer) => (body += d.toString()));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body, protocol }));
    });
    req.on('error', reject);
    req.end();
  });
  t.equal(res.status, 200, 'served over TLS');
  t.match(res.protocol, /TLSv1\.[23]/);
  t.match(res.body, /ok/);
});
