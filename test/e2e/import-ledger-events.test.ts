import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLedgerEvents, ImportRejectedError } from '../../pipeline/index.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { migrations, Warehouse } from '../../load/index.ts';
import type { FiscalYearRow, LedgerEvent, Voucher } from '../../model/index.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const file = { file: 'test.se' };

function year(y: number): FiscalYearRow {
  return { start_date: `${y}-01-01`, end_date: `${y}-12-31`, label: String(y), is_closed: false };
}

function voucher(number: number, date: string, amount: bigint, extraLines: Voucher['lines'] = []): Voucher {
  const line = (account_id: string, a: bigint, dims: Voucher['lines'][0]['dimensions'] = []) => ({
    account_id, amount: a, currency: null, currency_amount: null, vat_code: null, description: `line ${account_id}`,
    party_type: null, party_id: null, dimensions: dims, extra: null,
  });
  return {
    journal_id: 'A', voucher_number: String(number), voucher_date: date, posting_date: date, description: `Voucher ${number}`,
    source_modified_at: null, extra: null,
    lines: [line('1930', amount, [{ dimension_type: 'project', dimension_id: 'P1' }]), line('3010', -amount, [{ dimension_type: 'cost_center', dimension_id: 'K1' }]), ...extraLines],
  };
}

async function* ledger(fy: FiscalYearRow, vouchers: Voucher[], more: LedgerEvent[] = []): AsyncGenerator<LedgerEvent> {
  yield {
    kind: 'header',
    location: file,
    header: {
      format: 'sie', format_version: 'sie-4E', declared_version: '4', encoding: 'cp437', software: 'test',
      organization: { name: 'Testbolaget AB', country: 'SE', org_number: '556677-8899', base_currency: 'SEK', source_company_ref: null },
      selection_start: null, selection_end: null, fiscal_years: [fy], extra: { gen: ['20250101'] },
    },
  };
  yield { kind: 'account', location: file, row: { account_id: '1930', name: 'Bank', account_type: null, standard_account_id: null, grouping_category: null, grouping_code: null, default_vat_code: null, is_active: true, extra: null } };
  yield { kind: 'account', location: file, row: { account_id: '3010', name: 'Försäljning', account_type: 'income', standard_account_id: null, grouping_category: null, grouping_code: null, default_vat_code: null, is_active: true, extra: { sru: ['7410'] } } };
  yield { kind: 'balance', location: file, row: { account_id: '1930', balance_type: 'opening', as_of: fy.start_date, dimension_type: null, dimension_id: null, amount: 100_000n } };
  for (const v of vouchers) yield { kind: 'voucher', location: file, voucher: v };
  yield* more;
}

async function importYear(warehouse: Warehouse, events: AsyncIterable<LedgerEvent>, options: { force?: boolean; keepYears?: number } = {}) {
  return importLedgerEvents(warehouse, events, { orgId: 'acme', files: ['test.se'], format: 'sie', sha256: 'abc', ...options });
}

