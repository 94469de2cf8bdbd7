import { readFileSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { ConfigError, loadConfig } from './config/load.js';
import { InstrumentFileError, InstrumentRegistry } from './instruments/registry.js';
import { DEFAULT_INSTRUMENTS_DIR } from './instruments/routes.js';
import { loggerOptions } from './http/logging.js';
import { ManagedRedis, RedisServerMissingError } from './redis/managed.js';
import { connectDatabase } from './db/connect.js';
import { preferNativeSodium } from './lib/native-sodium.js';

/**
 * The process: reads the configuration, starts a supervised redis-server
 * when no REDIS_URL is given, builds the app, listens, and shuts down
 * gracefully (in-flight requests finish, every connection closes).
 */
async function main(): Promise<void> {
  preferNativeSodium();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  let instruments: InstrumentRegistry;
  try {
    // Before anything starts: an instrument file that does not validate stops the start, naming the file and the field.
    instruments = InstrumentRegistry.load(config.instrumentsDir ?? DEFAULT_INSTRUMENTS_DIR);
  } catch (err) {
    if (err instanceof InstrumentFileError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const log = pino(loggerOptions(config.logLevel));
  // The embedded database opens (PGlite compiles its WebAssembly on background threads) while
  // redis-server starts and the rest of the hub's modules load: the three overlap.
  const database = config.databaseUrl ? undefined : connectDatabase({ dataDir: config.dataDir });
  // Its failure is reported where the app awaits it; this only keeps it from being "unhandled" meanwhile.
  database?.catch(() => {});
  let managed: ManagedRedis | null = null;
  async function startRedis(): Promise<string> {
    if (config!.redisUrl) return config!.redisUrl;
    managed = new ManagedRedis(config!.redisServerBin, config!.dataDir, log);
    try {
      return await managed.start();
    } catch (err) {
      if (err instanceof RedisServerMissingError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(69);
      }
      throw err;
    }
  }
  const [redisUrl, { buildApp }] = await Promise.all([startRedis(), import('./app.js')]);
  const https =
    config.tlsCertFile && config.tlsKeyFile ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } : undefined;
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({ ...config, redisUrl }, { instruments, ...(database ? { database } : {}), ...(https ? { https } : {}) });
  } catch (err) {
    // Another log's origin or key in this database: a configuration error, never signed over.
    if ((err as { code?: string }).code === 'LOG_IDENTITY_MISMATCH') {
      process.stderr.write(`${(err as Error).message}\n`);
      await (managed as ManagedRedis | null)?.stop();
      process.exit(78);
    }
    throw err;
  }

  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
    await managed?.stop();
  });

  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    { database: app.database.kind, redis: managed ? 'managed' : 'external', url: `${https ? 'https' : 'http'}://${config.host}:${config.port}` },
    'Vigie prêt / Vigie ready',
  );
  if (config.witnessQuorum === 0) {
    // Allowed for the embedded demo and development only (NODE_ENV=production refuses it): say so.
    app.log.warn(
      { witnessQuorum: 0 },
      'Aucun témoin ne cosigne le journal : personne hors du carrefour ne pourrait voir un journal réécrit. Réservé à la démonstration; en production, configurez VIGIE_WITNESSES et VIGIE_WITNESS_QUORUM ≥ 1. / No witness cosigns the log: nobody outside the hub could see a rewritten log. For the demo only; in production, set VIGIE_WITNESSES and VIGIE_WITNESS_QUORUM ≥ 1.',
    );
  }
}

main().catch((err) => {
  process.stderr.write(`Vigie n’a pas pu démarrer / Vigie could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
