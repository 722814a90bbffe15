/**
 * A simulated company as its simulator serves it, per fiscal year, aggregated like the
 * generator's own truth; every simulator computes it from what it serves, so it follows every
 * mutation.
 */
export interface SimulatedYearTruth {
  start: string;
  end: string;
  /** Account number as string → øre; every account, zero included. */
  opening: Map<string, bigint>;
  /** Account → 'YYYY-MM' → net øre; non-zero cells only. */
  movements: Map<string, Map<string, bigint>>;
  vouchers: number;
  lines: number;
}
