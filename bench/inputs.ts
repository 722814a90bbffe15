// The benchmarks' input files, generated once under bench/out/inputs and reused: each file's
// name carries every parameter it was made from, and a `.json` beside it (written last)
// records what it holds. Delete bench/out/inputs to regenerate.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSaftFile, writeSieFile } from '../formats/index.ts';
import { generateCompany } from '../sandbox/index.ts';
import { type Country, type LedgerExport, unifiedTables } from '../model/index.ts';
import { writeLedgerLinesCsv } from './ledger-lines.ts';
import { benchOut } from './paths.ts';

/** Bump when what the bench writes for the same parameters changes. */
const INPUT_VERSION = 1;
/** The generator's "today", fixed so inputs do not depend on the clock (one year: fiscal 2023). */
const CURRENT_YEAR = 2025;

/**
 * SAF-T 1.30 from the Norwegian generator runs at about 347 bytes per line, so one fiscal
 * year of 577 000 lines is a ~200 MB file.
 */
export const SAFT_LINES_PER_YEAR = 577_000;
export const SIE_LINES = 1_000_000;
export const LOAD_LINES = 1_000_000;

export interface BenchInput {
  /** The file, or for an input that is not a file (a simulator) a name for it. */
  path: string;
  /** How run.ts shows an input that is not a file; files are shown by path and size. */
  description?: string;
  bytes: number;
  lines: number;
  vouchers: number | null;
  /** Whether this run made the file (false: reused from an earlier run). */
  generated: boolean;
  generateMs: number;
}

const inputDir = join(benchOut, 'inputs');

async function cached(name: string, make: (path: string) => Promise<{ lines: number; vouchers: number | null }>): Promise<BenchInput> {
  mkdirSync(inputDir, { recursive: true });
  const path = join(inputDir, name);
  const metaPath = `${path}.json`;
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { lines: number; vouchers: number | null };
    return { path, bytes: statSync(path).size, ...meta, generated: false, generateMs: 0 };
  }
  const start = performance.now();
  const meta = await make(path);
  const generateMs = performance.now() - start;
  writeFileSync(metaPath, `${JSON.stringify(meta)}\n`);
  return { path, bytes: statSync(path).size, ...meta, generated: true, generateMs };
}

function oneYear(country: Country, seed: number, linesPerYear: number): { ledger: LedgerExport; lines: number; vouchers: number } {
  const company = generateCompany({ seed, country, linesPerYear, years: 1, currentYear: CURRENT_YEAR });
  const ledger = company.fiscalYears[0]!;
  const truth = company.truth.years[0]!;
  return { ledger, lines: truth.lineCount, vouchers: truth.voucherCount };
}

/** One fiscal year of a Norwegian company as a ~200 MB SAF-T Financial 1.30 file. */
export function saftInput(): Promise<BenchInput> {
  const seed = 42;
  return cached(`v${INPUT_VERSION}-saft-NO-seed${seed}-lines${SAFT_LINES_PER_YEAR}-cy${CURRENT_YEAR}.xml`, async (path) => {
    const { ledger, lines, vouchers } = oneYear('NO', seed, SAFT_LINES_PER_YEAR);
    await writeSaftFile(ledger, path);
    return { lines, vouchers };
  });
}

/** One fiscal year of a Swedish company with a million #TRANS rows, as SIE 4E. */
export function sieInput(): Promise<BenchInput> {
  const seed = 46;
  return cached(`v${INPUT_VERSION}-sie-SE-seed${seed}-lines${SIE_LINES}-cy${CURRENT_YEAR}.se`, async (path) => {
    const { ledger, lines, vouchers } = oneYear('SE', seed, SIE_LINES);
    await writeSieFile(ledger, path);
    return { lines, vouchers };
  });
}

/** The load path's ledger lines as CSV, for DuckDB's read_csv; remade when the columns change. */
export function ledgerLinesCsvInput(): Promise<BenchInput> {
  const columns = createHash('sha1').update(JSON.stringify(unifiedTables.ledger_line)).digest('hex').slice(0, 8);
  return cached(`v${INPUT_VERSION}-ledger-lines-${LOAD_LINES}-cols${columns}.csv`, async (path) => {
    await writeLedgerLinesCsv(path, LOAD_LINES);
    return { lines: LOAD_LINES, vouchers: null };
  });
}
