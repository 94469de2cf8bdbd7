import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { DestinationStream } from 'pino';
import { disclosureLogPlugin } from './disclosure-log/plugin.js';
import { authPlugin } from './auth/plugin.js';
import { loadOperatorToken } from './auth/secrets.js';
import type { Config } from './config/schema.js';
import { cryptoPlugin } from './crypto/plugin.js';
import { dbPlugin } from './db/plugin.js';
import type { Database } from './db/connect.js';
import { healthPlugin } from './health/plugin.js';
import { installErrorHandler } from './http/error-handler.js';
import { installHostileInputGuards } from './http/hostile-input.js';
import { loggerOptions } from './http/logging.js';
import { systemClock, type Clock } from './lib/clock.js';
import { identityRoutes } from './identity/routes.js';
import { deliveryPlugin } from './delivery/plugin.js';
import { escalationPlugin } from './escalation/plugin.js';
import { eventsAfter } from './messages/events.js';
import { messagesPlugin } from './messages/plugin.js';
import { metricsPlugin } from './metrics/plugin.js';
import { protocolPolicy } from './protocols/policy.js';
import { DEFAULT_INSTRUMENTS_DIR, instrumentRoutes } from './instruments/routes.js';
import { InstrumentRegistry } from './instruments/registry.js';
import { protocolRoutes } from './protocols/routes.js';
import { consentRoutes } from './consent/routes.js';
import { redisPlugin } from './redis/plugin.js';
import { consolePlugin } from './console/plugin.js';
import { realtimePlugin } from './realtime/plugin.js';
import { isTimestamp, TIMESTAMP_FORMAT } from '../protocol/schemas.js';
import { STREAM_SUBPROTOCOL } from '../protocol/stream.js';

export interface AppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  https?: { key: Buffer; cert: Buffer };
  /** Time, injected (tests move a ManualClock instead of sleeping). */
  clock?: Clock;
  /** The risk instruments, when the process already loaded them (main.ts checks them before anything starts). */
  instruments?: InstrumentRegistry;
  /** The database, when the process began opening it already (main.ts, for a faster start); the app closes it. */
  database?: Promise<Database>;
}

/**
 * Builds the hub from a validated configuration. It never listens: main.ts
 * owns the process, tests call inject() or listen on port 0 themselves.
 * The order below is the order of the security checks.
 */