describe('importing ledger events', () => {
  it('loads a year, and a second identical import changes nothing', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const vouchers = [voucher(1, '2024-01-15', 125_00n), voucher(2, '2024-02-01', 99_95n), voucher(3, '2024-03-31', 1n)];
      const first = await importYear(warehouse, ledger(year(2024), vouchers));
      expect(first.changes).toEqual({ inserted: 3, updated: 0, deleted: 0 });
      expect(first.years).toEqual([{ label: '2024', start: '2024-01-01', vouchers: 3, lines: 6, debit: '224.96', credit: '224.96' }]);
      expect(await warehouse.one("SELECT account_type FROM account WHERE account_id = '1930'")).toEqual({ account_type: 'asset' });
      expect(await warehouse.all('SELECT voucher_id, line_no, dimension_type, dimension_id FROM ledger_line_dimension ORDER BY ALL LIMIT 2')).toEqual([
        { voucher_id: '2024/A/1', line_no: 1, dimension_type: 'project', dimension_id: 'P1' },
        { voucher_id: '2024/A/1', line_no: 2, dimension_type: 'cost_center', dimension_id: 'K1' },
      ]);
      expect(await warehouse.one("SELECT project_id, cost_center_id FROM ledger_line WHERE voucher_id = '2024/A/1' AND line_no = 1")).toEqual({ project_id: 'P1', cost_center_id: null });
      expect(await warehouse.one('SELECT amount::VARCHAR AS amount FROM opening_balance')).toEqual({ amount: '1000.00' });
      expect(await warehouse.one('SELECT extra FROM organization')).toEqual({ extra: '{"gen":["20250101"]}' });
      const before = await dumpLedger(warehouse);

      const second = await importYear(warehouse, ledger(year(2024), vouchers));
      expect(second.changes).toEqual({ inserted: 0, updated: 0, deleted: 0 });
      expect(await dumpLedger(warehouse)).toEqual(before);
      expect(await warehouse.all("SELECT status FROM sync_run ORDER BY started_at")).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
      expect(await warehouse.one("SELECT stream, slice, cursor FROM sync_state")).toEqual({ stream: 'sie:ledger', slice: '2024-01-01', cursor: 'abc' });
    } finally {
      warehouse.close();
    }
  });

  it('replaces a year with a newer export and logs exactly what was inserted, changed and deleted', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await importYear(warehouse, ledger(year(2024), [voucher(1, '2024-01-15', 100n), voucher(2, '2024-02-01', 200n), voucher(3, '2024-03-01', 300n)]));
      const newer = await importYear(warehouse, ledger(year(2024), [voucher(1, '2024-01-15', 100n), voucher(2, '2024-02-01', 250n), voucher(4, '2024-04-01', 400n)]));
      expect(newer.changes).toEqual({ inserted: 1, updated: 1, deleted: 1 });
      expect(await warehouse.all('SELECT voucher_id, change FROM change_log WHERE run_id = $1 ORDER BY voucher_id', [newer.runId])).toEqual([
        { voucher_id: '2024/A/2', change: 'updated' },
        { voucher_id: '2024/A/3', change: 'deleted' },
        { voucher_id: '2024/A/4', change: 'inserted' },
      ]);
      expect(await warehouse.all('SELECT voucher_id, sum(amount)::VARCHAR AS debit FROM ledger_line WHERE amount > 0 GROUP BY ALL ORDER BY ALL')).toEqual([
        { voucher_id: '2024/A/1', debit: '1.00' },
        { voucher_id: '2024/A/2', debit: '2.50' },
        { voucher_id: '2024/A/4', debit: '4.00' },
      ]);
      expect(await warehouse.one("SELECT count(*)::INT AS n FROM ledger_line_dimension WHERE voucher_id = '2024/A/3'")).toEqual({ n: 0 });
    } finally {
      warehouse.close();
    }
  });

  it('rejects an unbalanced voucher and leaves the warehouse as it was, run recorded as failed', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await importYear(warehouse, ledger(year(2024), [voucher(1, '2024-01-15', 100n)]));
      const before = await dumpLedger(warehouse);
      const broken = voucher(2, '2024-02-01', 500n, [{ ...voucher(0, '2024-01-01', 1n).lines[0]!, amount: 1n }]);
      const error = await importYear(warehouse, ledger(year(2024), [voucher(1, '2024-01-15', 100n), broken])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportRejectedError);
      expect((error as ImportRejectedError).errors.map((e) => e.message)).toEqual([
        'test.se: voucher 2024/A/2 does not balance: its lines sum to 0.01 instead of 0.00.',
      ]);
      expect(await dumpLedger(warehouse)).toEqual(before);
      expect(await warehouse.one("SELECT status, error FROM sync_run WHERE status = 'failed'")).toMatchObject({ status: 'failed', error: expect.stringContaining('2024/A/2 does not balance') });
    } finally {
      warehouse.close();
    }
  });

  it('with --force commits a failing file and keeps every failed check in import_issue', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const summary = await importYear(
        warehouse,
        ledger(year(2024), [voucher(1, '2024-01-15', 100n)], [
          { kind: 'control_totals', number_of_entries: 2, total_debit: 100n, total_credit: 100n, location: { file: 'test.se', line: 9 } },
        ]),
        { force: true },
      );
      expect(summary.forcedErrors.map((e) => e.code)).toEqual(['control_total_mismatch']);
      expect(await warehouse.all('SELECT severity, code, message, line FROM import_issue')).toEqual([
        { severity: 'error', code: 'control_total_mismatch', message: 'test.se line 9: NumberOfEntries says 2 transactions but the file holds 1.', line: 9 },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('keeps the newest three fiscal years: older ones expire, an older file is skipped', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const runs = [];
      for (const y of [2020, 2021, 2022, 2023]) runs.push(await importYear(warehouse, ledger(year(y), [voucher(1, `${y}-05-05`, 100n)])));
      expect(runs[3]!.expiredYears).toEqual(['2020-01-01']);
      expect(await warehouse.all('SELECT label FROM fiscal_year ORDER BY label')).toEqual([{ label: '2021' }, { label: '2022' }, { label: '2023' }]);
      // The expired year's vouchers are logged as deleted by the run that pushed them out.
      expect(await warehouse.all('SELECT voucher_id, change FROM change_log WHERE run_id = $1 ORDER BY voucher_id', [runs[3]!.runId])).toEqual([
        { voucher_id: '2020/A/1', change: 'deleted' },
        { voucher_id: '2023/A/1', change: 'inserted' },
      ]);
      expect(await warehouse.all('SELECT DISTINCT fiscal_year_start::VARCHAR AS fy FROM voucher ORDER BY fy')).toEqual([{ fy: '2021-01-01' }, { fy: '2022-01-01' }, { fy: '2023-01-01' }]);
      // A file that holds an expiring year besides a new one: only what the warehouse held is logged.
      const both = await importYear(warehouse, ledger(year(2021), [voucher(1, '2021-05-05', 100n), voucher(2, '2024-05-05', 100n)]));
      expect(both.expiredYears).toEqual(['2021-01-01']);
      expect(await warehouse.all('SELECT voucher_id, change FROM change_log WHERE run_id = $1 ORDER BY voucher_id', [both.runId])).toEqual([
        { voucher_id: '2021/A/1', change: 'deleted' },
        { voucher_id: '2024/A/2', change: 'inserted' },
      ]);
      const old = await importYear(warehouse, ledger(year(2019), [voucher(1, '2019-05-05', 100n)]));
      expect(old.skippedYears).toEqual(['2019']);
      expect(old.warnings.map((w) => w.code)).toEqual(['outside_history_window']);
      expect(await warehouse.one("SELECT count(*)::INT AS n FROM voucher WHERE fiscal_year_start = '2019-01-01'")).toEqual({ n: 0 });
    } finally {
      warehouse.close();
    }
  });

  it('updates vouchers loaded by a schema-1 warehouse after the upgrade, leaving no stale lines', async () => {
    const dir = tempDir();
    const path = join(dir, 'v1.duckdb');
    // A warehouse as version 1 made it: lines without run_id.
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)');
    await connection.run(migrations[0]!.sql);
    await connection.run("INSERT INTO schema_version VALUES (1, 'unified schema', now()::TIMESTAMP)");
    await connection.run(`INSERT INTO voucher VALUES ('acme', '2024/A/1', 'A', '1', '2024-01-15', NULL, '2024-01-01', 'old', 'sie', NULL, 'old-run', 'old-hash', NULL)`);
    await connection.run(`INSERT INTO ledger_line (org_id, voucher_id, line_no, account_id, amount, fiscal_year_start, voucher_date)
      VALUES ('acme', '2024/A/1', 1, '1930', 9.99, '2024-01-01', '2024-01-15'), ('acme', '2024/A/1', 2, '3010', -9.99, '2024-01-01', '2024-01-15')`);
    await connection.run("INSERT INTO fiscal_year VALUES ('acme', '2024-01-01', '2024-12-31', '2024', false)");
    connection.closeSync();
    instance.closeSync();

    const warehouse = await Warehouse.open(path);
    try {
      expect(await warehouse.all('SELECT DISTINCT run_id FROM ledger_line')).toEqual([{ run_id: 'old-run' }]);
      const summary = await importYear(warehouse, ledger(year(2024), [voucher(1, '2024-01-15', 100n)]));
      expect(summary.changes).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await warehouse.all('SELECT line_no, amount::VARCHAR AS amount FROM ledger_line ORDER BY line_no')).toEqual([
        { line_no: 1, amount: '1.00' },
        { line_no: 2, amount: '-1.00' },
      ]);
    } finally {
      warehouse.close();
    }
  });
});
