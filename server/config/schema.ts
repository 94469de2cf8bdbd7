import { Type, type Static } from '@sinclair/typebox';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });

/** Every setting of the hub, validated at boot. Secrets are never defaults. */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Port,
    dataDir: Type.String({ minLength: 1 }),
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    redisUrl: Type.Optional(Type.String({ pattern: '^rediss?://' })),
    logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
    /**
     * The audience of this deployment's tokens and device assertions. When
     * absent: the origin of `publicUrl`, else one derived from the hub's
     * token-signing key — never a constant, so that an assertion made for one
     * hub is refused by another.
     */
    audience: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    /** The hub's public URL, as clients reach it (behind a proxy, the proxy's). */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+/?$', maxLength: 200 })),
    tokenTtlSeconds: Type.Integer({ minimum: 30, maximum: 3600 }),
    bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 8 * 1024 * 1024 }),
    rateLimitPerMinute: Type.Integer({ minimum: 1 }),
    trustProxy: Type.Boolean(),
    queuePrefix: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    outboxPollMs: Type.Integer({ minimum: 10, maximum: 60000 }),
    /** Envelopes an instance checks and stores at once; one more is refused at once (503 HUB_BUSY, retry-after) rather than queued for a connection. */
    maxAcceptsInFlight: Type.Integer({ minimum: 1, maximum: 10000 }),
    /** How often each instance looks for acknowledgement deadlines and escalation steps that are due. */
    escalationPollMs: Type.Integer({ minimum: 10, maximum: 60000 }),
    /** How often the watchdog looks for overdue deliveries and escalation steps. */
    watchdogIntervalMs: Type.Integer({ minimum: 50, maximum: 60000 }),
    /** How late a delivery (never pushed) or an escalation step may be before the watchdog drives it itself. */
    watchdogGraceMs: Type.Integer({ minimum: 0, maximum: 600000 }),
    shutdownGraceMs: Type.Integer({ minimum: 100, maximum: 120000 }),
    /** How often the retention sweep erases the messages whose protocol's retention has passed. */
    retentionSweepMs: Type.Integer({ minimum: 100, maximum: 86_400_000 }),
    clockSkewSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    maxMessageAgeSeconds: Type.Integer({ minimum: 60 }),
    /** Ed25519 key the hub signs access tokens with; created under dataDir when absent. */
    hubKeyFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Hub-operator bearer token (admits agencies). When absent, one is created under dataDir. */
    operatorToken: Type.Optional(Type.String({ minLength: 32 })),
    /** Bearer token required by GET /metrics. When absent, the metrics are served to anyone who can reach the hub. */
    metricsToken: Type.Optional(Type.String({ minLength: 32 })),
    tlsCertFile: Type.Optional(Type.String({ minLength: 1 })),
    tlsKeyFile: Type.Optional(Type.String({ minLength: 1 })),
    redisServerBin: Type.String({ minLength: 1 }),
    /** Risk instruments (config/instruments of the installation when absent). */
    instrumentsDir: Type.Optional(Type.String({ minLength: 1 })),
    /** The console's built bundle (dist/web of the installation when absent). */
    consoleDir: Type.Optional(Type.String({ minLength: 1 })),
    /** The disclosure log's origin: the first line of its checkpoints and the name of its key. */
    disclosureLogOrigin: Type.String({ pattern: '^[\\x21-\\x2a\\x2c-\\x7e]{1,200}$', description: 'printable ASCII without spaces or +, as note key names require' }),
    /** Ed25519 seed the hub signs checkpoints with; created under dataDir when absent. */
    disclosureLogKeyFile: Type.Optional(Type.String({ minLength: 1 })),
    disclosureLogBatchSize: Type.Integer({ minimum: 1, maximum: 10000 }),
    disclosureLogIntervalMs: Type.Integer({ minimum: 10, maximum: 60000 }),
    /**
     * Shortest time between two checkpoints under a steady flow of leaves, whichever instance signs (a leaf after a
     * quiet spell is integrated at once). At most 2 s: a client waits 5 s for a key's leaf before it calls the key
     * unlogged (KEY_NOT_IN_LOG), and a revocation reaches the clients' checks within this gap.
     */
    disclosureLogCheckpointGapMs: Type.Integer({ minimum: 20, maximum: 2000 }),
    /** Witnesses the hub submits each checkpoint to (C2SP tlog-witness). */
    witnesses: Type.Array(
      Type.Object({ url: Type.String({ pattern: '^https?://' }), vkey: Type.String({ minLength: 10 }) }, { additionalProperties: false }),
      { maxItems: 32 },
    ),
    /** Simultaneous WebSocket streams one member may hold on one hub instance; one more is closed with 4429. */
    maxStreamsPerMember: Type.Integer({ minimum: 1, maximum: 64 }),
    /** How many witness cosignatures make a checkpoint witnessed. */
    witnessQuorum: Type.Integer({ minimum: 0, maximum: 32 }),
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

