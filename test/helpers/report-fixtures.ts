// A warehouse for the report-pack tests: a generated Norwegian company (SAF-T) with sound
// books and a generated Swedish one (SIE, with a budget) plus one posting on an account no
// mapping covers, so the pack has a data-quality note to show.
import { join } from 'node:path';
import { vi } from 'vitest';
import { Warehouse } from '../../load/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import { importCompany } from './mart-fixtures.ts';

export const reportCompanies = [
  { orgId: 'pack-no', country: 'NO', format: 'saft' },
  { orgId: 'pack-se', country: 'SE', format: 'sie' },
] as const;

/** The account the Swedish company posts to that no mapping covers, and its amount. */
export const unmappedPosting = { orgId: 'pack-se', account: '9500', amount: '1250.00', date: '2026-06-14' } as const;

export async function buildReportWarehouse(dir: string): Promise<string> {
  const path = join(dir, 'report.duckdb');
  const warehouse = await Warehouse.open(path);
  try {
    for (const c of reportCompanies) {
      const company = generateCompany({ seed: 23, country: c.country, linesPerYear: 1_200, currentYear: 2026 });
      await importCompany(warehouse, dir, company, c.format, c.orgId);
    }
    const { orgId, account, amount, date } = unmappedPosting;
    await warehouse.run(
      `INSERT INTO voucher (org_id, voucher_id, journal_id, voucher_number, voucher_date, fiscal_year_start, source, run_id, content_hash)
       VALUES ($1, 'T-unmapped', 'DIV', 'T-unmapped', $2::DATE, '2026-01-01', 'test', 'test-run', 'x')`,
      [orgId, date],
    );
    for (const [lineNo, accountId, lineAmount] of [[1, account, amount], [2, '1930', `-${amount}`]] as const) {
      await warehouse.run(
        `INSERT INTO ledger_line (org_id, voucher_id, line_no, account_id, amount, fiscal_year_start, voucher_date, run_id)
         VALUES ($1, 'T-unmapped', $2, $3, $4::DECIMAL(18,2), '2026-01-01', $5::DATE, 'test-run')`,
        [orgId, lineNo, accountId, lineAmount, date],
      );
    }
  } finally {
    warehouse.close();
  }
  return path;
}

/** Captures console.log and console.error until restored (vi.restoreAllMocks). */
export function captureConsole(): { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out: () => out.join('\n'), err: () => err.join('\n') };
}
