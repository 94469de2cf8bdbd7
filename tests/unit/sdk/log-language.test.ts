// The log's routes answer in the person's language: an auditor's English CLI
// or console must not read the hub's refusal in French. The stand-in hub
// answers as the real one does (server/http/errors.ts, LOG_EMPTY), in the
// language the request asks for.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { auditLog } from '../../../clients/sdk/audit.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { chooseLogKey, hubLogKey } from '../../../clients/sdk/log-trust.js';
import { formatVkey } from '../../../protocol/log/vkey.js';
import { loadSodium } from '../../../protocol/sodium.js';

const WORDS = { fr: 'Le journal n’a encore aucun point de contrôle.', en: 'The log has no checkpoint yet.' };

t.test('the log’s routes are asked in the person’s language, and their refusals come back in it', async (t) => {
  const crypto = await loadSodium();
  const asked: string[] = [];
  const server = createServer((req, res) => {
    const lang = req.headers['accept-language'] === 'en' ? 'en' : 'fr';
    asked.push(`${req.url} ${req.headers['accept-language']}`);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'LOG_EMPTY', message: WORDS[lang] } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const refusal = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);
  const logKey = formatVkey(crypto, 'hub.example/log', crypto.signKeypair().publicKey);
  const storage = { pinned: () => undefined, saved: () => null, witnessTrust: () => undefined, setWitnessTrust: () => {}, pin: () => {}, save: () => {} };

  for (const [lang, words] of [['en', WORDS.en], ['fr', WORDS.fr]] as const) {
    const key = await refusal(hubLogKey(url, lang));
    t.ok(key instanceof VigieApiError && key.code === 'LOG_EMPTY', `${lang}: the log key's refusal`);
    t.equal((key as Error).message, words, `${lang}: in the person's words`);
    const chosen = await refusal(chooseLogKey(url, storage, undefined, crypto, lang));
    t.equal((chosen as Error).message, words, `${lang}: choosing the key on first use`);
    const audit = await refusal(auditLog({ url, logKey, lang }, crypto));
    t.equal((audit as Error).message, words, `${lang}: the audit's checkpoint`);
  }
  const french = await refusal(hubLogKey(url));
  t.equal((french as Error).message, WORDS.fr, 'French when no language is given');
  t.same(
    asked.map((a) => a.split(' ')[1]),
    ['en', 'en', 'en', 'fr', 'fr', 'fr', 'fr'],
    'every request said which language it wanted',
  );
});
