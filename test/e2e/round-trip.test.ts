import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importFile, WORKER_MIN_BYTES } from '../../pipeline/index.ts';
import { readLedgerExport, Warehouse } from '../../load/index.ts';
import { writeSaftFile, writeSieFile } from '../../formats/index.ts';
import { generateCompany, type GeneratedCompany } from '../../sandbox/index.ts';
import type { Country } from '../../model/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { validateAgainstXsd } from '../helpers/xsd.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { nonZero, openingBalances, truthMovements, warehouseMovements } from '../helpers/ledger-truth.ts';

type Format = 'saft' | 'sie';
const writers = { saft: writeSaftFile, sie: writeSieFile };
const extension = { saft: 'xml', sie: 'se' };

/**
 * Generator → writer → file → importer → warehouse, compared with the generator's own
 * trial balance per account and month, to the øre.
 */
async function roundTrip(dir: string, company: GeneratedCompany, format: Format, orgId: string) {
  const warehouse = await Warehouse.open(join(dir, `${orgId}.duckdb`));
  try {
    for (const ledger of company.fiscalYears) {
      const start = ledger.fiscal_year.start_date;
      const file = join(dir, `${orgId}-${start}.${extension[format]}`);
      await writers[format](ledger, file);
      const summary = await importFile(warehouse, [file], { orgId });
      const truth = company.truth.year(start);
      expect(summary.years).toEqual([
        expect.objectContaining({ start, vouchers: truth.voucherCount, lines: truth.lineCount }),
      ]);
      expect(summary.forcedErrors).toEqual([]);
      expect(await warehouseMovements(warehouse, orgId, start)).toEqual(truthMovements(company, start));
      expect(await openingBalances(warehouse, orgId, start)).toEqual(nonZero(truth.opening));
    }
    return warehouse;
  } catch (error) {
    warehouse.close();
    throw error;
  }
}

describe('round trip through the writers and importers', () => {
  it.each([
    ['NO', 'saft'],
    ['SE', 'sie'],
    ['FI', 'saft'],
    ['NO', 'sie'],
  ] as [Country, Format][])('a generated %s company via %s gives back the generator trial balance to the øre', async (country, format) => {
    const dir = tempDir();
    const company = generateCompany({ seed: 11, country, linesPerYear: 3_000, currentYear: 2026 });
    const warehouse = await roundTrip(dir, company, format, `gen-${country.toLowerCase()}`);
    warehouse.close();
  });

  it('holds for a file large enough to be read on a worker thread', async () => {
    const dir = tempDir();
    const company = generateCompany({ seed: 8, country: 'NO', linesPerYear: 60_000, years: 1, currentYear: 2026 });
    const file = join(dir, 'large.xml');
    await writeSaftFile(company.fiscalYears[0]!, file);
    expect(statSync(file).size).toBeGreaterThan(WORKER_MIN_BYTES);
    const warehouse = await Warehouse.open(join(dir, 'large.duckdb'));
    try {
      const start = company.fiscalYears[0]!.fiscal_year.start_date;
      const summary = await importFile(warehouse, [file], { orgId: 'large' });
      expect(summary.years[0]).toMatchObject({ vouchers: company.truth.year(start).voucherCount, lines: company.truth.year(start).lineCount });
      expect(await warehouseMovements(warehouse, 'large', start)).toEqual(truthMovements(company, start));
      // A broken copy fails on the worker and says why here, leaving the warehouse as it was.
      const broken = join(dir, 'broken.xml');
      writeFileSync(broken, readFileSync(file).subarray(0, WORKER_MIN_BYTES + 1000));
      await expect(importFile(warehouse, [broken], { orgId: 'large' })).rejects.toThrow(/incomplete/);
      expect(await warehouseMovements(warehouse, 'large', start)).toEqual(truthMovements(company, start));
    } finally {
      warehouse.close();
    }
  });

  it('exports warehouse contents that re-import to the same ledger, and SAF-T that validates against the 1.30 XSD', async () => {
    const dir = tempDir();
    const company = generateCompany({ seed: 5, country: 'NO', linesPerYear: 2_000, currentYear: 2026 });
    const warehouse = await roundTrip(dir, company, 'saft', 'source');
    try {
      for (const format of ['saft', 'sie'] as const) {
        for (const year of company.fiscalYears) {
          const start = year.fiscal_year.start_date;
          const file = join(dir, `export-${format}-${start}.${extension[format]}`);
          await writers[format](await readLedgerExport(warehouse, 'source', start.slice(0, 4)), file);
          if (format === 'saft') {
            const verdict = await validateAgainstXsd(file, referencePath('saf-t', 'xsd', 'Norwegian_SAF-T_Financial_Schema_v_1.30.xsd'));
            expect(verdict.output).toContain('validates');
            expect(verdict.ok).toBe(true);
          }
          await importFile(warehouse, [file], { orgId: `copy-${format}` });
          expect(await warehouseMovements(warehouse, `copy-${format}`, start)).toEqual(await warehouseMovements(warehouse, 'source', start));
          expect(await openingBalances(warehouse, `copy-${format}`, start)).toEqual(await openingBalances(warehouse, 'source', start));
        }
        const vouchers = (org: string) =>
          warehouse.all('SELECT voucher_id, voucher.voucher_date::VARCHAR AS d, (sum(abs(amount)) * 100)::BIGINT::VARCHAR AS turnover FROM voucher JOIN ledger_line USING (org_id, voucher_id) WHERE org_id = $1 GROUP BY ALL ORDER BY ALL', [org]);
        expect(await vouchers(`copy-${format}`)).toEqual(await vouchers('source'));
      }
    } finally {
      warehouse.close();
    }
  });

  it('holds for random companies: any seed, size, country, format and fiscal year start', async () => {
    const dir = tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 400, max: 2_500 }),
        fc.constantFrom<Country>('NO', 'SE', 'FI'),
        fc.constantFrom<Format>('saft', 'sie'),
        fc.constantFrom(1, 1, 5, 7),
        async (seed, linesPerYear, country, format, fiscalYearStartMonth) => {
          const company = generateCompany({ seed, country, linesPerYear, currentYear: 2026, fiscalYearStartMonth });
          const warehouse = await roundTrip(dir, company, format, `prop-${run++}`);
          warehouse.close();
        },
      ),
      { numRuns: 8, seed: 20261122 },
    );
  });
});
