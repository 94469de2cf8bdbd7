/**
 * The hub's route paths, in one place for the hub (which declares them), the
 * SDK, the CLI and the console (which call them). A path names its
 * parameters Fastify's way (`:agency`); `routePath` fills them, each one
 * URL-encoded.
 *
 * @example
 * routePath(ROUTES.agencyInboxes, { agency: 'police-laval' }) // '/v1/agencies/police-laval/inboxes'
 */
export const ROUTES = {
  healthz: '/healthz',
  readyz: '/readyz',

  authMetadata: '/v1/auth/metadata',
  authToken: '/v1/auth/token',

  admissions: '/v1/admissions',
  agencies: '/v1/agencies',
  agency: '/v1/agencies/:agency',
  agencyInboxes: '/v1/agencies/:agency/inboxes',
  agencyMembers: '/v1/agencies/:agency/members',
  agencyInvitations: '/v1/agencies/:agency/invitations',
  agencyRevocations: '/v1/agencies/:agency/revocations',
  inbox: '/v1/inboxes/:agency/:desk',
  inboxMembers: '/v1/inboxes/:agency/:desk/members',
  inboxRotations: '/v1/inboxes/:agency/:desk/rotations',
  member: '/v1/members/:member',
  myInboxKeys: '/v1/me/inbox-keys',
  invitation: '/v1/invitations/:invitation',
  invitationDevice: '/v1/invitations/:invitation/device',

  protocols: '/v1/protocols',
  protocol: '/v1/protocols/:id',
  protocolVersion: '/v1/protocols/:id/:version',
  protocolRetirement: '/v1/protocols/:id/retirement',

  instruments: '/v1/instruments',
  instrument: '/v1/instruments/:id/:version',

  consents: '/v1/consents',
  consent: '/v1/consents/:id',
  consentRevocation: '/v1/consents/:id/revocation',

  messages: '/v1/messages',
  message: '/v1/messages/:id',
  messageStatus: '/v1/messages/:id/status',
  messageEscalation: '/v1/messages/:id/escalation',
  messageReceipts: '/v1/messages/:id/receipts',
  acceptanceProof: '/v1/messages/:id/acceptance-proof',

  stream: '/v1/stream',

  logCheckpoint: '/v1/log/checkpoint',
  logKey: '/v1/log/key',
  logTile: '/v1/log/tile/*',
  logInclusion: '/v1/log/proof/inclusion',
  logConsistency: '/v1/log/proof/consistency',
  logLookup: '/v1/log/lookup',
  logRecords: '/v1/log/records',

  auditRegister: '/v1/audit/register',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;
/** The parameters a route path names, each a string or a number. */
export type RouteParams<P extends string> = { [K in ParamNames<P>]: string | number };

/**
 * A route path with its parameters filled in (URL-encoded) and, when given, a
 * query string appended (`undefined` values left out).
 *
 * @example
 * routePath(ROUTES.protocolVersion, { id: 'shelter-police', version: 2 }) // '/v1/protocols/shelter-police/2'
 * routePath(ROUTES.logRecords, {}, { after: 10, limit: 1000 })            // '/v1/log/records?after=10&limit=1000'
 */
export function routePath<P extends Route>(route: P, params: RouteParams<P>, query?: Record<string, string | number | boolean | undefined>): string {
  const values = params as Record<string, string | number>;
  const path = route.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(String(values[name])));
  const entries = Object.entries(query ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
  return entries.length === 0 ? path : `${path}?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

/**
 * The `:agency` and `:desk` of an inbox's routes.
 *
 * @example
 * routePath(ROUTES.inbox, inboxParams('police-laval/dispatch')) // '/v1/inboxes/police-laval/dispatch'
 */
export function inboxParams(inbox: string): { agency: string; desk: string } {
  const slash = inbox.indexOf('/');
  return { agency: inbox.slice(0, Math.max(slash, 0)), desk: inbox.slice(slash + 1) };
}
