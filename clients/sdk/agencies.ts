/**
 * The public directory of agencies and their desks, as a sender chooses a
 * partner or a recipient desk by its names. A convenience for people, never a
 * key: what a client encrypts to is each inbox's certificate, checked against
 * the root key its protocol names (Directory).
 *
 * @example
 * const desks = await agencyInboxes(http, 'police-laval'); // [{ inbox: 'police-laval/dispatch', names, keyVersion }]
 */
import type { HubHttp } from './http.js';

export interface AgencyView {
  id: string;
  kind: string;
  names: { fr: string; en: string };
  rootKey: string;
}

export interface AgencyInbox {
  inbox: string;
  names: { fr: string; en: string };
  keyVersion: number;
}

export const listAgencies = (http: HubHttp) => http.get<AgencyView[]>('/v1/agencies');
export const agencyInboxes = (http: HubHttp, agency: string) => http.get<AgencyInbox[]>(`/v1/agencies/${encodeURIComponent(agency)}/inboxes`);
