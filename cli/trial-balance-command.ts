import { trialBalance, Warehouse } from '../load/index.ts';
import { findFiscalYear } from '../model/index.ts';
import { orgId, warehousePath } from './terminal/options.ts';
import { printTrialBalance } from './terminal/trial-balance-table.ts';

export async function trialBalanceCommand(values: Record<string, unknown>): Promise<number> {
  const org = orgId(values);
  const warehouse = await Warehouse.open(warehousePath(values));
  try {
    const years = await warehouse.all<{ start_date: string; end_date: string; label: string }>(
      'SELECT start_date::VARCHAR AS start_date, end_date::VARCHAR AS end_date, label FROM fiscal_year WHERE org_id = $1 ORDER BY start_date DESC',
      [org],
    );
    const wanted = values['fiscal-year'] as string | undefined;
    const { year, why } = wanted ? findFiscalYear(years, wanted) : years[0] ? { year: years[0] } : { why: 'has no fiscal years in the warehouse; import or sync it first.' };
    if (!year) {
      console.error(`Organization "${org}" ${why}`);
      return 1;
    }
    printTrialBalance(`${org}, fiscal year ${year.label}`, await trialBalance(warehouse, org, year.start_date));
    return 0;
  } finally {
    warehouse.close();
  }
}
