/**
 * Leaves that reveal nothing: each leaf of the disclosure log commits to its
 * record (who disclosed what kind of information to whom, on which basis)
 * with a salted SHA-256, instead of carrying it. The record and its salt live
 * in the authenticated register; anyone can check the tree, only those who
 * may read a record can check that a leaf commits to it.
 *
 * ```
 * commitment = SHA-256("vigie/leaf-commitment/v1\n" ‖ salt (32 bytes) ‖ UTF-8 record)
 * leaf       = RFC 8785 {"commitment":"<base64url commitment>","v":2}
 * ```
 *
 * Leaves of leaf version 1 (written before commitments) carry their record
 * itself: they verify when the leaf text equals the record and there is no salt.
 *
 * @example
 * const leaf = committedLeaf(crypto.sha256, record, salt);
 * verifyLeafRecord(crypto.sha256, leaf, record, toB64u(salt)); // true
 */
import { concatBytes, fromB64u, toB64u, utf8 } from '../encoding.js';

export const LEAF_COMMITMENT_VERSION = 2;
export const SALT_BYTES = 32;
const DOMAIN = utf8('vigie/leaf-commitment/v1\n');
const COMMITMENT_PATTERN = /^\{"commitment":"([A-Za-z0-9_-]{43})","v":2\}$/;

export type Sha256 = (data: Uint8Array) => Uint8Array;

/** The bytes a commitment hashes. */
export function commitmentInput(salt: Uint8Array, record: string): Uint8Array {
  if (!(salt instanceof Uint8Array) || salt.length !== SALT_BYTES) throw new RangeError('salt must be 32 bytes');
  return concatBytes(DOMAIN, salt, utf8(record));
}

/**
 * The leaf text for a record: its salted commitment, canonical JSON.
 *
 * @example
 * committedLeaf(sha256, '{"type":"message.accepted",…}', salt) // '{"commitment":"3q2…","v":2}'
 */
export function committedLeaf(sha256: Sha256, record: string, salt: Uint8Array): string {
  return `{"commitment":"${toB64u(sha256(commitmentInput(salt, record)))}","v":${LEAF_COMMITMENT_VERSION}}`;
}

/** The commitment a leaf carries, or null for a leaf that is not a version-2 commitment. */
export function leafCommitment(leaf: string): string | null {
  return COMMITMENT_PATTERN.exec(leaf)?.[1] ?? null;
}

/**
 * Whether `leaf` commits to `record` under `salt` (base64url), or, for a
 * version-1 leaf (no salt), carries it verbatim. Never throws.
 *
 * @example
 * if (!verifyLeafRecord(sha256, entry, row.record, row.salt)) problems.push('RECORD_MISMATCH');
 */
export function verifyLeafRecord(sha256: Sha256, leaf: string, record: string, salt: string | null): boolean {
  try {
    if (salt === null) return leafCommitment(leaf) === null && leaf === record;
    const bytes = fromB64u(salt);
    return bytes.length === SALT_BYTES && committedLeaf(sha256, record, bytes) === leaf;
  } catch {
    return false;
  }
}
