/**
 * Opening the person's keys and talking to the hub with them. Agency root
 * keys seen by this device are pinned in the key directory, so that a hub
 * that later swaps an agency's root key is caught by the SDK's directory
 * (ROOT_KEY_CHANGED) instead of being trusted again on first use.
 */
import { AgencyAdmin } from '../sdk/admin.js';
import { VigieClient } from '../sdk/client.js';
import type { AgencyKeys } from '../sdk/keys.js';
import type { Context } from './context.js';
import { FILES, KeyStore } from './key-store.js';

export async function withMember<T>(ctx: Context, fn: (client: VigieClient, store: KeyStore) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const keys = await store.memberKeys();
  const known = store.readJson<Record<string, string>>(FILES.knownRoots) ?? {};
  const before = JSON.stringify(known);
  const client = await VigieClient.connect({ url: ctx.hub, keys, lang: ctx.lang, pinnedRoots: { ...known } });
  try {
    return await fn(client, store);
  } finally {
    const after = client.directory.pinnedRoots;
    if (JSON.stringify(after) !== before) store.writeJson(FILES.knownRoots, { ...known, ...after });
  }
}

export async function withAgency<T>(ctx: Context, fn: (admin: AgencyAdmin, keys: AgencyKeys, store: KeyStore) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const keys = await store.agencyKeys();
  const admin = await AgencyAdmin.create(ctx.hub, keys, ctx.lang);
  return fn(admin, keys, store);
}
