/**
 * Opening the person's keys and talking to the hub with them. Agency root
 * keys seen by this device are pinned in the key directory, so that a hub
 * that later swaps an agency's root key is caught by the SDK's directory
 * (ROOT_KEY_CHANGED) instead of being trusted again on first use; the
 * disclosure log's key is pinned the same way.
 */
import { AgencyAdmin } from '../sdk/admin.js';
import { VigieClient } from '../sdk/client.js';
import type { AgencyKeys } from '../sdk/keys.js';
import type { Context } from './context.js';
import { localInstruments } from './format.js';
import { FILES, KeyStore } from './key-store.js';

export async function withMember<T>(ctx: Context, fn: (client: VigieClient, store: KeyStore) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const keys = await store.memberKeys();
  const known = store.readJson<Record<string, string>>(FILES.knownRoots) ?? {};
  const before = JSON.stringify(known);
  // The log key too: a hub that later signs with another key is refused, not trusted anew.
  const logKeys = store.readJson<Record<string, string>>(FILES.knownLogKeys) ?? {};
  const pinnedLog = logKeys[ctx.hub];
  const client = await VigieClient.connect({
    url: ctx.hub,
    keys,
    lang: ctx.lang,
    pinnedRoots: { ...known },
    // The installation's risk instruments: assessments are scored and recomputed with them, never with the hub's.
    instruments: localInstruments(ctx),
    ...(pinnedLog ? { log: { logKey: pinnedLog } } : {}),
  });
  try {
    return await fn(client, store);
  } finally {
    const after = client.directory.pinnedRoots;
    if (JSON.stringify(after) !== before) store.writeJson(FILES.knownRoots, { ...known, ...after });
    const seen = client.log.trust.logKey;
    if (seen && seen !== pinnedLog) store.writeJson(FILES.knownLogKeys, { ...logKeys, [ctx.hub]: seen });
  }
}

export async function withAgency<T>(ctx: Context, fn: (admin: AgencyAdmin, keys: AgencyKeys, store: KeyStore) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const keys = await store.agencyKeys();
  const admin = await AgencyAdmin.create(ctx.hub, keys, ctx.lang);
  return fn(admin, keys, store);
}
