// Every table of the hub, for drizzle and drizzle-kit.
export * from '../identity/tables.js';
export * from '../auth/tables.js';
export * from '../messages/tables.js';
export * from '../delivery/tables.js';
export * from '../realtime/tables.js';
export * from '../disclosure-log/tables.js';
export * from '../disclosure-log/integrity-tables.js';
export * from '../protocols/tables.js';
export * from '../consent/tables.js';
export * from '../escalation/tables.js';
