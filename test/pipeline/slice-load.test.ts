import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSlice, sameOrgNumber } from '../../pipeline/index.ts';
import { readSyncStates, Warehouse, WarehouseError } from '../../load/index.ts';
import { BatchBuilder, emptyTransformResult, type CellValue, type TableBatch } from '../../transform/index.ts';
import { FixedClock, unifiedTables, type UnifiedTable } from '../../model/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function rows(table: UnifiedTable, values: Record<string, CellValue>[]): TableBatch {
  const builder = new BatchBuilder(unifiedTables[table]);
  for (const row of values) builder.appendRow(unifiedTables[table].map((c) => row[c.name] ?? null));
  return { table, batch: builder.flush()! };
}

const oneRow = (table: UnifiedTable, values: Record<string, CellValue>) => rows(table, [values]);

function sliceOf(batches: () => AsyncIterable<TableBatch>) {
  return {
    orgId: 'acme',
    runId: 'run-1',
    label: 'test.xml',
    batches,
    result: emptyTransformResult(),
    keepYears: 3,
    replaces: () => ({ vouchers: 'year', balances: 'year' }) as const,
    syncState: async () => ({ stream: 'test', cursor: null }),
  };
}

describe('loadSlice', () => {
  it('reports the error that made DuckDB abort the slice, not the abort, and writes nothing', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    const memoryLimit = "SELECT current_setting('memory_limit') AS memory_limit, current_setting('threads')::VARCHAR AS threads";
    try {
      const before = await warehouse.one(memoryLimit);
      // A staged table (account) and an in-place one (ledger_line) whose append DuckDB refuses:
      // the staging tables cannot be dropped in the aborted transaction before its rollback.
      async function* batches(): AsyncGenerator<TableBatch> {
        yield oneRow('account', { org_id: 'acme', account_id: '1930', name: 'Bank', is_active: true });
        yield oneRow('ledger_line', { org_id: 'acme', voucher_id: '2024/A/1', line_no: 1 });
      }
      const load = loadSlice(warehouse, sliceOf(batches));
      await expect(load).rejects.toThrow(/NOT NULL constraint failed: ledger_line\.account_id/);
      expect(await warehouse.all('SELECT (SELECT count(*) FROM account)::INTEGER AS accounts, (SELECT count(*) FROM ledger_line)::INTEGER AS lines')).toEqual([{ accounts: 0, lines: 0 }]);
      // The load's lower memory limits and its one thread are lifted again, failure or not.
      expect(await warehouse.one(memoryLimit)).toEqual(before);
    } finally {
      warehouse.close();
    }
  });

  it('says a full disk stopped the load when DuckDB cannot spill, not DuckDB\'s advice on SET threads', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      // As a nearly full disk does: DuckDB sizes the spill directory by the disk's free space.
      await warehouse.run("SET max_temp_directory_size = '1MB'");
      // ~128 MB of staged accounts, held to the load's 32 MB while appended: it has to spill.
      // Random base64 text, so that no compression makes it small: hex text, 16 symbols, can be
      // packed to about half, and the old 64 MB of it sometimes fit without spilling.
      const name = randomBytes(3000).toString('base64');
      async function* batches(): AsyncGenerator<TableBatch> {
        for (let b = 0; b < 32; b++) {
          yield rows('account', Array.from({ length: 1000 }, (_, i) => ({ org_id: 'acme', account_id: `${b}-${i}`, name: `${name}${b}-${i}`, is_active: true })));
        }
      }
      const error = await loadSlice(warehouse, sliceOf(batches)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      const message = (error as Error).message;
      expect(message).toMatch(/^Loading test\.xml needed more room than is left on the disk of .*w\.duckdb\.tmp, where DuckDB puts what does not fit in memory \(.+\); nothing was written\. Free disk space there and run it again\.$/);
      expect(message).not.toMatch(/SET threads|\n/);
      expect(((error as Error).cause as Error).message).toMatch(/max_temp_directory_size/);
      expect(await warehouse.all('SELECT count(*)::INTEGER AS accounts FROM account')).toEqual([{ accounts: 0 }]);
    } finally {
      warehouse.close();
    }
  });

  it("commits the slice's sync state with the instant of the clock it was given", async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      async function* batches(): AsyncGenerator<TableBatch> {
        yield oneRow('account', { org_id: 'acme', account_id: '1930', name: 'Bank', is_active: true });
      }
      const result = emptyTransformResult();
      result.header = {
        format: 'tripletex', format_version: 'tripletex-api', declared_version: null, encoding: null, software: 'tripletex',
        organization: { name: 'Acme AS', country: 'NO', org_number: '888888888', base_currency: 'NOK', source_company_ref: '1' },
        selection_start: null, selection_end: null, fiscal_years: [], extra: null,
      };
      // Years away from the machine's date: the state carries this clock's time, not DuckDB's now().
      const clock = new FixedClock('2031-06-15');
      await loadSlice(warehouse, { ...sliceOf(batches), result, replaces: () => ({ vouchers: 'none', balances: 'none' }) as const, syncState: async () => ({ stream: 'tripletex:accounts', cursor: null }), clock });
      expect((await readSyncStates(warehouse, 'acme')).get('tripletex:accounts', 'organization')).toEqual({ stream: 'tripletex:accounts', slice: 'organization', cursor: null, committedAt: clock.now() });
    } finally {
      warehouse.close();
    }
  });

  it('tells one company from another by org number, in any of its notations', () => {
    const same = [
      ['888888888', 'NO 888 888 888 MVA'],
      ['556677-8899', 'SE556677889901'],
      ['556677-8899', '16556677-8899'],
      ['650101-1234', '19650101-1234'],
      ['1234567-8', 'FI12345678'],
    ];
    for (const [a, b] of same) expect(sameOrgNumber(a!, b!), `${a} ~ ${b}`).toBe(true);
    const other = [
      ['888888888', '999999999'],
      ['556677-8899', '556677-8898'],
      ['1234567-8', '1234567-9'],
    ];
    for (const [a, b] of other) expect(sameOrgNumber(a!, b!), `${a} ≁ ${b}`).toBe(false);
  });
});
