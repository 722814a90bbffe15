import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../pipeline/index.ts';
import type { Warehouse } from '../../load/index.ts';
import { writeSaftFile, writeSieFile } from '../../formats/index.ts';
import type { GeneratedCompany } from '../../sandbox/index.ts';
import { parseMoney } from '../../model/index.ts';
import { referencePath } from './reference.ts';

/** A temp folder for a whole describe block (beforeAll/afterAll), not one test. */
export function suiteDir(prefix = 'ledgerhouse-marts-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes each fiscal year of a generated company as a file and imports it. */
export async function importCompany(warehouse: Warehouse, dir: string, company: GeneratedCompany, format: 'saft' | 'sie', orgId: string): Promise<void> {
  for (const ledger of company.fiscalYears) {
    const file = join(dir, `${orgId}-${ledger.fiscal_year.start_date}.${format === 'saft' ? 'xml' : 'se'}`);
    await (format === 'saft' ? writeSaftFile : writeSieFile)(ledger, file);
    await importFile(warehouse, [file], { orgId });
  }
}

export interface ReferenceGolden {
  file: string;
  orgId: string;
  /** Closing per account as the import golden records it, in minor units. */
  closing: Map<string, bigint>;
  closingMismatchWarnings: number;
  /** The import golden's format, e.g. `sie-4E`, `saft-1.20`. */
  format: string;
}

/**
 * Imports every reference example whose import golden says "imported" (the rejected ones
 * stay out), each as its own organization, and returns the goldens to check against.
 */
export async function importReferenceFiles(warehouse: Warehouse): Promise<ReferenceGolden[]> {
  const goldenDir = join(import.meta.dirname, '..', 'golden', 'import');
  const out: ReferenceGolden[] = [];
  for (const [folder, pattern] of [['saf-t', /\.xml$/i], ['sie', /\.(se|si)$/i]] as const) {
    const dir = referencePath(folder, 'examples');
    for (const file of readdirSync(dir).filter((f) => pattern.test(f)).sort()) {
      const golden = JSON.parse(readFileSync(join(goldenDir, `${file}.json`), 'utf8')) as {
        outcome: string;
        format?: string;
        warnings?: Record<string, number>;
        closing_per_account?: Record<string, string>;
      };
      if (golden.outcome !== 'imported') continue;
      const orgId = `ref-${file.replace(/\W+/g, '-').toLowerCase().slice(0, 50)}`;
      await importFile(warehouse, [join(dir, file)], { orgId });
      const closing = new Map(Object.entries(golden.closing_per_account ?? {}).map(([account, amount]) => [account, parseMoney(amount)!]));
      out.push({ file, orgId, closing, closingMismatchWarnings: golden.warnings?.['closing_mismatch'] ?? 0, format: golden.format ?? '' });
    }
  }
  return out;
}

/** Exact money from a mart's DECIMAL string (or null). */
export function cents(value: unknown): bigint {
  if (value === null || value === undefined) throw new Error('expected an amount, got null');
  const parsed = parseMoney(String(value));
  if (parsed === null) throw new Error(`not an amount: ${String(value)}`);
  return parsed;
}

/** Every mart table's rows in a stable order, for comparing two builds. */
export async function dumpMarts(warehouse: Warehouse, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) out[table] = await warehouse.all(`SELECT * FROM ${table} ORDER BY ALL`);
  return out;
}
