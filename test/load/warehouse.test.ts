import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ArrowAppender, explainDuckDbError, Warehouse, WarehouseError, latestSchemaVersion } from '../../load/index.ts';
import { BatchBuilder, daysToDate, type CellValue } from '../../transform/index.ts';
import { unifiedTables, type ColumnKind } from '../../model/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const architectureTables = [
  'organization', 'fiscal_year', 'account', 'journal', 'dimension', 'party', 'tax_code', 'voucher', 'ledger_line',
  'ledger_line_dimension', 'opening_balance', 'document', 'sync_run', 'sync_state', 'change_log',
];

describe('warehouse', () => {
  it('creates every table of the unified schema, with the columns the loader builds batches for', async () => {
    const dir = tempDir();
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const tables = (await warehouse.all<{ table_name: string }>("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")).map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining([...architectureTables, 'budget', 'account_balance', 'import_issue']));
      for (const [table, specs] of Object.entries(unifiedTables)) {
        const columns = await warehouse.all<{ column_name: string }>(
          'SELECT column_name FROM duckdb_columns() WHERE table_name = $1 ORDER BY column_index',
          [table],
        );
        expect(columns.map((c) => c.column_name), table).toEqual(specs.map((s) => s.name));
      }
      const money = await warehouse.all<{ table_name: string; column_name: string; data_type: string }>(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE column_name IN ('amount', 'currency_amount')",
      );
      expect(money.length).toBeGreaterThan(0);
      for (const column of money) expect(column.data_type, `${column.table_name}.${column.column_name}`).toBe('DECIMAL(18,2)');
    } finally {
      warehouse.close();
    }
  });

  it('upgrades a warehouse made by an older version in place and keeps its data', async () => {
    const dir = tempDir();
    const path = join(dir, 'old.duckdb');
    // A version-0 warehouse: it has the version table but no migrations applied.
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)');
    await connection.run('CREATE TABLE keepsake (x INTEGER); INSERT INTO keepsake VALUES (42)');
    connection.closeSync();
    instance.closeSync();

    const warehouse = await Warehouse.open(path);
    try {
      expect(await warehouse.schemaVersion()).toBe(latestSchemaVersion);
      expect(await warehouse.one('SELECT x FROM keepsake')).toEqual({ x: 42 });
    } finally {
      warehouse.close();
    }
    const again = await Warehouse.open(path);
    expect(await again.all('SELECT version FROM schema_version')).toHaveLength(latestSchemaVersion);
    again.close();
  });

  it('holds settings for a piece of work, nested or failing, then gives back the ones before', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    const settings = async () =>
      (await warehouse.one<{ memory: string; threads: string }>("SELECT current_setting('memory_limit') AS memory, current_setting('threads')::VARCHAR AS threads"))!;
    try {
      const usual = await settings();
      expect(usual.threads).toBe(String(availableParallelism()));
      const seen = await warehouse.withSettings({ memory_limit: '64MB' }, async () => {
        const inner = await warehouse.withSettings({ memory_limit: '32MB', threads: '1' }, settings);
        return [inner, await settings()];
      });
      expect(seen).toEqual([{ memory: '30.5 MiB', threads: '1' }, { memory: '61.0 MiB', threads: usual.threads }]);
      await expect(warehouse.withSettings({ memory_limit: '48MB', threads: '1' }, () => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
      expect(await settings()).toEqual(usual);
    } finally {
      warehouse.close();
    }
  });

  it("explains DuckDB's out-of-memory errors in one sentence and leaves other errors as they are", async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await warehouse.run("SET memory_limit = '4MB'");
      // A list has to be held whole: DuckDB cannot spill it.
      const outOfMemory = await warehouse.all("SELECT list(i::VARCHAR || 'abcdefghij') AS l FROM range(3000000) r(i)").catch((e: unknown) => e);
      const explained = explainDuckDbError(outOfMemory, 'Loading x.xml', warehouse.spillDirectory);
      expect(explained).toBeInstanceOf(WarehouseError);
      expect((explained as Error).message).toMatch(
        /^Loading x\.xml ran out of the memory DuckDB may use \(failed to allocate data of size [^\n]+ used\)\); nothing was written\. Run it again with --debug and report the output\.$/,
      );
      expect((explained as Error).cause).toBe(outOfMemory);
      const syntax = await warehouse.all('SELEC 1').catch((e: unknown) => e);
      expect(explainDuckDbError(syntax, 'Loading x.xml', warehouse.spillDirectory)).toBe(syntax);
    } finally {
      warehouse.close();
    }
  });

  it('refuses a warehouse from a newer ledgerhouse with a clear message', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.duckdb');
    const warehouse = await Warehouse.open(path);
    await warehouse.run("INSERT INTO schema_version VALUES (999, 'future', now()::TIMESTAMP)");
    warehouse.close();
    await expect(Warehouse.open(path)).rejects.toThrow(/schema version 999, newer than this ledgerhouse knows/);
  });

  it('appends every column of every table as the value it was given, across DuckDB chunks', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    // Each kind's value for row i, and how DuckDB gives it back as text.
    const cell: Record<ColumnKind, (i: number) => [CellValue, string]> = {
      utf8: (i) => [`v${i}`, `v${i}`],
      json: (i) => [{ i }, `{"i":${i}}`],
      int32: (i) => [i, String(i)],
      int64: (i) => [BigInt(i) * 3_000_000_000n, String(BigInt(i) * 3_000_000_000n)],
      money: (i) => [BigInt(i) * 101n - 250_000n, formatCents(BigInt(i) * 101n - 250_000n)],
      rate: (i) => [BigInt(i) * 2_500n, (i / 4).toFixed(4)],
      date: (i) => [daysToDate(19_000 + i), daysToDate(19_000 + i)],
      timestamp: (i) => [`${daysToDate(19_000 + i)}T12:34:56.000Z`, `${daysToDate(19_000 + i)} 12:34:56`],
      bool: (i) => [i % 3 === 0, String(i % 3 === 0)],
    };
    const rows = 2_500; // beyond one DuckDB chunk (2 048 rows)
    try {
      for (const [table, columns] of Object.entries(unifiedTables)) {
        const nullable = new Set(
          (await warehouse.all<{ name: string }>('SELECT column_name AS name FROM duckdb_columns() WHERE table_name = $1 AND is_nullable', [table])).map((c) => c.name),
        );
        const isNull = (i: number, column: string) => i % 10 === 9 && nullable.has(column);
        const builder = new BatchBuilder(columns, rows);
        for (let i = 0; i < rows; i++) builder.appendRow(columns.map((c) => (isNull(i, c.name) ? null : cell[c.kind](i)[0])));
        const appender = await ArrowAppender.create(warehouse.connection, table);
        appender.append(builder.flush()!);
        appender.close();
        const back = await warehouse.all<Record<string, string | null>>(
          `SELECT ${columns.map((c) => `${c.name}::VARCHAR AS ${c.name}`).join(', ')} FROM ${table} ORDER BY rowid`,
        );
        expect(back).toHaveLength(rows);
        for (let i = 0; i < rows; i++) {
          const expected = Object.fromEntries(columns.map((c) => [c.name, isNull(i, c.name) ? null : cell[c.kind](i)[1]]));
          expect(back[i], `${table} row ${i}`).toEqual(expected);
        }
      }
    } finally {
      warehouse.close();
    }
  });

  it('appends Arrow batches exactly: nulls, long and non-ASCII strings, money, dates, JSON', async () => {
    const dir = tempDir();
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const builder = new BatchBuilder(unifiedTables.ledger_line, 3000);
      const rows = 5000; // crosses batch and DuckDB chunk (2048) boundaries
      for (let i = 0; i < rows; i++) {
        builder.appendRow([
          'org', `2024/GL/${i}`, i % 4, i % 3 ? '1920' : '3000', i % 2 ? -(10n ** 17n) + BigInt(i) : BigInt(i), i % 5 ? null : 'EUR', i % 5 ? null : -123n,
          i % 7 ? null : '3', i % 11 ? `Sal av varer nr. ${i} – kunde Ærlig Åse Øvreås` : 'kort', null, null, null, i % 13 ? null : 'P1', null,
          '2024-01-01', i % 2 ? '2024-12-31' : '2024-02-29', i % 17 ? null : { record: String(i), nested: { ok: true } },
        ]);
        if (builder.full) {
          const appender = await ArrowAppender.create(warehouse.connection, 'ledger_line');
          appender.append(builder.flush()!);
          appender.close();
        }
      }
      const appender = await ArrowAppender.create(warehouse.connection, 'ledger_line');
      appender.append(builder.flush()!);
      appender.close();

      const back = await warehouse.all<Record<string, string | number | null>>('SELECT * FROM ledger_line ORDER BY line_no, voucher_id');
      expect(back).toHaveLength(rows);
      const byVoucher = new Map(back.map((r) => [r.voucher_id as string, r]));
      for (let i = 0; i < rows; i++) {
        const r = byVoucher.get(`2024/GL/${i}`)!;
        expect(r.amount).toBe(formatCents(i % 2 ? -(10n ** 17n) + BigInt(i) : BigInt(i)));
        expect(r.currency).toBe(i % 5 ? null : 'EUR');
        expect(r.currency_amount).toBe(i % 5 ? null : '-1.23');
        expect(r.vat_code).toBe(i % 7 ? null : '3');
        expect(r.description).toBe(i % 11 ? `Sal av varer nr. ${i} – kunde Ærlig Åse Øvreås` : 'kort');
        expect(r.project_id).toBe(i % 13 ? null : 'P1');
        expect(r.voucher_date).toBe(i % 2 ? '2024-12-31' : '2024-02-29');
        expect(r.extra === null ? null : JSON.parse(r.extra as string)).toEqual(i % 17 ? null : { record: String(i), nested: { ok: true } });
      }
      // Long strings point into one heap copy per chunk: DuckDB's own comparisons (which
      // start from the 4-byte prefix) must see them as it sees any string.
      const found = await warehouse.all<{ voucher_id: string }>("SELECT voucher_id FROM ledger_line WHERE description = 'Sal av varer nr. 2049 – kunde Ærlig Åse Øvreås'");
      expect(found).toEqual([{ voucher_id: '2024/GL/2049' }]);
      const grouped = await warehouse.one<{ n: number }>("SELECT count(DISTINCT description)::INTEGER AS n FROM ledger_line");
      expect(grouped?.n).toBe(rows - Math.ceil(rows / 11) + 1);
      const sorted = await warehouse.all<{ voucher_id: string }>('SELECT voucher_id FROM ledger_line ORDER BY voucher_id');
      expect(sorted.map((r) => r.voucher_id)).toEqual(back.map((r) => r.voucher_id as string).sort());
    } finally {
      warehouse.close();
    }
  });
});

function formatCents(minor: bigint): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