/** Environment variable → setting. */
export const ENV_OVERRIDES: Record<string, { key: keyof Config; type: 'string' | 'int' | 'bool' | 'json' }> = {
  HOST: { key: 'host', type: 'string' },
  PORT: { key: 'port', type: 'int' },
  VIGIE_DATA_DIR: { key: 'dataDir', type: 'string' },
  DATABASE_URL: { key: 'databaseUrl', type: 'string' },
  REDIS_URL: { key: 'redisUrl', type: 'string' },
  LOG_LEVEL: { key: 'logLevel', type: 'string' },
  VIGIE_AUDIENCE: { key: 'audience', type: 'string' },
  VIGIE_PUBLIC_URL: { key: 'publicUrl', type: 'string' },
  VIGIE_TOKEN_TTL_SECONDS: { key: 'tokenTtlSeconds', type: 'int' },
  VIGIE_RATE_LIMIT_PER_MINUTE: { key: 'rateLimitPerMinute', type: 'int' },
  VIGIE_TRUST_PROXY: { key: 'trustProxy', type: 'bool' },
  VIGIE_QUEUE_PREFIX: { key: 'queuePrefix', type: 'string' },
  VIGIE_MAX_ACCEPTS_IN_FLIGHT: { key: 'maxAcceptsInFlight', type: 'int' },
  VIGIE_ESCALATION_POLL_MS: { key: 'escalationPollMs', type: 'int' },
  VIGIE_WATCHDOG_INTERVAL_MS: { key: 'watchdogIntervalMs', type: 'int' },
  VIGIE_WATCHDOG_GRACE_MS: { key: 'watchdogGraceMs', type: 'int' },
  VIGIE_RETENTION_SWEEP_MS: { key: 'retentionSweepMs', type: 'int' },
  VIGIE_HUB_KEY_FILE: { key: 'hubKeyFile', type: 'string' },
  VIGIE_OPERATOR_TOKEN: { key: 'operatorToken', type: 'string' },
  VIGIE_METRICS_TOKEN: { key: 'metricsToken', type: 'string' },
  VIGIE_TLS_CERT_FILE: { key: 'tlsCertFile', type: 'string' },
  VIGIE_TLS_KEY_FILE: { key: 'tlsKeyFile', type: 'string' },
  VIGIE_REDIS_SERVER_BIN: { key: 'redisServerBin', type: 'string' },
  VIGIE_INSTRUMENTS_DIR: { key: 'instrumentsDir', type: 'string' },
  VIGIE_CONSOLE_DIR: { key: 'consoleDir', type: 'string' },
  VIGIE_DISCLOSURE_LOG_ORIGIN: { key: 'disclosureLogOrigin', type: 'string' },
  VIGIE_DISCLOSURE_LOG_KEY_FILE: { key: 'disclosureLogKeyFile', type: 'string' },
  VIGIE_WITNESSES: { key: 'witnesses', type: 'json' },
  VIGIE_WITNESS_QUORUM: { key: 'witnessQuorum', type: 'int' },
  VIGIE_MAX_STREAMS_PER_MEMBER: { key: 'maxStreamsPerMember', type: 'int' },
};
