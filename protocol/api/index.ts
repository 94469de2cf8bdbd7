/**
 * The hub's HTTP and stream contract: route paths, and the schema of every
 * request and answer, which the hub's routes are typed from and the SDK
 * checks each answer and frame against.
 *
 * @example
 * import { ROUTES, routePath, MessageStatusSchema } from '../protocol/api/index.js';
 */
export * from './routes.js';
export * from './auth.js';
export * from './identity.js';
export * from './messages.js';
export * from './catalogue.js';
export * from './log.js';
export * from './register.js';
export * from './stream-events.js';
export * from './error-answer.js';
export * from './leaf-record.js';
export * from './operations.js';
