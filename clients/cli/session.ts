/**
 * Opening the person's keys and talking to the hub with them. Agency root
 * keys seen by this device are pinned in the key directory, so that a hub
 * that later swaps an agency's root key is caught by the SDK's directory
 * (ROOT_KEY_CHANGED) instead of being trusted again on first use; the
 * disclosure log's key is pinned the same way.
 */
import { AgencyAdmin } from '../sdk/admin.js';
import { VigieClient } from '../sdk/client.js';
import type { PinStore } from '../sdk/directory.js';
import type { AgencyKeys } from '../sdk/keys.js';
import type { Context } from './context.js';
import { localInstruments } from './format.js';
import { FILES, KeyStore } from './key-store.js';
import { LogTrustStore } from './log-trust.js';

/**
 * What this device pinned: agency root keys and this hub's log key. `save`
 * writes back what a run pinned on top of them (first-use keys, proven in the log).
 */
export function readPins(ctx: Context, store: KeyStore) {
  const roots = store.readJson<Record<string, string>>(FILES.knownRoots) ?? {};
  // Saved as soon as a key is pinned, not only when the command ends.
  const pinStore: PinStore = { load: () => ({ ...roots }), save: (pins) => store.writeJson(FILES.knownRoots, { ...roots, ...pins }) };
  // The log key too: a hub that later signs with another key is refused, not trusted anew.
  const logKeys = store.readJson<Record<string, string>>(FILES.knownLogKeys) ?? {};
  const logKey = logKeys[ctx.hub];
  return {
    roots,
    pinStore,
    logKey,
    save(pinnedRoots: Readonly<Record<string, string>>, seenLogKey: string | undefined): void {
      const merged = { ...roots, ...pinnedRoots };
      if (JSON.stringify(merged) !== JSON.stringify(roots)) store.writeJson(FILES.knownRoots, merged);
      if (seenLogKey && seenLogKey !== logKey) store.writeJson(FILES.knownLogKeys, { ...logKeys, [ctx.hub]: seenLogKey });
    },
  };
}

export async function withMember<T>(ctx: Context, fn: (client: VigieClient, store: KeyStore) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const keys = await store.memberKeys();
  const pins = readPins(ctx, store);
  const client = await VigieClient.connect({
    url: ctx.hub,
    keys,
    lang: ctx.lang,
    pinStore: pins.pinStore,
    // The installation's risk instruments: assessments are scored and recomputed with them, never with the hub's.
    instruments: localInstruments(ctx),
    // The witnesses this device requires (`vigie audit trust`): a checkpoint below their quorum is refused.
    log: { ...(pins.logKey ? { logKey: pins.logKey } : {}), ...(new LogTrustStore(ctx).witnessTrust() ?? {}) },
  });
  try {
    return await fn(client, store);
  } finally {
    pins.save(client.directory.pinnedRoots, client.log.trust.logKey);
  }
}

export async function withAgency<T>(ctx: Context, fn: (admin: AgencyAdmin, keys: AgencyKeys, store: KeyStore) => Promise<T>): Promise<T> {
  const store = new KeyStore(ctx);
  const keys = await store.agencyKeys();
  const admin = await AgencyAdmin.create(ctx.hub, keys, ctx.lang);
  return fn(admin, keys, store);
}
