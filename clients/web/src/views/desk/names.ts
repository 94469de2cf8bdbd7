/**
 * The names people read for an agency and an inbox, from documents signed by
 * the agency's root key (its registration, the inbox's certificate), checked
 * on this device against the root key it pinned or proved in the log: the
 * hub cannot rename a partner. Remembered for the session; the bare id
 * stands in until (or unless) a name is verified.
 */
import { useEffect, useState } from 'preact/hooks';
import { toB64u } from '../../../../../protocol/encoding.js';
import { SignedAgencyRegistrationSchema } from '../../../../../protocol/schemas.js';
import { verifyDocument } from '../../../../../protocol/signing.js';
import type { VigieClient } from '../../../../sdk/client.js';
import type { Lang } from '../../lib/lang.js';
import { Value } from '@sinclair/typebox/value';
import { AgencyViewSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../../protocol/api/routes.js';

export type Names = { fr: string; en: string };

const agencies = new Map<string, Promise<Names | null>>();
const inboxes = new Map<string, Promise<Names | null>>();

export function agencyNames(client: VigieClient, agency: string): Promise<Names | null> {
  let found = agencies.get(agency);
  if (!found) {
    found = (async () => {
      const root = await client.directory.rootKey(agency);
      const { registration } = await client.http.get(routePath(ROUTES.agency, { agency }), AgencyViewSchema);
      if (!Value.Check(SignedAgencyRegistrationSchema, registration)) return null;
      const doc = registration.document;
      if (doc.agency !== agency || !verifyDocument(client.crypto, 'agency-registration', registration, root) || doc.rootKey !== toB64u(root)) return null;
      return doc.names;
    })().catch(() => null);
    agencies.set(agency, found);
  }
  return found;
}

function inboxNames(client: VigieClient, inbox: string): Promise<Names | null> {
  let found = inboxes.get(inbox);
  if (!found) {
    found = client.directory.inbox(inbox).then(
      (c) => c.names,
      () => null,
    );
    inboxes.set(inbox, found);
  }
  return found;
}

/** « Maison Laval — Intervention » once verified; the ids until then. */
export function useSenderNames(client: VigieClient, lang: Lang, sender: { agency: string; inbox: string } | null): { agency: string; inbox: string } {
  const [names, setNames] = useState<{ agency: Names | null; inbox: Names | null }>({ agency: null, inbox: null });
  useEffect(() => {
    if (!sender) return;
    let live = true;
    void Promise.all([agencyNames(client, sender.agency), inboxNames(client, sender.inbox)]).then(([agency, inbox]) => {
      if (live) setNames({ agency, inbox });
    });
    return () => {
      live = false;
    };
  }, [sender?.agency, sender?.inbox]);
  return { agency: names.agency?.[lang] ?? sender?.agency ?? '—', inbox: names.inbox?.[lang] ?? sender?.inbox ?? '—' };
}

/** One inbox's verified name, or its id. */
export function useInboxName(client: VigieClient, lang: Lang, inbox: string): string {
  const [names, setNames] = useState<Names | null>(null);
  useEffect(() => {
    let live = true;
    void inboxNames(client, inbox).then((n) => live && setNames(n));
    return () => {
      live = false;
    };
  }, [inbox]);
  return names?.[lang] ?? inbox;
}

/** Several inboxes' verified names at once (a step of an escalation chain). */
export function useInboxNames(client: VigieClient, lang: Lang, ids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, Names | null>>({});
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(ids.map(async (id) => [id, await inboxNames(client, id)] as const)).then((pairs) => live && setNames(Object.fromEntries(pairs)));
    return () => {
      live = false;
    };
  }, [key]);
  return Object.fromEntries(ids.map((id) => [id, names[id]?.[lang] ?? id]));
}
