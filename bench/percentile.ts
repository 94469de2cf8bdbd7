/**
 * The one percentile definition of every bench figure (Vigie and its peer
 * are compared in one table: they must be ranked the same way).
 */

/** The sample at rank ⌊q·n⌋ (capped at the last) of ascending `sorted`, q in [0, 1]; NaN when empty. */
export function percentile(sorted: readonly number[] | Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
