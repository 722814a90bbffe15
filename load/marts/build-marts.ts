// Rebuilds every mart (tables prefixed mart_) from the unified tables in one transaction:
// analysts and dashboards see the old marts or the new ones, never a mix. Meant to run
// after every import or sync; a full rebuild is one aggregation pass over ledger_line
// (line-aggregate.sql) and small queries over its result.
import '../duckdb-allocator.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Warehouse } from '../warehouse.ts';
import { readMappingRules, type MappingRule } from './mapping-files.ts';

export { MappingFileError } from './mapping-files.ts';
import { statementLines } from './statement-lines.ts';

export interface BuildMartsOptions {
  /** Folder of mapping CSV files; default load/mappings. */
  mappingsDir?: string;
}

export interface MartsSummary {
  /** Rows per mart table after the build (the drill-down view is not counted). */
  tables: Record<string, number>;
  organizations: number;
  unmappedAccounts: number;
  unbalancedVouchers: number;
  tieOutDifferences: number;
  durationMs: number;
  /** Time per build step, for finding what got slow. */
  steps: { step: string; ms: number }[];
}

/** The tables a build (re)creates, besides the view mart_voucher_drilldown. */
export const martTables = [
  'mart_statement_line',
  'mart_account_mapping_rule',
  'mart_account_classification',
  'mart_monthly_trial_balance',
  'mart_profit_and_loss',
  'mart_balance_sheet',
  'mart_cash_flow',
  'mart_kpi',
  'mart_dimension_profitability',
  'mart_data_quality',
  'mart_data_quality_year',
  'mart_data_quality_unmapped_account',
  'mart_data_quality_unbalanced_voucher',
  'mart_data_quality_import_issue',
  'mart_data_quality_tie_out',
] as const;

/** SQL steps in build order; each file is one step. */
const buildSteps = [
  'macros',
  'line-aggregate',
  'fiscal-calendar',
  'account-classification',
  'monthly-trial-balance',
  'profit-and-loss',
  'balance-sheet',
  'cash-flow',
  'kpi',
  'dimension-profitability',
  'voucher-drilldown',
  'voucher-balance',
] as const;

const sqlCache = new Map<string, string>();
function sql(name: string): string {
  let text = sqlCache.get(name);
  if (text === undefined) {
    text = readFileSync(join(import.meta.dirname, `${name}.sql`), 'utf8');
    sqlCache.set(name, text);
  }
  return text;
}

export async function buildMarts(warehouse: Warehouse, options: BuildMartsOptions = {}): Promise<MartsSummary> {
  const started = performance.now();
  // Read and checked before the transaction: a bad mapping file leaves the old marts alone.
  const rules = readMappingRules(options.mappingsDir);
  const steps: MartsSummary['steps'] = [];
  const step = async (name: string, work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    steps.push({ step: name, ms: Math.round(performance.now() - t) });
  };

  const counts = await warehouse.transaction(async () => {
    await step('reference-tables', async () => {
      await warehouse.run(sql('reference-tables'));
      await insertStatementLines(warehouse);
      await insertMappingRules(warehouse, rules);
    });
    for (const name of buildSteps) await step(name, () => warehouse.run(sql(name)));
    const suspects = await warehouse.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM tmp_mart_suspect_day');
    if ((suspects?.n ?? 0) > 0) await step('unbalanced-vouchers', () => warehouse.run(sql('unbalanced-vouchers')));
    await step('data-quality', () => warehouse.run(sql('data-quality')));
    await step('cleanup', () => warehouse.run(sql('cleanup')));
    return warehouse.one<Record<string, string>>(
      `SELECT ${martTables.map((t) => `(SELECT count(*) FROM ${t})::VARCHAR AS ${t}`).join(', ')},
              (SELECT count(*) FROM mart_data_quality)::VARCHAR AS organizations,
              (SELECT coalesce(sum(unmapped_accounts), 0) FROM mart_data_quality)::VARCHAR AS unmapped,
              (SELECT coalesce(sum(tie_out_differences), 0) FROM mart_data_quality)::VARCHAR AS tie_out_differences`,
    );
  });

  const tables = Object.fromEntries(martTables.map((t) => [t, Number(counts?.[t] ?? 0)]));
  return {
    tables,
    organizations: Number(counts?.['organizations'] ?? 0),
    unmappedAccounts: Number(counts?.['unmapped'] ?? 0),
    unbalancedVouchers: tables['mart_data_quality_unbalanced_voucher'] ?? 0,
    tieOutDifferences: Number(counts?.['tie_out_differences'] ?? 0),
    durationMs: Math.round(performance.now() - started),
    steps,
  };
}

async function insertStatementLines(warehouse: Warehouse): Promise<void> {
  await insertRows(
    warehouse,
    'mart_statement_line',
    ['statement', 'statement_line', 'side', 'section', 'sort_order', 'label', 'in_operating_result', 'in_net_result', 'cash_flow_group', 'mappable'],
    statementLines.map((l) => [l.statement, l.statementLine, l.side, l.section, l.sortOrder, l.label, l.inOperatingResult, l.inNetResult, l.cashFlowGroup, l.mappable]),
  );
}

async function insertMappingRules(warehouse: Warehouse, rules: MappingRule[]): Promise<void> {
  await insertRows(
    warehouse,
    'mart_account_mapping_rule',
    ['country', 'rule_kind', 'grouping_category', 'from_code', 'to_code', 'span', 'statement_line', 'account_type', 'kpi_group', 'description', 'source_file', 'source_line'],
    rules.map((r) => [r.country, r.kind, r.groupingCategory, r.from, r.to, r.span, r.statementLine, r.accountType, r.kpiGroup, r.description, r.file, r.line]),
  );
}

/** A few hundred rows at most: multi-row VALUES with bound parameters. */
async function insertRows(warehouse: Warehouse, table: string, columns: string[], rows: DuckDBValue[][]): Promise<void> {
  const chunk = 100;
  for (let i = 0; i < rows.length; i += chunk) {
    const slice = rows.slice(i, i + chunk);
    const tuples = slice.map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await warehouse.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, slice.flat());
  }
}
