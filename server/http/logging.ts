import type { LoggerOptions } from 'pino';

/** Never log tokens, keys or content: these paths are censored wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  '*.authorization',
  '*.access_token',
  '*.client_assertion',
  '*.token',
  '*.operatorToken',
  '*.metricsToken',
  '*.admissionCode',
  '*.ciphertext',
  '*.wrappedKey',
  '*.wraps',
  '*.key',
  '*.secretKey',
  '*.privateKey',
  '*.passphrase',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'vigie-hub' },
  };
}
