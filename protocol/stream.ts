/**
 * The member stream's contract (docs/wire-format.md §15), in one place for
 * the hub, the SDK, the CLI and the console: the WebSocket subprotocol, how a
 * browser carries its token (as a second subprotocol, since it cannot set a
 * header), and the close codes a client acts on.
 */

/** The stream's subprotocol: the hub answers with it, and with nothing else. */
export const STREAM_SUBPROTOCOL = 'vigie.v1';

/** A browser's access token, offered as the subprotocol `vigie.bearer.<token>` beside STREAM_SUBPROTOCOL. */
export const BEARER_SUBPROTOCOL_PREFIX = 'vigie.bearer.';

/** The subprotocols a client offers with this token. */
export const streamSubprotocols = (token: string): string[] => [STREAM_SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`];

/**
 * Close codes: `tokenExpired` → reconnect with a new token; `revoked` → this
 * device was revoked, stop (and lock); `tooManyStreams` → the member already
 * holds the most streams the hub allows it on this instance, wait before
 * trying again. 1008 (policy violation) is the WebSocket's own refusal.
 */
export const STREAM_CLOSE = { tokenExpired: 4000, revoked: 4401, tooManyStreams: 4429, policy: 1008 } as const;