export async function buildApp(config: Config & { redisUrl: string }, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logStream ? { ...loggerOptions(config.logLevel), stream: options.logStream } : loggerOptions(config.logLevel);
  const server: FastifyServerOptions = {
    logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle',
    // TIMESTAMP_FORMAT: a timestamp must also be a real date (protocol/schemas.ts), for the validator and the serializer alike.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false }, plugins: [(ajv) => ajv.addFormat(TIMESTAMP_FORMAT, isTimestamp)] },
    serializerOpts: { ajv: { formats: { [TIMESTAMP_FORMAT]: isTimestamp } } },
    ...(options.https ? { https: options.https } : {}),
  };
  // Refused at start, naming the file and the field, when an instrument file does not validate.
  const instruments = options.instruments ?? InstrumentRegistry.load(config.instrumentsDir ?? DEFAULT_INSTRUMENTS_DIR);
  const app = Fastify(server as FastifyServerOptions) as unknown as FastifyInstance;
  app.decorate('instruments', instruments);
  installErrorHandler(app);
  installHostileInputGuards(app);
  // Graceful shutdown: requests in flight finish, and their connections close
  // after the answer instead of idling through a 72 s keep-alive.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  // Security headers, helmet's middleware built once (@fastify/helmet builds it again for every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        // The console's libsodium compiles WebAssembly; nothing runs inline, nothing comes from elsewhere.
        'script-src': ["'self'", "'wasm-unsafe-eval'"],
        'connect-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'media-src': ["'self'", 'data:'],
        // Over plain HTTP on a LAN address the console and /docs must still load: no upgrade to https.
        'upgrade-insecure-requests': null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Vigie',
        description: 'Carrefour sécurisé d’alertes interorganismes / Secure inter-agency alert hub',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // swagger-ui's own CSP, made like the hub's: no upgrade to https (a LAN address over plain HTTP), nothing
    // from any third party (swagger's online validator, fonts or styles from https:), and the inline styles
    // swagger-ui sets from its own script (its hashes would disable 'unsafe-inline').
    transformStaticCSP: (header: string) =>
      header
        .split(';')
        .map((d) => d.trim())
        .filter((d) => d && d !== 'upgrade-insecure-requests')
        .map((d) => (d.startsWith('style-src ') ? "style-src 'self' 'unsafe-inline'" : d.replace(/\s+(https:|validator\.swagger\.io)/g, '')))
        .join('; '),
    uiConfig: { validatorUrl: null },
  });
  await app.register(cryptoPlugin);
  await app.register(dbPlugin, {
    dataDir: config.dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(options.database ? { database: options.database } : {}),
  });
  await app.register(redisPlugin, { redisUrl: config.redisUrl });
  await app.register(authPlugin, {
    ...(config.audience ? { audience: config.audience } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    hubKeyFile: config.hubKeyFile ?? join(config.dataDir, 'hub-signing-key.jwk'),
    tokenTtlSeconds: config.tokenTtlSeconds,
    clockSkewSeconds: config.clockSkewSeconds,
  });
  // After authentication, so that limits are per member where a member is known.
  await app.register(rateLimit, {
    hook: 'preHandler',
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // Per instance, in memory: a stalled Redis must never hold up an alert's acceptance.
    keyGenerator: (request) => (request.member ? `m:${request.member.id}` : `ip:${request.ip}`),
  });
  await app.register(websocket, {
    options: {
      maxPayload: 64 * 1024,
      // Browsers carry the token as a subprotocol; the hub answers with the protocol name only.
      handleProtocols: (protocols: Set<string>) => (protocols.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
    },
  });
  await app.register(healthPlugin);
  await app.register(metricsPlugin, { ...(config.metricsToken ? { token: config.metricsToken } : {}) });
  const clock = options.clock ?? systemClock;
  // The stream's replay renders messages' and receipts' payloads from messages/ (the feed itself is realtime's).
  await app.register(realtimePlugin, { queuePrefix: config.queuePrefix, maxStreamsPerMember: config.maxStreamsPerMember, page: eventsAfter });
  try {
    await app.register(disclosureLogPlugin, {
      dataDir: config.dataDir,
      disclosureLogOrigin: config.disclosureLogOrigin,
      ...(config.disclosureLogKeyFile ? { disclosureLogKeyFile: config.disclosureLogKeyFile } : {}),
      disclosureLogBatchSize: config.disclosureLogBatchSize,
      disclosureLogIntervalMs: config.disclosureLogIntervalMs,
      disclosureLogCheckpointGapMs: config.disclosureLogCheckpointGapMs,
      witnesses: config.witnesses,
      witnessQuorum: config.witnessQuorum,
    });
  } catch (err) {
    // Refused to start (another log's origin or key in this database): close what is already open.
    await app.close().catch(() => {});
    throw err;
  }
  await app.register(identityRoutes, { operatorToken: loadOperatorToken(config.operatorToken, join(config.dataDir, 'operator-token')) });
  await app.register(instrumentRoutes);
  await app.register(protocolRoutes);
  await app.register(consentRoutes);
  await app.register(consolePlugin, { dir: config.consoleDir });
  // The pipeline, one way: delivery (outbox, queue, watchdog) ← escalation (chains) ← messages (accept, receipts, status).
  await app.register(deliveryPlugin, {
    queuePrefix: config.queuePrefix,
    outboxPollMs: config.outboxPollMs,
    watchdogIntervalMs: config.watchdogIntervalMs,
    watchdogGraceMs: config.watchdogGraceMs,
    clock,
  });
  await app.register(escalationPlugin, { clock, pollMs: config.escalationPollMs });
  await app.register(messagesPlugin, {
    retentionSweepMs: config.retentionSweepMs,
    maxAcceptsInFlight: config.maxAcceptsInFlight,
    clock,
    clockSkewSeconds: config.clockSkewSeconds,
    maxMessageAgeSeconds: config.maxMessageAgeSeconds,
    policy: protocolPolicy(instruments),
  });
  return app;
}
