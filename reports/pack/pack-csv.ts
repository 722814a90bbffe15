// One CSV per view of the pack, for machines: UTF-8, a header row, dot decimals exactly as
// the marts hold them, no thousands separators, an empty field where there is no figure.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { cashFlowItems } from './cash-flow-items.ts';
import { kpiDefinitions } from './kpi-definitions.ts';
import { pnlColumns, type PackData } from './pack-data.ts';

type Cell = string | number | null;

export interface CsvView {
  /** File name without `.csv`. */
  name: string;
  columns: string[];
  rows: Record<string, Cell>[];
}

export const csvViewNames = ['kpi', 'profit_and_loss', 'balance_sheet', 'cash_flow', 'trial_balance', 'data_quality'] as const;

export function packCsvViews(data: PackData): CsvView[] {
  const base = { org_id: data.organization.orgId, period: data.period.text };
  const currency = data.organization.currency;
  const { current, lastYear } = data.kpi;
  return [
    {
      name: 'kpi',
      columns: ['org_id', 'period', 'kpi', 'label', 'unit', 'currency', 'value', 'last_year_value', 'ytd', 'last_year_ytd'],
      rows: kpiDefinitions.map((k) => ({
        ...base,
        kpi: k.key,
        label: k.label,
        unit: k.unit,
        currency: k.unit === 'money' ? currency : null,
        value: current[k.key] ?? null,
        last_year_value: lastYear?.[k.key] ?? null,
        ytd: k.ytd ? (current[`${k.key}_ytd`] ?? null) : null,
        last_year_ytd: k.ytd ? (lastYear?.[`${k.key}_ytd`] ?? null) : null,
      })),
    },
    {
      name: 'profit_and_loss',
      columns: ['org_id', 'period', 'currency', 'statement_line', 'label', 'sort_order', 'in_operating_result', 'in_net_result', ...pnlColumns],
      rows: data.profitAndLoss.map((l) => ({
        ...base,
        currency,
        statement_line: l.statementLine,
        label: l.label,
        sort_order: l.sortOrder,
        in_operating_result: l.inOperatingResult ? 'true' : 'false',
        in_net_result: l.inNetResult ? 'true' : 'false',
        ...l.figures,
      })),
    },
    {
      name: 'balance_sheet',
      columns: ['org_id', 'period', 'currency', 'side', 'section', 'statement_line', 'label', 'sort_order', 'as_of', 'amount', 'last_year_end', 'last_year_end_amount', 'last_year_amount'],
      rows: data.balanceSheet.map((l) => ({
        ...base,
        currency,
        side: l.side,
        section: l.section,
        statement_line: l.statementLine,
        label: l.label,
        sort_order: l.sortOrder,
        as_of: data.periodEnd,
        amount: l.amount,
        last_year_end: data.previousFiscalYear?.end ?? null,
        last_year_end_amount: l.lastYearEndAmount,
        last_year_amount: l.lastYearAmount,
      })),
    },
    {
      name: 'cash_flow',
      columns: ['org_id', 'period', 'currency', 'item', 'label', 'month', 'ytd'],
      rows: cashFlowItems.map((i) => ({ ...base, currency, item: i.key, label: i.label, month: data.cashFlow.month[i.key] ?? null, ytd: data.cashFlow.ytd[i.key] ?? null })),
    },
    {
      name: 'trial_balance',
      columns: ['org_id', 'period', 'currency', 'account_id', 'account_name', 'statement', 'statement_line', 'opening', 'movement', 'closing'],
      rows: data.trialBalance.map((t) => ({
        ...base,
        currency,
        account_id: t.accountId,
        account_name: t.accountName,
        statement: t.statement,
        statement_line: t.statementLine,
        opening: t.opening,
        movement: t.movement,
        closing: t.closing,
      })),
    },
    { name: 'data_quality', columns: ['org_id', 'period', 'check', 'status', 'subject', 'count', 'amount', 'detail'], rows: qualityRows(data).map((r) => ({ ...base, ...r })) },
  ];
}

/**
 * Data quality as one list: a summary row per check (its count, and ok/warning/error), then
 * one row per finding (an unmapped account, a tie-out difference, an unbalanced voucher, an
 * import issue code).
 */
function qualityRows(data: PackData): Record<string, Cell>[] {
  const q = data.quality;
  const s = q.summary;
  const check = (name: string, count: string | null, bad: 'warning' | 'error', detail: string | null = null, amount: string | null = null) => ({
    check: name,
    status: count === null || count === '0' ? 'ok' : bad,
    subject: null,
    count,
    amount,
    detail,
  });
  const runStatus = s?.lastRunStatus ?? null;
  return [
    {
      check: 'last_run',
      status: runStatus === 'succeeded' ? 'ok' : runStatus === 'failed' ? 'error' : 'warning',
      subject: s?.lastRunSource ?? null,
      count: null,
      amount: null,
      detail: [runStatus ?? 'no run recorded', s?.lastRunTrigger, s?.lastRunFinishedAt ?? s?.lastRunStartedAt, s?.lastRunError].filter(Boolean).join('; '),
    },
    check('unmapped_accounts', s?.unmappedAccounts ?? null, 'warning'),
    check('unbalanced_vouchers', s?.unbalancedVouchers ?? null, 'error'),
    check('tie_out_differences', s?.tieOutDifferences ?? null, 'warning', s ? `${s.tieOutBalances} balances checked` : null),
    check('years_with_balance_difference', s?.yearsWithBalanceDifference ?? null, 'warning'),
    check('lines_outside_fiscal_year', q.year?.linesOutsideFiscalYear ?? null, 'warning', 'this fiscal year'),
    check('import_errors', s?.importErrors ?? null, 'error'),
    check('import_warnings', s?.importWarnings ?? null, 'warning'),
    { check: 'overall', status: s?.status ?? null, subject: null, count: null, amount: null, detail: null },
    ...q.unmappedAccounts.map((u) => ({ check: 'unmapped_account', status: 'warning', subject: u.accountId, count: u.lineCount, amount: u.latestClosing, detail: [u.accountName, u.statement].filter(Boolean).join('; ') })),
    ...q.tieOutDifferences.map((t) => ({
      check: 'tie_out_difference',
      status: 'warning',
      subject: t.accountId,
      count: null,
      amount: t.difference,
      detail: `${t.balanceType} as of ${t.asOf} (${t.source}): source ${t.sourceAmount}, warehouse ${t.warehouseAmount ?? ''}`,
    })),
    ...q.unbalancedVouchers.map((u) => ({ check: 'unbalanced_voucher', status: 'error', subject: u.voucherId, count: u.lineCount, amount: u.difference, detail: u.voucherDate })),
    ...q.importIssues.map((i) => ({ check: 'import_issue', status: i.severity === 'error' ? 'error' : 'warning', subject: i.code, count: i.issueCount, amount: null, detail: `${i.runCount} runs, last seen ${i.lastSeenAt ?? ''}` })),
  ];
}

/** Writes `<dir>/csv/<view>.csv` for every view; returns the paths. */
export function writePackCsv(dir: string, data: PackData): string[] {
  const csvDir = join(dir, 'csv');
  mkdirSync(csvDir, { recursive: true });
  return packCsvViews(data).map((view) => {
    const path = join(csvDir, `${view.name}.csv`);
    writeFileSync(path, stringify(view.rows, { header: true, columns: view.columns }), 'utf8');
    return path;
  });
}
