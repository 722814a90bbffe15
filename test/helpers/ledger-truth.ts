import { expect } from 'vitest';
import type { Warehouse } from '../../load/index.ts';
import type { GeneratedCompany } from '../../sandbox/index.ts';

/** account → 'YYYY-MM' → movement in minor units. */
export type Movements = Record<string, Record<string, bigint>>;

/** The warehouse's trial balance per account and month, in minor units, non-zero cells only. */
export async function warehouseMovements(warehouse: Warehouse, orgId: string, fiscalYearStart: string): Promise<Movements> {
  const rows = await warehouse.all<{ account_id: string; month: string; cents: string }>(
    `SELECT account_id, strftime(voucher_date, '%Y-%m') AS month, (sum(amount) * 100)::BIGINT::VARCHAR AS cents
     FROM ledger_line WHERE org_id = $1 AND fiscal_year_start = $2::DATE GROUP BY ALL HAVING sum(amount) <> 0`,
    [orgId, fiscalYearStart],
  );
  const result: Movements = {};
  for (const r of rows) (result[r.account_id] ??= {})[r.month] = BigInt(r.cents);
  return result;
}

/** The same shape from a map of maps (the generator's or a simulator's truth). */
export function movementsOf(movements: Map<string, Map<string, bigint>>): Movements {
  const result: Movements = {};
  for (const [account, months] of movements) {
    for (const [month, cents] of months) if (cents !== 0n) (result[account] ??= {})[month] = cents;
  }
  return result;
}

export function truthMovements(company: GeneratedCompany, fiscalYearStart: string): Movements {
  return movementsOf(company.truth.movements(fiscalYearStart));
}

/** Non-zero opening balances per account, in minor units. */
export async function openingBalances(warehouse: Warehouse, orgId: string, fiscalYearStart: string): Promise<Record<string, bigint>> {
  const rows = await warehouse.all<{ account_id: string; cents: string }>(
    `SELECT account_id, (amount * 100)::BIGINT::VARCHAR AS cents FROM opening_balance WHERE org_id = $1 AND fiscal_year_start = $2::DATE AND amount <> 0`,
    [orgId, fiscalYearStart],
  );
  return Object.fromEntries(rows.map((r) => [r.account_id, BigInt(r.cents)]));
}

export function nonZero(balances: Map<string, bigint>): Record<string, bigint> {
  return Object.fromEntries([...balances].filter(([, cents]) => cents !== 0n));
}

/** Every fiscal year of the warehouse's organization equals the generator's: movements per account and month, opening balances, voucher count. */
export async function expectGeneratorTruth(warehouse: Warehouse, company: GeneratedCompany, orgId: string): Promise<void> {
  for (const year of company.truth.years) {
    const start = year.fiscal_year.start_date;
    expect(await warehouseMovements(warehouse, orgId, start)).toEqual(truthMovements(company, start));
    expect(await openingBalances(warehouse, orgId, start)).toEqual(nonZero(year.opening));
    const vouchers = await warehouse.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM voucher WHERE org_id = $1 AND fiscal_year_start = $2::DATE', [orgId, start]);
    expect(vouchers?.n).toBe(year.voucherCount);
  }
}
