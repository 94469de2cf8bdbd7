import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, integer, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One-time admissions issued by the hub operator: an agency id may register once. */
export const admissions = pgTable('admissions', {
  agencyId: text('agency_id').primaryKey(),
  kind: text('kind').notNull(),
  nameFr: text('name_fr').notNull(),
  nameEn: text('name_en').notNull(),
  codeHash: text('code_hash').notNull().unique(),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

export const agencies = pgTable('agencies', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  nameFr: text('name_fr').notNull(),
  nameEn: text('name_en').notNull(),
  rootKey: text('root_key').notNull(),
  /** The registration document self-signed by the root key (proof of possession). */
  registration: jsonb('registration').notNull(),
  registeredAt: ts('registered_at').notNull().default(sql`now()`),
});

export const inboxes = pgTable('inboxes', {
  id: text('id').primaryKey(),
  agencyId: text('agency_id').notNull().references(() => agencies.id),
  encryptionKey: text('encryption_key').notNull(),
  keyVersion: integer('key_version').notNull(),
  /** The inbox certificate and the agency root key's signature of it. */
  certificate: jsonb('certificate').notNull(),
  createdAt: ts('created_at').notNull().default(sql`now()`),
});

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey(),
    agencyId: text('agency_id').notNull().references(() => agencies.id),
    signingKey: text('signing_key').notNull().unique(),
    encryptionKey: text('encryption_key').notNull(),
    roles: text('roles').array().notNull(),
    certificate: jsonb('certificate').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
    revokedAt: ts('revoked_at'),
    revocation: jsonb('revocation'),
  },
  (t) => [index('members_agency_idx').on(t.agencyId)],
);

/**
 * Every key an inbox has had, by version: the first certified at its
 * registration, each later one by a rotation (a member removed). The inboxes
 * row holds the current one.
 */
export const inboxKeys = pgTable(
  'inbox_keys',
  {
    inboxId: text('inbox_id').notNull().references(() => inboxes.id),
    keyVersion: integer('key_version').notNull(),
    encryptionKey: text('encryption_key').notNull(),
    certificate: jsonb('certificate').notNull(),
    createdAt: ts('created_at').notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.inboxId, t.keyVersion] })],
);

/**
 * Each key version of an inbox sealed to each member device given it: a
 * device keeps the earlier versions it was given (they open earlier
 * messages), and gets none of the keys made after it was removed.
 */
export const inboxKeyWraps = pgTable(
  'inbox_key_wraps',
  {
    memberId: uuid('member_id').notNull().references(() => members.id),
    inboxId: text('inbox_id').notNull(),
    keyVersion: integer('key_version').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.inboxId, t.keyVersion] }), index('inbox_key_wraps_inbox_idx').on(t.inboxId, t.keyVersion)],
);

/** Which inboxes a member device reads, with the inbox key sealed to that device. */
export const memberInboxes = pgTable(
  'member_inboxes',
  {
    memberId: uuid('member_id').notNull().references(() => members.id),
    inboxId: text('inbox_id').notNull().references(() => inboxes.id),
    wrappedKey: text('wrapped_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.inboxId] }), index('member_inboxes_inbox_idx').on(t.inboxId)],
);

/**
 * Invitations to enrol a device, signed by the agency root key: the person's
 * device answers with its public keys and the one-time code; the
 * administrator approves by certifying that device.
 */
export const invitations = pgTable('invitations', {
  id: uuid('id').primaryKey(),
  agencyId: text('agency_id').notNull().references(() => agencies.id),
  /** The signed invitation (label, roles, inboxes, the code's SHA-256, expiry). */
  invitation: jsonb('invitation').notNull(),
  expiresAt: ts('expires_at').notNull(),
  /** The device's public keys, once the person submitted them with the code. */
  device: jsonb('device'),
  submittedAt: ts('submitted_at'),
  /** The member the administrator certified for it. */
  memberId: uuid('member_id'),
  approvedAt: ts('approved_at'),
  createdAt: ts('created_at').notNull().default(sql`now()`),
});
