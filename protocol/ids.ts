/**
 * Branded identifiers and encodings, so that an inbox id cannot be passed
 * where an agency id is expected. Each brand has a schema-backed constructor.
 *
 * @example
 * const agency = toAgencyId('shelter-laval'); // AgencyId
 * const inbox = toInboxId('police-laval/dispatch'); // InboxId
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type AgencyId = Brand<string, 'AgencyId'>;
export type InboxId = Brand<string, 'InboxId'>;
export type MemberId = Brand<string, 'MemberId'>;
export type MessageId = Brand<string, 'MessageId'>;
export type Base64Url = Brand<string, 'Base64Url'>;

/** Agency ids are lowercase slugs: `shelter-laval`, `police-laval`. */
export const AGENCY_ID_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$';
/** Inbox ids are `<agency>/<desk>`: `police-laval/dispatch`. */
export const INBOX_ID_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$';
/** Member and message ids are lowercase RFC 9562 UUIDs (version 4 or 7). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
/** Unpadded base64url (RFC 4648 §5). */
export const BASE64URL_PATTERN = '^[A-Za-z0-9_-]*$';

const agencyRe = new RegExp(AGENCY_ID_PATTERN);
const inboxRe = new RegExp(INBOX_ID_PATTERN);
const uuidRe = new RegExp(UUID_PATTERN);
const b64uRe = new RegExp(BASE64URL_PATTERN);

export class InvalidIdentifierError extends Error {
  readonly code = 'INVALID_IDENTIFIER';
  constructor(readonly kind: string) {
    super(`invalid ${kind}`);
  }
}

function check<T>(re: RegExp, kind: string, value: string): T {
  if (typeof value !== 'string' || !re.test(value)) throw new InvalidIdentifierError(kind);
  return value as T;
}

export const toAgencyId = (v: string): AgencyId => check(agencyRe, 'agency id', v);
export const toInboxId = (v: string): InboxId => check(inboxRe, 'inbox id', v);
export const toMemberId = (v: string): MemberId => check(uuidRe, 'member id', v);
export const toMessageId = (v: string): MessageId => check(uuidRe, 'message id', v);
export const toBase64Url = (v: string): Base64Url => check(b64uRe, 'base64url', v);

/** The agency that owns an inbox: `police-laval/dispatch` → `police-laval`. */
export function agencyOfInbox(inbox: InboxId): AgencyId {
  return inbox.slice(0, inbox.indexOf('/')) as AgencyId;
}
