/**
 * Identifier and encoding patterns, shared by the wire schemas, the CLI's
 * argument checks and the console's forms; the one function that reads an
 * inbox address; and the Base64Url brand that `toB64u` returns.
 *
 * @example
 * agencyOfInbox('police-laval/dispatch') // 'police-laval'
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Base64Url = Brand<string, 'Base64Url'>;

/** Agency ids are lowercase slugs: `shelter-laval`, `police-laval`. */
export const AGENCY_ID_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$';
/** Inbox ids are `<agency>/<desk>`: `police-laval/dispatch`. */
export const INBOX_ID_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?/[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$';
/** Member and message ids are lowercase RFC 9562 UUIDs (version 4 or 7). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
/** Unpadded base64url (RFC 4648 §5). */
export const BASE64URL_PATTERN = '^[A-Za-z0-9_-]*$';

/** The agency that owns an inbox: `police-laval/dispatch` → `police-laval` (an address without a desk is taken whole). */
export function agencyOfInbox(inbox: string): string {
  const slash = inbox.indexOf('/');
  return slash < 0 ? inbox : inbox.slice(0, slash);
}
