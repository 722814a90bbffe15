import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSlice } from '../../cli/slice-load.ts';
import { Warehouse } from '../../load/index.ts';
import { BatchBuilder, emptyTransformResult, unifiedTables, type CellValue, type TableBatch, type UnifiedTable } from '../../transform/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function oneRow(table: UnifiedTable, values: Record<string, CellValue>): TableBatch {
  const builder = new BatchBuilder(unifiedTables[table]);
  builder.appendRow(unifiedTables[table].map((c) => values[c.name] ?? null));
  return { table, batch: builder.flush()! };
}

describe('loadSlice', () => {
  it('reports the error that made DuckDB abort the slice, not the abort, and writes nothing', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    const memoryLimit = "SELECT current_setting('memory_limit') AS memory_limit";
    try {
      const before = await warehouse.one(memoryLimit);
      // A staged table (account) and an in-place one (ledger_line) whose append DuckDB refuses:
      // the staging tables cannot be dropped in the aborted transaction before its rollback.
      async function* batches(): AsyncGenerator<TableBatch> {
        yield oneRow('account', { org_id: 'acme', account_id: '1930', name: 'Bank', is_active: true });
        yield oneRow('ledger_line', { org_id: 'acme', voucher_id: '2024/A/1', line_no: 1 });
      }
      const load = loadSlice(warehouse, {
        orgId: 'acme',
        runId: 'run-1',
        label: 'test.xml',
        batches: () => batches(),
        result: emptyTransformResult(),
        keepYears: 3,
        replaces: () => ({ vouchers: 'year', balances: true }),
        syncState: async () => ({ stream: 'test', cursor: null }),
      });
      await expect(load).rejects.toThrow(/NOT NULL constraint failed: ledger_line\.account_id/);
      expect(await warehouse.all('SELECT (SELECT count(*) FROM account)::INTEGER AS accounts, (SELECT count(*) FROM ledger_line)::INTEGER AS lines')).toEqual([{ accounts: 0, lines: 0 }]);
      // The load's lower memory limits are lifted again, failure or not.
      expect(await warehouse.one(memoryLimit)).toEqual(before);
    } finally {
      warehouse.close();
    }
  });
});
