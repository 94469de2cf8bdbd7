/**
 * What the shelter's views read from the hub through the SDK, remembered for
 * the session: the protocols in force this device's agency signed, the
 * partner agencies and their desks (by name), and the devices that signed
 * receipts (their certified labels).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ProtocolDocument, ProtocolView } from '../../../../../protocol/protocol-document.js';
import { agencyInboxes, listAgencies, type AgencyInbox, type AgencyView } from '../../../../sdk/agencies.js';
import type { VigieClient } from '../../../../sdk/client.js';
import type { ProtocolRef } from '../../../../sdk/directory.js';
import { listProtocols } from '../../../../sdk/protocols.js';
import type { Lang } from '../../lib/lang.js';
import { agencyOfInbox } from '../../../../../protocol/ids.js';

export interface InForce {
  ref: ProtocolRef;
  view: ProtocolView;
  /** The document as this device's agency signed it (checked by the directory). */
  doc: ProtocolDocument;
}

const cache = new WeakMap<VigieClient, Map<string, Promise<unknown>>>();

function once<T>(client: VigieClient, key: string, load: () => Promise<T>): Promise<T> {
  let map = cache.get(client);
  if (!map) cache.set(client, (map = new Map()));
  let found = map.get(key) as Promise<T> | undefined;
  if (!found) {
    found = load();
    map.set(key, found);
    // A failure is not remembered: the next view asks again.
    found.catch(() => map!.delete(key));
  }
  return found;
}

/** The protocol versions in force to which this device's agency is a party, each checked against its signature. */
export function protocolsInForce(client: VigieClient): Promise<InForce[]> {
  return once(client, 'protocols', async () => {
    const views = (await listProtocols(client.http)).filter((v) => v.status === 'active' && v.parties.some((p) => p.agency === client.agency));
    const checked = await Promise.all(
      views.map(async (view) => {
        const ref = { id: view.id, version: view.version };
        return client.directory.protocol(ref).then((doc) => ({ ref, view, doc }), () => null);
      }),
    );
    return checked.filter((p): p is InForce => p !== null);
  });
}

export const agencies = (client: VigieClient): Promise<AgencyView[]> => once(client, 'agencies', () => listAgencies(client.http));
export const desksOf = (client: VigieClient, agency: string): Promise<AgencyInbox[]> => once(client, `desks:${agency}`, () => agencyInboxes(client.http, agency));

/** The certified label of a device (a desk or device label, never a person's name), under the protocol a message was sent under. */
export const deviceLabel = (client: VigieClient, member: string, ref?: ProtocolRef): Promise<string> =>
  once(client, `member:${member}`, () => client.directory.member(member, ref).then((m) => m.label));

/**
 * An inbox's names from its certificate, checked against its agency's root
 * key; an inbox its agency does not list (a protocol may name a desk not
 * created yet) is not asked for.
 */
export const inboxNames = (client: VigieClient, inbox: string): Promise<{ fr: string; en: string }> =>
  once(client, `inbox:${inbox}`, async () => {
    const desks = await desksOf(client, agencyOfInbox(inbox));
    if (!desks.some((d) => d.inbox === inbox)) throw new Error(`${inbox}: no such inbox`);
    return (await client.directory.inbox(inbox)).names;
  });

/** An agency's name in a language, with its id: « Police Laval (police-laval) ». */
export function agencyLabel(list: AgencyView[] | undefined, lang: Lang, id: string): string {
  const found = list?.find((a) => a.id === id);
  return found ? `${found.names[lang]} (${id})` : id;
}

/** Names of several inboxes, verified; the ids until they are. */
export function useInboxNames(client: VigieClient, lang: Lang, ids: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, { fr: string; en: string }>>({});
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(ids.map((id) => inboxNames(client, id).then((n) => [id, n] as const, () => null))).then((pairs) => {
      if (live) setNames(Object.fromEntries(pairs.filter((p): p is readonly [string, { fr: string; en: string }] => p !== null)));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return Object.fromEntries(ids.map((id) => [id, names[id] ? `${names[id]![lang]} (${id})` : id]));
}
