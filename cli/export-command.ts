import { resolve } from 'node:path';
import { readLedgerExport, Warehouse } from '../load/index.ts';
import { writeSaftFile, writeSieFile } from '../formats/index.ts';
import { orgId, requiredString, warehousePath } from './terminal/options.ts';
import { UsageError } from '../pipeline/index.ts';

export async function exportCommand(values: Record<string, unknown>): Promise<number> {
  const org = orgId(values);
  const format = requiredString(values, 'format', 'choose --format saft or --format sie');
  if (format !== 'saft' && format !== 'sie') throw new UsageError(`--format must be saft or sie, not "${format}".`);
  const year = requiredString(values, 'fiscal-year', 'give the fiscal year, e.g. --fiscal-year 2025');
  const out = resolve((values.out as string | undefined) ?? `${org}-${year}.${format === 'saft' ? 'xml' : 'se'}`);
  const warehouse = await Warehouse.open(warehousePath(values));
  try {
    const ledger = await readLedgerExport(warehouse, org, year);
    await (format === 'saft' ? writeSaftFile(ledger, out) : writeSieFile(ledger, out));
    console.log(`Wrote ${out}: fiscal year ${ledger.fiscal_year.label}, ${ledger.totals.entries} vouchers.`);
    return 0;
  } finally {
    warehouse.close();
  }
}
