import type { Warehouse } from './warehouse.ts';

export interface TrialBalanceRow {
  account_id: string;
  name: string | null;
  opening: string;
  debit: string;
  credit: string;
  closing: string;
}

/** Opening, movements and closing per account for one fiscal year, as exact decimal strings. */
export async function trialBalance(warehouse: Warehouse, orgId: string, fiscalYearStart: string): Promise<TrialBalanceRow[]> {
  return warehouse.all<TrialBalanceRow & Record<string, unknown>>(
    `WITH movement AS (
       SELECT account_id,
              coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS debit,
              coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS credit
       FROM ledger_line WHERE org_id = $1 AND fiscal_year_start = $2::DATE GROUP BY account_id),
     opening AS (SELECT account_id, amount FROM opening_balance WHERE org_id = $1 AND fiscal_year_start = $2::DATE),
     accounts AS (SELECT account_id FROM movement UNION SELECT account_id FROM opening)
     SELECT x.account_id, a.name,
            coalesce(o.amount, 0)::DECIMAL(18,2)::VARCHAR AS opening,
            coalesce(m.debit, 0)::DECIMAL(18,2)::VARCHAR AS debit,
            coalesce(m.credit, 0)::DECIMAL(18,2)::VARCHAR AS credit,
            (coalesce(o.amount, 0) + coalesce(m.debit, 0) - coalesce(m.credit, 0))::DECIMAL(18,2)::VARCHAR AS closing
     FROM accounts x
     LEFT JOIN movement m USING (account_id) LEFT JOIN opening o USING (account_id)
     LEFT JOIN account a ON a.org_id = $1 AND a.account_id = x.account_id
     ORDER BY x.account_id`,
    [orgId, fiscalYearStart],
  );
}
