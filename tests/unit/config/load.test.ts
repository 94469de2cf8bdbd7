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
  ];
  for (const [env, pattern] of cases) {
    const err = t.throws(() => loadConfig(env)) as unknown as ConfigError;
    t.ok(err instanceof ConfigError, `${Object.keys(env)[0]} refused`);
    t.match(err.message, pattern, `the message names ${Object.keys(env)[0]}`);
    t.match(err.message, /Configuration invalide \/ invalid configuration/, 'bilingual heading');
  }
});
