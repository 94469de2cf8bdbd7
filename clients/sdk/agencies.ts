/**
 * The public directory of agencies and their desks, as a sender chooses a
 * partner or a recipient desk by its names. A convenience for people, never a
 * key: what a client encrypts to is each inbox's certificate, checked against
 * the root key its protocol names (Directory).
 *
 * @example
 * const desks = await agencyInboxes(http, 'police-laval'); // [{ inbox: 'police-laval/dispatch', names, keyVersion }]
 */
import { AgencyInboxListSchema, AgencyListSchema } from '../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../protocol/api/routes.js';
import type { HubHttp } from './http.js';

export type { AgencyInbox, AgencyView } from '../../protocol/api/identity.js';

export const listAgencies = (http: HubHttp) => http.get(ROUTES.agencies, AgencyListSchema);
export const agencyInboxes = (http: HubHttp, agency: string) => http.get(routePath(ROUTES.agencyInboxes, { agency }), AgencyInboxListSchema);
