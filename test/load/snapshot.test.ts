import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMarts, publishSnapshot, Warehouse, WarehouseError } from '../../load/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import { holdOpenInOtherProcess, otherProcessCanRead } from '../helpers/duckdb-process.ts';
import { importCompany, suiteDir } from '../helpers/mart-fixtures.ts';

type Row = Record<string, unknown>;

/** A DuckDB file read the way a dashboard or an analyst would: read-only, its own instance. */
async function openReader(path: string) {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  return {
    all: async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[],
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

const catalogQuery = `SELECT 'table' AS kind, table_name AS name, NULL AS sql FROM duckdb_tables() WHERE NOT internal AND NOT temporary
                      UNION ALL SELECT 'view', view_name, sql FROM duckdb_views() WHERE NOT internal AND NOT temporary ORDER BY ALL`;

/** Every table's and view's rows, in a stable order. */
async function dump(all: (sql: string) => Promise<Row[]>): Promise<Record<string, unknown>> {
  const catalog = await all(catalogQuery);
  const out: Record<string, unknown> = { catalog };
  for (const entry of catalog) out[String(entry['name'])] = await all(`SELECT * FROM "${String(entry['name'])}" ORDER BY ALL`);
  return out;
}

describe('publishing a snapshot of the warehouse', () => {
  const dir = suiteDir('ledgerhouse-snapshot-');
  const warehousePath = join(dir.path, 'warehouse.duckdb');
  const publishedDir = join(dir.path, 'published');
  const published = join(publishedDir, 'warehouse.duckdb');

  beforeAll(async () => {
    const warehouse = await Warehouse.open(warehousePath);
    const company = generateCompany({ seed: 11, country: 'NO', linesPerYear: 400, years: 2, currentYear: 2026 });
    await importCompany(warehouse, dir.path, company, 'saft', 'acme');
    await buildMarts(warehouse);
    warehouse.close();
  });
  afterAll(() => dir.remove());

  it('copies every table and view of the warehouse the ETL process holds open, and leaves it locked to other writers', async () => {
    const warehouse = await Warehouse.open(warehousePath);
    try {
      await publishSnapshot(warehouse, published);
      const expected = await dump((sql) => warehouse.all(sql));
      expect((expected['catalog'] as Row[]).some((e) => e['name'] === 'mart_voucher_drilldown' && e['kind'] === 'view')).toBe(true);
      expect((expected['ledger_line'] as Row[]).length).toBeGreaterThan(0);
      const reader = await openReader(published);
      try {
        expect(await dump(reader.all)).toEqual(expected);
      } finally {
        reader.close();
      }
      // The ETL's lock survived the publishing: another process still may not open the warehouse.
      const other = otherProcessCanRead(warehousePath);
      expect(other.ok, other.message).toBe(false);
      expect(other.message).toMatch(/lock/i);
    } finally {
      warehouse.close();
    }
    // A standalone file: nothing beside it but itself.
    expect(readdirSync(publishedDir)).toEqual(['warehouse.duckdb']);
  });

  it('publishes from the path when no process is writing the warehouse', async () => {
    const target = join(dir.path, 'from-path', 'snapshot.duckdb');
    await publishSnapshot(warehousePath, target);
    const source = await openReader(warehousePath);
    const copy = await openReader(target);
    try {
      expect(await dump(copy.all)).toEqual(await dump(source.all));
    } finally {
      copy.close();
      source.close();
    }
  });

  it('swaps the new snapshot in atomically, while a reader of the old one keeps reading the old one', async () => {
    await publishSnapshot(warehousePath, published);
    const before = statSync(published).ino;
    const old = await openReader(published);
    try {
      // Only a small read before the swap: the reader must find the rest in the old file after it.
      expect(await old.all("SELECT count(*)::INTEGER AS n FROM organization WHERE org_id = 'acme'")).toEqual([{ n: 1 }]);
      const oldTotals = await (async () => {
        const r = await openReader(published);
        try {
          return await r.all('SELECT count(*)::INTEGER AS lines, sum(abs(amount))::VARCHAR AS turnover FROM ledger_line');
        } finally {
          r.close();
        }
      })();

      const warehouse = await Warehouse.open(warehousePath);
      try {
        await warehouse.run("DELETE FROM ledger_line WHERE voucher_id IN (SELECT voucher_id FROM voucher WHERE voucher_date < '2025-07-01')");
        await publishSnapshot(warehouse, published);
      } finally {
        warehouse.close();
      }

      expect(statSync(published).ino).not.toBe(before);
      expect(await old.all('SELECT count(*)::INTEGER AS lines, sum(abs(amount))::VARCHAR AS turnover FROM ledger_line')).toEqual(oldTotals);
      const fresh = await openReader(published);
      try {
        const [now] = await fresh.all('SELECT count(*)::INTEGER AS lines FROM ledger_line');
        expect(now!['lines']).toBeLessThan(oldTotals[0]!['lines'] as number);
        expect(now!['lines']).toBeGreaterThan(0);
      } finally {
        fresh.close();
      }
    } finally {
      old.close();
    }
    expect(readdirSync(publishedDir)).toEqual(['warehouse.duckdb']);
  });

  it('leaves the previous snapshot in place, and no temp file, when publishing fails', async () => {
    await publishSnapshot(warehousePath, published);
    const before = statSync(published);
    const failures = [
      publishSnapshot(join(dir.path, 'missing.duckdb'), published),
      (async () => {
        // A copy that fails half way: its transaction has already written to the warehouse.
        const warehouse = await Warehouse.open(warehousePath);
        try {
          await warehouse.run('BEGIN TRANSACTION');
          await warehouse.run("UPDATE organization SET name = 'Half written' WHERE org_id = 'acme'");
          await publishSnapshot(warehouse, published);
        } finally {
          await warehouse.run('ROLLBACK').catch(() => undefined);
          warehouse.close();
        }
      })(),
    ];
    for (const failure of failures) await expect(failure).rejects.toThrow();
    const after = statSync(published);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    expect(readdirSync(publishedDir)).toEqual(['warehouse.duckdb']);
    const reader = await openReader(published);
    try {
      expect(await reader.all("SELECT name FROM organization WHERE org_id = 'acme'")).not.toEqual([{ name: 'Half written' }]);
    } finally {
      reader.close();
    }
  });

  it('refuses a path this process holds open, saying to pass the open Warehouse, and keeps the lock', async () => {
    const warehouse = await Warehouse.open(warehousePath);
    try {
      const attempt = publishSnapshot(warehousePath, join(dir.path, 'refused', 'warehouse.duckdb'));
      await expect(attempt).rejects.toThrow(WarehouseError);
      await expect(attempt).rejects.toThrow(/open in this process; pass its open Warehouse/);
      const other = otherProcessCanRead(warehousePath);
      expect(other.ok, other.message).toBe(false);
    } finally {
      warehouse.close();
    }
    expect(readdirSync(join(dir.path, 'refused'))).toEqual([]);
  });

  it('refuses a warehouse another process is writing, rather than racing it', async () => {
    const holder = await holdOpenInOtherProcess(warehousePath);
    try {
      await expect(publishSnapshot(warehousePath, join(dir.path, 'raced', 'warehouse.duckdb'))).rejects.toThrow(/being written by another process/);
    } finally {
      await holder.release();
    }
    expect(readdirSync(join(dir.path, 'raced'))).toEqual([]);
  });

  it('will not publish over the warehouse itself', async () => {
    await expect(publishSnapshot(warehousePath, warehousePath)).rejects.toThrow(/cannot be the warehouse itself/);
  });
});
