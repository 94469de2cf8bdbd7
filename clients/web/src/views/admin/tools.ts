/**
 * What the administrator's views work with: the agency, how its own lists
 * are read (a request the root key signs, or the admin role's token), the
 * root key that checks every certificate shown, and — only when this browser
 * holds the agency's root key — the tools that sign.
 */
import type { CryptoPort } from '../../../../../protocol/crypto-port.js';
import { listAgencies } from '../../../../sdk/agencies.js';
import { HubHttp } from '../../../../sdk/http.js';
import { agencyInvitations, agencyMembers, type AgencyInvitation, type AgencyMember } from '../../../../sdk/roster.js';
import { browserPinStore } from '../../lib/device-store.js';
import { useLang } from '../../lib/lang.js';
import { useLoad, type Loaded } from '../../lib/load.js';
import { useOpen, type AgencySession } from '../../lib/session.js';
import { AgencyViewSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../../protocol/api/routes.js';

export interface AdminTools {
  agency: string;
  crypto: CryptoPort;
  http: HubHttp;
  /** The agency's root key and the tools that sign with it; null for a member with the admin role only (reading). */
  root: AgencySession | null;
  /** The agency's root public key this browser trusts: its own, or the one it pinned. */
  rootKey(): Promise<string>;
  members(): Promise<AgencyMember[]>;
  invitations(): Promise<AgencyInvitation[]>;
}

export function useAdmin(): AdminTools {
  const open = useOpen();
  const { lang } = useLang();
  const root = open.agency;
  const member = open.member;
  const agency = root?.keys.agency ?? member!.keys.agency;
  const http = new HubHttp(location.origin, lang);
  const rootKey = async () => {
    if (root) return root.keys.root.publicKey;
    const pinned = browserPinStore.load()[agency];
    if (pinned) return pinned;
    // Not pinned yet on this browser: the key the hub serves, which the device's own directory checked when it connected.
    return (await http.get(routePath(ROUTES.agency, { agency }), AgencyViewSchema)).rootKey;
  };
  const token = async () => ({ token: await member!.client.accessToken() });
  return {
    agency,
    crypto: open.crypto,
    http,
    root,
    rootKey,
    members: async () => (root ? root.admin.members() : agencyMembers(http, open.crypto, agency, await token(), await rootKey())),
    invitations: async () => (root ? root.admin.invitations() : agencyInvitations(http, open.crypto, agency, await token())),
  };
}

/** Agency ids as their names in the person's language, with the id: « Police Laval (police-laval) ». */
export function useAgencyNames(): { name(agency: string): string; agencies: Loaded<Awaited<ReturnType<typeof listAgencies>>> } {
  const { lang } = useLang();
  const tools = useAdmin();
  const agencies = useLoad(() => listAgencies(tools.http), []);
  return {
    agencies,
    name: (agency) => {
      const found = agencies.data?.find((a) => a.id === agency);
      return found ? `${found.names[lang]} (${agency})` : agency;
    },
  };
}
