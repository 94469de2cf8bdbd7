// Deterministic crypto_box_seal for known-answer vectors only. libsodium's
// crypto_box_seal draws its ephemeral key pair at random; fixing the seed of
// that key pair makes the output reproducible while staying byte-compatible
// with crypto_box_seal_open (checked by the vector test).
import sodium from 'libsodium-wrappers-sumo';

export interface SealTrace {
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
  box: Uint8Array;
}

/** crypto_box_seal with ephemeral = crypto_box_seed_keypair(seed): epk ‖ crypto_box_easy(m, BLAKE2b-192(epk ‖ pk), pk, esk). */
export function sealWithSeed(message: Uint8Array, recipientPublicKey: Uint8Array, ephemeralSeed: Uint8Array): SealTrace {
  const ephemeral = sodium.crypto_box_seed_keypair(ephemeralSeed);
  const epkPk = new Uint8Array(64);
  epkPk.set(ephemeral.publicKey, 0);
  epkPk.set(recipientPublicKey, 32);
  const nonce = sodium.crypto_generichash(sodium.crypto_box_NONCEBYTES, epkPk, null);
  const boxed = sodium.crypto_box_easy(message, nonce, recipientPublicKey, ephemeral.privateKey);
  const box = new Uint8Array(32 + boxed.length);
  box.set(ephemeral.publicKey, 0);
  box.set(boxed, 32);
  sodium.memzero(ephemeral.privateKey);
  return { ephemeralPublicKey: ephemeral.publicKey, nonce, box };
}

/**
 * A `seal` for buildEnvelope that uses the given ephemeral seeds in order,
 * one per call, and records what it did.
 */
export function deterministicSealer(seeds: readonly Uint8Array[]): {
  seal: (message: Uint8Array, publicKey: Uint8Array) => Uint8Array;
  traces: SealTrace[];
} {
  const traces: SealTrace[] = [];
  const seal = (message: Uint8Array, publicKey: Uint8Array): Uint8Array => {
    const seed = seeds[traces.length];
    if (!seed) throw new Error('deterministicSealer: more seals than seeds');
    const trace = sealWithSeed(message, publicKey, seed);
    traces.push(trace);
    return trace.box;
  };
  return { seal, traces };
}

export { sodium };
