import type { Warehouse } from '../../load/index.ts';

/** Tables that hold the ledger itself (not run bookkeeping), for "unchanged" comparisons. */
export const ledgerTables = [
  'organization', 'fiscal_year', 'account', 'journal', 'dimension', 'party', 'tax_code', 'voucher', 'ledger_line',
  'ledger_line_dimension', 'opening_balance', 'account_balance', 'budget', 'change_log', 'import_issue',
] as const;

/** Every row of the ledger tables, in a stable order; timestamps of bookkeeping left out. */
export async function dumpLedger(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of ledgerTables) {
    const exclude = table === 'organization' ? ' EXCLUDE (created_at, updated_at)' : '';
    dump[table] = await warehouse.all(`SELECT *${exclude} FROM ${table} ORDER BY ALL`);
  }
  return dump;
}
