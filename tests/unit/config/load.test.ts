import t from 'tap';
import { ConfigError, loadConfig } from '../../../server/config/load.js';

t.test('defaults validate, environment overrides', async (t) => {
  const c = loadConfig({ PORT: '9090', LOG_LEVEL: 'warn', VIGIE_DATA_DIR: '/tmp/v', VIGIE_TRUST_PROXY: 'true' });
  t.equal(c.port, 9090);
  t.equal(c.logLevel, 'warn');
  t.equal(c.dataDir, '/tmp/v');
  t.equal(c.trustProxy, true);
  t.equal(c.databaseUrl, undefined, 'no DATABASE_URL: embedded PGlite');
  t.equal(c.redisUrl, undefined, 'no REDIS_URL: managed redis-server');
});

t.test('a bad setting stops the start and is named', async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'huit-mille' }, /PORT/],
    [{ PORT: '70000' }, /port \(PORT\)/],
    [{ DATABASE_URL: 'mysql://x' }, /databaseUrl \(DATABASE_URL\)/],
    [{ REDIS_URL: 'http://x' }, /redisUrl \(REDIS_URL\)/],
    [{ LOG_LEVEL: 'bavard' }, /logLevel \(LOG_LEVEL\)/],
    [{ VIGIE_OPERATOR_TOKEN: 'court' }, /operatorToken \(VIGIE_OPERATOR_TOKEN\)/],
    [{ VIGIE_TLS_CERT_FILE: '/x.pem' }, /tlsCertFile/],
    [{ VIGIE_CONFIG: '/nonexistent/vigie.json' }, /VIGIE_CONFIG/],
    // The disclosure log's settings were once named like the logger's: the old names say the new ones.
    [{ VIGIE_LOG_ORIGIN: 'vigie.test/log' }, /VIGIE_LOG_ORIGIN: s’appelle désormais \/ is now VIGIE_DISCLOSURE_LOG_ORIGIN/],
    [{ VIGIE_LOG_KEY_FILE: '/run/secrets/log-key' }, /VIGIE_LOG_KEY_FILE: s’appelle désormais \/ is now VIGIE_DISCLOSURE_LOG_KEY_FILE/],
  ];
  for (const [env, pattern] of cases) {
    const err = t.throws(() => loadConfig(env)) as unknown as ConfigError;
    t.ok(err instanceof ConfigError, `${Object.keys(env)[0]} refused`);
    t.match(err.message, pattern, `the message names ${Object.keys(env)[0]}`);
    t.match(err.message, /Configuration invalide \/ invalid configuration/, 'bilingual heading');
  }
});

t.test('a configuration file with an old name of a disclosure-log setting is refused, naming the new one', async (t) => {
  const err = t.throws(() => loadConfig({}, { logIntervalMs: 100 } as never)) as unknown as ConfigError;
  t.match(err.message, /logIntervalMs: s’appelle désormais \/ is now disclosureLogIntervalMs/);
  t.equal(loadConfig({ VIGIE_DISCLOSURE_LOG_ORIGIN: 'vigie.test/log' }).disclosureLogOrigin, 'vigie.test/log', 'the new name is read');
});

t.test('the checkpoint gap stays under what a client waits for a key’s leaf', async (t) => {
  t.equal(loadConfig({}).disclosureLogCheckpointGapMs, 1000, 'a second by default');
  t.equal(loadConfig({}, { disclosureLogCheckpointGapMs: 2000 }).disclosureLogCheckpointGapMs, 2000);
  const err = t.throws(() => loadConfig({}, { disclosureLogCheckpointGapMs: 5000 })) as unknown as ConfigError;
  t.match(err.message, /disclosureLogCheckpointGapMs/, 'above 2 s (clients wait 5 s for a key’s leaf): refused, naming the setting');
});

t.test('production requires a witness quorum; the quorum must be reachable', async (t) => {
  const witness = JSON.stringify([{ url: 'http://witness.example', vkey: 'witness.example/w1+12345678+BAAA' }]);
  const refused = t.throws(() => loadConfig({ NODE_ENV: 'production' })) as unknown as ConfigError;
  t.match(refused.message, /VIGIE_WITNESS_QUORUM.*production requires at least one witness cosignature/, 'production without witnesses is refused, naming the setting');
  t.throws(() => loadConfig({ NODE_ENV: 'production', VIGIE_WITNESSES: witness, VIGIE_WITNESS_QUORUM: '0' }), /production requires/, 'witnesses but a zero quorum too');
  t.equal(loadConfig({ NODE_ENV: 'production', VIGIE_WITNESSES: witness, VIGIE_WITNESS_QUORUM: '1' }).witnessQuorum, 1, 'one witness, quorum one: accepted');
  t.match((t.throws(() => loadConfig({ VIGIE_WITNESSES: witness, VIGIE_WITNESS_QUORUM: '2' })) as unknown as ConfigError).message, /2 > 1/, 'a quorum the witnesses cannot meet');
  t.equal(loadConfig({}).witnessQuorum, 0, 'the embedded demo may keep zero (and says so at start)');
});
