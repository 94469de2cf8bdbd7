import t from 'tap';
import Fastify from 'fastify';
import { installErrorHandler } from '../../../server/http/error-handler.js';
import { ERRORS, VigieError, langOf } from '../../../server/http/errors.js';

t.test('every code has a status and a message in both languages', async (t) => {
  for (const [code, [status, fr, en]] of Object.entries(ERRORS)) {
    t.ok(status >= 400 && status < 600, `${code} status`);
    t.ok(fr.length > 0 && en.length > 0 && (fr as string) !== en, `${code} is bilingual`);
  }
  t.equal(langOf(undefined), 'fr');
  t.equal(langOf('en-CA,fr;q=0.5'), 'en');
  t.equal(langOf('fr-CA,en;q=0.5'), 'fr');
  t.equal(langOf('de'), 'fr', 'French unless English is asked for');
});

t.test('refusals keep their code; a 5xx hides its internals', async (t) => {
  const app = Fastify({ logger: false });
  installErrorHandler(app);
  app.get('/refuse', async () => {
    throw new VigieError('RECIPIENT_UNKNOWN', { detail: 'police-x/dispatch' });
  });
  app.get('/crash', async () => {
    throw new Error('connection to 10.0.0.5 failed: password for vigie_admin rejected');
  });
  t.teardown(() => app.close());

  const refused = await app.inject({ url: '/refuse', headers: { 'accept-language': 'en' } });
  t.equal(refused.statusCode, 422);
  t.same(refused.json(), { error: { code: 'RECIPIENT_UNKNOWN', message: ERRORS.RECIPIENT_UNKNOWN[2], details: 'police-x/dispatch' } });

  const crashed = await app.inject({ url: '/crash' });
  t.equal(crashed.statusCode, 500);
  t.same(crashed.json(), { error: { code: 'INTERNAL', message: 'Erreur interne.' } }, 'nothing of the cause reaches the client');
  t.notMatch(crashed.body, /10\.0\.0\.5|password/);

  const missing = await app.inject({ url: '/nowhere' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().error.code, 'NOT_FOUND');
});
