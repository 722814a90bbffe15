// The input of the `financial-views` benchmark: a warehouse of three organizations (Norway
// by SAF-T, Sweden by SIE with budgets, Finland by SAF-T with July–June years), three fiscal
// years each of 1 000 000 generated ledger lines, every year written as a file and imported
// through `importFile`, as the dashboards' test fixture does at a small scale
// (test/helpers/mart-fixtures.ts importCompany). No marts are built here: the children
// build them with the code of the day. Generated once under bench/out/inputs, named by its
// parameters, and reused; its `.json` (written last) records what it holds.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestSchemaVersion, Warehouse } from '../load/index.ts';
import { generateCompany } from '../sandbox/index.ts';
import { importCompany } from '../test/helpers/mart-fixtures.ts';
import type { BenchInput } from './inputs.ts';
import { benchOut } from './paths.ts';

/** Bump when what this writes for the same parameters changes. */
const INPUT_VERSION = 1;
export const FINANCIAL_VIEWS_LINES_PER_YEAR = 1_000_000;
export const FINANCIAL_VIEWS_YEARS = 3;
/** "Today" for the generator: fiscal years 2024–2026 (Finland: 2024/25–2026/27). */
const CURRENT_YEAR = 2026;

export const financialViewsOrgs = [
  { orgId: 'bench-no', country: 'NO', format: 'saft', seed: 3101, fiscalYearStartMonth: 1 },
  { orgId: 'bench-se', country: 'SE', format: 'sie', seed: 3102, fiscalYearStartMonth: 1 },
  { orgId: 'bench-fi', country: 'FI', format: 'saft', seed: 3103, fiscalYearStartMonth: 7 },
] as const;

export interface FinancialViewsMeta {
  lines: number;
  vouchers: number;
  organizations: { orgId: string; country: string; format: string; years: { start: string; lines: number; vouchers: number }[] }[];
}

const inputDir = join(benchOut, 'inputs');

/** The cached warehouse (made when missing); `lines`/`vouchers` are what it holds. */
export async function financialViewsInput(): Promise<BenchInput & { meta: FinancialViewsMeta }> {
  mkdirSync(inputDir, { recursive: true });
  const orgs = financialViewsOrgs.map((o) => `${o.country}${o.seed}${o.format}m${o.fiscalYearStartMonth}`).join('-');
  const name = `v${INPUT_VERSION}-financial-views-${orgs}-lines${FINANCIAL_VIEWS_LINES_PER_YEAR}x${FINANCIAL_VIEWS_YEARS}-cy${CURRENT_YEAR}-schema${latestSchemaVersion}.duckdb`;
  const path = join(inputDir, name);
  const metaPath = `${path}.json`;
  const describe = (meta: FinancialViewsMeta) =>
    `${name}: ${(statSync(path).size / 1e6).toFixed(0)} MB warehouse, ` +
    meta.organizations.map((o) => `${o.orgId} (${o.format}, ${o.years.map((y) => y.start).join(', ')})`).join('; ');
  if (existsSync(path) && existsSync(metaPath) && !existsSync(`${path}.wal`)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as FinancialViewsMeta;
    return { path, description: describe(meta), bytes: statSync(path).size, lines: meta.lines, vouchers: meta.vouchers, generated: false, generateMs: 0, meta };
  }
  const start = performance.now();
  const meta = await generate(path);
  const generateMs = performance.now() - start;
  writeFileSync(metaPath, `${JSON.stringify(meta)}\n`);
  return { path, description: describe(meta), bytes: statSync(path).size, lines: meta.lines, vouchers: meta.vouchers, generated: true, generateMs, meta };
}

/** Imports every year of every organization into a new warehouse at `path`. */
async function generate(path: string): Promise<FinancialViewsMeta> {
  const building = `${path}.building`;
  const files = join(inputDir, `${path.split('/').at(-1)}.files`);
  for (const p of [path, `${path}.wal`, building, `${building}.wal`, `${building}.tmp`, files]) rmSync(p, { recursive: true, force: true });
  const warehouse = await Warehouse.open(building);
  const expected = new Map<string, { lines: number; vouchers: number }>();
  try {
    for (const o of financialViewsOrgs) {
      const t = performance.now();
      const company = generateCompany({
        seed: o.seed,
        country: o.country,
        linesPerYear: FINANCIAL_VIEWS_LINES_PER_YEAR,
        years: FINANCIAL_VIEWS_YEARS,
        currentYear: CURRENT_YEAR,
        fiscalYearStartMonth: o.fiscalYearStartMonth,
      });
      for (const y of company.truth.years) expected.set(`${o.orgId} ${y.fiscal_year.start_date}`, { lines: y.lineCount, vouchers: y.voucherCount });
      mkdirSync(files, { recursive: true });
      // One file per fiscal year (SAF-T ~345 MB, SIE ~70 MB), each imported as one run.
      await importCompany(warehouse, files, company, o.format, o.orgId);
      rmSync(files, { recursive: true, force: true });
      console.log(`  generated and imported ${o.orgId} (${o.format}, 3 × ${FINANCIAL_VIEWS_LINES_PER_YEAR.toLocaleString('en')} lines) in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    const years = await warehouse.all<{ org_id: string; start: string; lines: string; vouchers: string }>(
      `SELECT l.org_id, l.fiscal_year_start::VARCHAR AS start, count(*)::VARCHAR AS lines,
              (SELECT count(*) FROM voucher v WHERE v.org_id = l.org_id AND v.fiscal_year_start = l.fiscal_year_start)::VARCHAR AS vouchers
       FROM ledger_line l GROUP BY ALL ORDER BY ALL`,
    );
    for (const y of years) {
      const truth = expected.get(`${y.org_id} ${y.start}`);
      if (!truth || truth.lines !== Number(y.lines) || truth.vouchers !== Number(y.vouchers)) {
        throw new Error(`financial-views input: ${y.org_id} ${y.start} holds ${y.lines} lines, ${y.vouchers} vouchers; the generator made ${JSON.stringify(truth)}.`);
      }
    }
    if (years.length !== expected.size) throw new Error(`financial-views input: ${years.length} fiscal years imported, ${expected.size} generated.`);
    await warehouse.run('CHECKPOINT');
    const meta: FinancialViewsMeta = {
      lines: years.reduce((n, y) => n + Number(y.lines), 0),
      vouchers: years.reduce((n, y) => n + Number(y.vouchers), 0),
      organizations: financialViewsOrgs.map((o) => ({
        orgId: o.orgId,
        country: o.country,
        format: o.format,
        years: years.filter((y) => y.org_id === o.orgId).map((y) => ({ start: y.start, lines: Number(y.lines), vouchers: Number(y.vouchers) })),
      })),
    };
    warehouse.close();
    if (existsSync(`${building}.wal`)) throw new Error('financial-views input: the warehouse kept a WAL after its checkpoint.');
    renameSync(building, path);
    rmSync(`${building}.tmp`, { recursive: true, force: true });
    return meta;
  } catch (error) {
    try {
      warehouse.close();
    } catch {
      // already closed
    }
    for (const p of [building, `${building}.wal`, `${building}.tmp`, files]) rmSync(p, { recursive: true, force: true });
    throw error;
  }
}
