import type { Money } from '../model/index.ts';
import type { Warehouse } from './warehouse.ts';

/** One account of one fiscal year: the balances a source stated and the movements held. */
export interface StatedAccountYear {
  account_id: string;
  /** The stated opening balance; 0 where the source stated none for the account. */
  opening: Money;
  /** Σ ledger_line.amount of the year, as the warehouse holds it after the run. */
  movements: Money;
  closing: Money;
}

/**
 * Every account whose closing balance `source` stated for the fiscal year starting on
 * `fiscalYearStart` (account level: no dimension), with its stated opening and the year's
 * movements in the warehouse, in øre. What closing = opening + movements then finds is the
 * shared validation's to say (transform/validations).
 */
export async function statedAccountYears(warehouse: Warehouse, orgId: string, fiscalYearStart: string, source: string): Promise<StatedAccountYear[]> {
  const rows = await warehouse.all<{ account_id: string; opening: bigint; movements: bigint; closing: bigint }>(
    `WITH fy AS (SELECT start_date, end_date FROM fiscal_year WHERE org_id = $1 AND start_date = $2::DATE),
     stated AS (
       SELECT b.account_id,
              sum(b.amount) FILTER (WHERE b.balance_type = 'opening' AND b.as_of = fy.start_date) AS opening,
              sum(b.amount) FILTER (WHERE b.balance_type = 'closing' AND b.as_of = fy.end_date) AS closing
       FROM account_balance b, fy
       WHERE b.org_id = $1 AND b.fiscal_year_start = $2::DATE AND b.source = $3 AND b.dimension_type IS NULL
       GROUP BY b.account_id),
     moved AS (SELECT account_id, sum(amount) AS movements FROM ledger_line WHERE org_id = $1 AND fiscal_year_start = $2::DATE GROUP BY account_id)
     SELECT s.account_id,
            CAST(coalesce(s.opening, 0) * 100 AS BIGINT) AS opening,
            CAST(coalesce(m.movements, 0) * 100 AS BIGINT) AS movements,
            CAST(s.closing * 100 AS BIGINT) AS closing
     FROM stated s LEFT JOIN moved m USING (account_id)
     WHERE s.closing IS NOT NULL
     ORDER BY s.account_id`,
    [orgId, fiscalYearStart, source],
  );
  return rows.map((r) => ({ account_id: r.account_id, opening: BigInt(r.opening), movements: BigInt(r.movements), closing: BigInt(r.closing) }));
}

