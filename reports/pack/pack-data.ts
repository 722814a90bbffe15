// Everything a month-end pack shows, read from the marts for one organization and month.
// Money stays the exact decimal text DuckDB gives for DECIMAL columns (cast to VARCHAR in
// SQL), so what the pack prints is what the marts hold, to the øre.
import type { Warehouse } from '../../load/index.ts';
import { cashFlowFlowKeys } from './cash-flow-items.ts';
import { kpiColumns } from './kpi-definitions.ts';
import { ReportPackError } from './report-pack-error.ts';
import type { ReportPeriod } from './report-period.ts';

type Figures = Record<string, string | null>;

export interface PackOrganization {
  orgId: string;
  name: string;
  orgNumber: string | null;
  country: string | null;
  currency: string;
  source: string;
}

export interface PackFiscalYear {
  start: string;
  end: string;
  label: string;
  /** First day of its last month, as the marts key it. */
  lastMonth: string;
}

export interface PnlLine {
  statementLine: string;
  label: string;
  section: string;
  sortOrder: number;
  inOperatingResult: boolean;
  inNetResult: boolean;
  /** mart_profit_and_loss columns: amount, ytd, last_year, last_year_ytd, rolling_12m, budget, budget_ytd, variance, variance_ytd. */
  figures: Figures;
}

export interface BalanceLine {
  statementLine: string;
  label: string;
  side: 'assets' | 'equity_and_liabilities';
  section: string;
  sortOrder: number;
  amount: string | null;
  /** Same month last year (mart_balance_sheet.last_year_amount). */
  lastYearAmount: string | null;
  /** At the end of the previous fiscal year; null without one. */
  lastYearEndAmount: string | null;
}

export interface TrendMonth {
  /** `yyyy-mm` */
  month: string;
  revenue: string | null;
  netResult: string | null;
  cashClosing: string | null;
}

export interface TrialBalanceLine {
  accountId: string;
  accountName: string | null;
  statement: string | null;
  statementLine: string | null;
  opening: string;
  movement: string;
  closing: string;
}

export interface QualitySummary {
  status: string;
  lastRunSource: string | null;
  lastRunTrigger: string | null;
  lastRunStatus: string | null;
  lastRunStartedAt: string | null;
  lastRunFinishedAt: string | null;
  lastRunError: string | null;
  lastSucceededAt: string | null;
  unmappedAccounts: string;
  unbalancedVouchers: string;
  yearsWithBalanceDifference: string;
  linesOutsideFiscalYear: string;
  importErrors: string;
  importWarnings: string;
  tieOutBalances: string;
  tieOutDifferences: string;
}

export interface QualityData {
  summary: QualitySummary | null;
  /** The pack's fiscal year (mart_data_quality_year). */
  year: { openingTotal: string; movementTotal: string; unbalancedVouchers: string; linesOutsideFiscalYear: string; hasOpeningBalances: boolean } | null;
  unmappedAccounts: { accountId: string; accountName: string | null; statement: string | null; lineCount: string; latestClosing: string | null }[];
  tieOutDifferences: { fiscalYearStart: string; accountId: string; balanceType: string; asOf: string; source: string; sourceAmount: string; warehouseAmount: string | null; difference: string | null }[];
  unbalancedVouchers: { voucherId: string; voucherDate: string | null; lineCount: string; difference: string }[];
  importIssues: { severity: string; code: string; issueCount: string; runCount: string; lastSeenAt: string | null }[];
}

export interface PackData {
  organization: PackOrganization;
  period: ReportPeriod;
  /** Last day of the period (or of the fiscal year, when it ends mid-month). */
  periodEnd: string;
  fiscalYear: PackFiscalYear;
  previousFiscalYear: PackFiscalYear | null;
  /** mart_kpi for the month and the same month a year before (null without history). */
  kpi: { current: Figures; lastYear: Figures | null };
  profitAndLoss: PnlLine[];
  balanceSheet: BalanceLine[];
  cashFlow: { month: Figures; ytd: Figures };
  /** The period and the twelve months before it, oldest first; months the warehouse does not hold have null figures. */
  trend: TrendMonth[];
  trialBalance: TrialBalanceLine[];
  quality: QualityData;
}

/** mart_profit_and_loss figures, in the order the CSV carries them. */
export const pnlColumns = ['amount', 'ytd', 'last_year', 'last_year_ytd', 'rolling_12m', 'budget', 'budget_ytd', 'variance', 'variance_ytd'] as const;

const text = (columns: readonly string[], prefix = '') => columns.map((c) => `${prefix}${c}::VARCHAR AS ${c}`).join(', ');

/** Reads the pack's figures; the marts must be built. Throws ReportPackError for an unknown organization or a month no fiscal year covers. */
export async function readPackData(warehouse: Warehouse, orgId: string, period: ReportPeriod): Promise<PackData> {
  const organization = await readOrganization(warehouse, orgId);
  const years = await warehouse.all<{ start: string; end: string; label: string | null; last_month: string }>(
    `SELECT y.fiscal_year_start::VARCHAR AS start, y.fiscal_year_end::VARCHAR AS end, f.label,
            date_trunc('month', y.fiscal_year_end)::DATE::VARCHAR AS last_month
     FROM mart_data_quality_year y
     LEFT JOIN fiscal_year f ON f.org_id = y.org_id AND f.start_date = y.fiscal_year_start
     WHERE y.org_id = $1 ORDER BY y.fiscal_year_start`,
    [orgId],
  );
  const toYear = (y: (typeof years)[number]): PackFiscalYear => ({ start: y.start, end: y.end, label: y.label ?? `${y.start} – ${y.end}`, lastMonth: y.last_month });
  const index = years.findIndex((y) => y.start.slice(0, 7) <= period.text && y.end.slice(0, 7) >= period.text);
  if (index < 0) {
    const held = years.length > 0 ? `it holds ${years[0]!.start} to ${years.at(-1)!.end}` : 'it holds no fiscal years for it';
    throw new ReportPackError(`Organization "${orgId}" has no fiscal year covering ${period.text} in the warehouse (${held}); pick a month inside one.`);
  }
  const fiscalYear = toYear(years[index]!);
  const previousFiscalYear = index > 0 ? toYear(years[index - 1]!) : null;
  const params = [orgId, fiscalYear.start, period.firstDay];

  const kpiRows = await warehouse.all<Figures & { month: string }>(
    `SELECT month::VARCHAR AS month, ${text(kpiColumns)} FROM mart_kpi
     WHERE org_id = $1 AND month IN ($2::DATE, ($2::DATE - INTERVAL 12 MONTH)::DATE)`,
    [orgId, period.firstDay],
  );
  const current = kpiRows.find((r) => r.month === period.firstDay);
  if (!current) throw new ReportPackError(`The marts hold no KPIs for "${orgId}" in ${period.text}; rebuild the marts and try again.`);
  const lastYear = kpiRows.find((r) => r.month !== period.firstDay) ?? null;

  const profitAndLoss = (
    await warehouse.all<Figures & { statement_line: string; label: string; section: string; sort_order: number; in_operating_result: boolean; in_net_result: boolean }>(
      `SELECT p.statement_line, l.label, l.section, p.sort_order, l.in_operating_result, l.in_net_result, ${text(pnlColumns, 'p.')}
       FROM mart_profit_and_loss p
       JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = p.statement_line
       WHERE p.org_id = $1 AND p.fiscal_year_start = $2::DATE AND p.month = $3::DATE ORDER BY p.sort_order`,
      params,
    )
  ).map((r) => ({
    statementLine: r.statement_line,
    label: r.label,
    section: r.section,
    sortOrder: Number(r.sort_order),
    inOperatingResult: r.in_operating_result,
    inNetResult: r.in_net_result,
    figures: Object.fromEntries(pnlColumns.map((c) => [c, r[c] ?? null])),
  }));

  const balanceSheet = (
    await warehouse.all<{ statement_line: string; label: string; side: 'assets' | 'equity_and_liabilities'; section: string; sort_order: number; amount: string | null; last_year_amount: string | null; last_year_end_amount: string | null }>(
      `SELECT b.statement_line, l.label, b.side, b.section, b.sort_order, b.amount::VARCHAR AS amount, b.last_year_amount::VARCHAR AS last_year_amount,
              p.amount::VARCHAR AS last_year_end_amount
       FROM mart_balance_sheet b
       JOIN mart_statement_line l ON l.statement = 'balance_sheet' AND l.statement_line = b.statement_line
       LEFT JOIN mart_balance_sheet p ON p.org_id = b.org_id AND p.statement_line = b.statement_line
        AND p.fiscal_year_start = $4::DATE AND p.month = $5::DATE
       WHERE b.org_id = $1 AND b.fiscal_year_start = $2::DATE AND b.month = $3::DATE ORDER BY b.sort_order`,
      [...params, previousFiscalYear?.start ?? null, previousFiscalYear?.lastMonth ?? null],
    )
  ).map((r) => ({
    statementLine: r.statement_line,
    label: r.label,
    side: r.side,
    section: r.section,
    sortOrder: Number(r.sort_order),
    amount: r.amount,
    lastYearAmount: r.last_year_amount,
    lastYearEndAmount: previousFiscalYear ? r.last_year_end_amount : null,
  }));

  const cashMonth = await warehouse.one<Figures>(
    `SELECT ${text([...cashFlowFlowKeys, 'cash_opening', 'cash_closing'])} FROM mart_cash_flow
     WHERE org_id = $1 AND fiscal_year_start = $2::DATE AND month = $3::DATE`,
    params,
  );
  // The year to date: flows add up; cash opens at the year's first month and closes at this one.
  const cashYtd = await warehouse.one<Figures>(
    `SELECT ${cashFlowFlowKeys.map((k) => `sum(${k})::VARCHAR AS ${k}`).join(', ')},
            arg_min(cash_opening, month)::VARCHAR AS cash_opening, arg_max(cash_closing, month)::VARCHAR AS cash_closing
     FROM mart_cash_flow WHERE org_id = $1 AND fiscal_year_start = $2::DATE AND month <= $3::DATE`,
    params,
  );

  const trendRows = await warehouse.all<{ month: string; revenue: string | null; net_result: string | null; cash_closing: string | null }>(
    `SELECT strftime(k.month, '%Y-%m') AS month, k.revenue::VARCHAR AS revenue, k.net_result::VARCHAR AS net_result, c.cash_closing::VARCHAR AS cash_closing
     FROM mart_kpi k
     LEFT JOIN mart_cash_flow c ON c.org_id = k.org_id AND c.fiscal_year_start = k.fiscal_year_start AND c.month = k.month
     WHERE k.org_id = $1 AND k.month BETWEEN ($2::DATE - INTERVAL 12 MONTH)::DATE AND $2::DATE`,
    [orgId, period.firstDay],
  );
  const trend = trendMonths(period).map((month) => {
    const r = trendRows.find((t) => t.month === month);
    return { month, revenue: r?.revenue ?? null, netResult: r?.net_result ?? null, cashClosing: r?.cash_closing ?? null };
  });

  const trialBalance = (
    await warehouse.all<{ account_id: string; account_name: string | null; statement: string | null; statement_line: string | null; opening: string; movement: string; closing: string }>(
      `SELECT t.account_id, c.account_name, c.statement, c.statement_line,
              t.opening::VARCHAR AS opening, t.movement::VARCHAR AS movement, t.closing::VARCHAR AS closing
       FROM mart_monthly_trial_balance t
       LEFT JOIN mart_account_classification c ON c.org_id = t.org_id AND c.account_id = t.account_id
       WHERE t.org_id = $1 AND t.fiscal_year_start = $2::DATE AND t.month = $3::DATE ORDER BY t.account_id`,
      params,
    )
  ).map((r) => ({ accountId: r.account_id, accountName: r.account_name, statement: r.statement, statementLine: r.statement_line, opening: r.opening, movement: r.movement, closing: r.closing }));

  const periodEnd = (await warehouse.one<{ d: string }>('SELECT least(last_day($1::DATE), $2::DATE)::VARCHAR AS d', [period.firstDay, fiscalYear.end]))!.d;

  return {
    organization,
    period,
    periodEnd,
    fiscalYear,
    previousFiscalYear,
    kpi: { current: stripMonth(current), lastYear: lastYear ? stripMonth(lastYear) : null },
    profitAndLoss,
    balanceSheet,
    cashFlow: { month: cashMonth ?? {}, ytd: cashYtd ?? {} },
    trend,
    trialBalance,
    quality: await readQuality(warehouse, orgId, fiscalYear.start),
  };
}

/** The organization, or a ReportPackError naming the ones the warehouse holds. */
export async function readOrganization(warehouse: Warehouse, orgId: string): Promise<PackOrganization> {
  const org = await warehouse.one<{ name: string; org_number: string | null; country: string | null; base_currency: string; source: string }>(
    'SELECT name, org_number, country, base_currency, source FROM organization WHERE org_id = $1',
    [orgId],
  );
  if (!org) {
    const known = (await warehouse.all<{ org_id: string }>('SELECT org_id FROM organization ORDER BY org_id LIMIT 11')).map((o) => o.org_id);
    const hint = known.length === 0 ? 'the warehouse holds no organizations yet; import or sync one first' : `it holds ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}`;
    throw new ReportPackError(`Organization "${orgId}" is not in the warehouse (${hint}).`);
  }
  return { orgId, name: org.name, orgNumber: org.org_number, country: org.country, currency: org.base_currency, source: org.source };
}

async function readQuality(warehouse: Warehouse, orgId: string, fiscalYearStart: string): Promise<QualityData> {
  const stamp = (column: string) => `strftime(${column}, '%Y-%m-%d %H:%M')`;
  const summary = await warehouse.one<Record<string, string | null>>(
    `SELECT status, last_run_source, last_run_trigger, last_run_status, ${stamp('last_run_started_at')} AS last_run_started_at,
            ${stamp('last_run_finished_at')} AS last_run_finished_at, last_run_error, ${stamp('last_succeeded_at')} AS last_succeeded_at,
            unmapped_accounts::VARCHAR AS unmapped_accounts, unbalanced_vouchers::VARCHAR AS unbalanced_vouchers,
            years_with_balance_difference::VARCHAR AS years_with_balance_difference, lines_outside_fiscal_year::VARCHAR AS lines_outside_fiscal_year,
            import_errors::VARCHAR AS import_errors, import_warnings::VARCHAR AS import_warnings,
            tie_out_balances::VARCHAR AS tie_out_balances, tie_out_differences::VARCHAR AS tie_out_differences
     FROM mart_data_quality WHERE org_id = $1`,
    [orgId],
  );
  const year = await warehouse.one<{ opening_total: string; movement_total: string; unbalanced_vouchers: string; lines_outside_fiscal_year: string; has_opening_balances: boolean }>(
    `SELECT opening_total::VARCHAR AS opening_total, movement_total::VARCHAR AS movement_total, unbalanced_vouchers::VARCHAR AS unbalanced_vouchers,
            lines_outside_fiscal_year::VARCHAR AS lines_outside_fiscal_year, has_opening_balances
     FROM mart_data_quality_year WHERE org_id = $1 AND fiscal_year_start = $2::DATE`,
    [orgId, fiscalYearStart],
  );
  const unmapped = await warehouse.all<{ account_id: string; account_name: string | null; statement: string | null; line_count: string; latest_closing: string | null }>(
    `SELECT account_id, account_name, statement, line_count::VARCHAR AS line_count, latest_closing::VARCHAR AS latest_closing
     FROM mart_data_quality_unmapped_account WHERE org_id = $1 ORDER BY account_id`,
    [orgId],
  );
  const tieOut = await warehouse.all<{ fiscal_year_start: string; account_id: string; balance_type: string; as_of: string; source: string; source_amount: string; warehouse_amount: string | null; difference: string | null }>(
    `SELECT fiscal_year_start::VARCHAR AS fiscal_year_start, account_id, balance_type, as_of::VARCHAR AS as_of, source,
            source_amount::VARCHAR AS source_amount, warehouse_amount::VARCHAR AS warehouse_amount, difference::VARCHAR AS difference
     FROM mart_data_quality_tie_out WHERE org_id = $1 AND difference IS DISTINCT FROM 0
     ORDER BY fiscal_year_start DESC, account_id, balance_type, as_of`,
    [orgId],
  );
  const unbalanced = await warehouse.all<{ voucher_id: string; voucher_date: string | null; line_count: string; difference: string }>(
    `SELECT voucher_id, voucher_date::VARCHAR AS voucher_date, line_count::VARCHAR AS line_count, difference::VARCHAR AS difference
     FROM mart_data_quality_unbalanced_voucher WHERE org_id = $1 ORDER BY voucher_date, voucher_id`,
    [orgId],
  );
  const issues = await warehouse.all<{ severity: string; code: string; issue_count: string; run_count: string; last_seen_at: string | null }>(
    `SELECT severity, code, issue_count::VARCHAR AS issue_count, run_count::VARCHAR AS run_count, ${stamp('last_seen_at')} AS last_seen_at
     FROM mart_data_quality_import_issue WHERE org_id = $1 ORDER BY severity, code`,
    [orgId],
  );
  return {
    summary: summary
      ? {
          status: summary.status ?? 'ok',
          lastRunSource: summary.last_run_source ?? null,
          lastRunTrigger: summary.last_run_trigger ?? null,
          lastRunStatus: summary.last_run_status ?? null,
          lastRunStartedAt: summary.last_run_started_at ?? null,
          lastRunFinishedAt: summary.last_run_finished_at ?? null,
          lastRunError: summary.last_run_error ?? null,
          lastSucceededAt: summary.last_succeeded_at ?? null,
          unmappedAccounts: summary.unmapped_accounts ?? '0',
          unbalancedVouchers: summary.unbalanced_vouchers ?? '0',
          yearsWithBalanceDifference: summary.years_with_balance_difference ?? '0',
          linesOutsideFiscalYear: summary.lines_outside_fiscal_year ?? '0',
          importErrors: summary.import_errors ?? '0',
          importWarnings: summary.import_warnings ?? '0',
          tieOutBalances: summary.tie_out_balances ?? '0',
          tieOutDifferences: summary.tie_out_differences ?? '0',
        }
      : null,
    year: year
      ? { openingTotal: year.opening_total, movementTotal: year.movement_total, unbalancedVouchers: year.unbalanced_vouchers, linesOutsideFiscalYear: year.lines_outside_fiscal_year, hasOpeningBalances: year.has_opening_balances }
      : null,
    unmappedAccounts: unmapped.map((u) => ({ accountId: u.account_id, accountName: u.account_name, statement: u.statement, lineCount: u.line_count, latestClosing: u.latest_closing })),
    tieOutDifferences: tieOut.map((t) => ({
      fiscalYearStart: t.fiscal_year_start,
      accountId: t.account_id,
      balanceType: t.balance_type,
      asOf: t.as_of,
      source: t.source,
      sourceAmount: t.source_amount,
      warehouseAmount: t.warehouse_amount,
      difference: t.difference,
    })),
    unbalancedVouchers: unbalanced.map((u) => ({ voucherId: u.voucher_id, voucherDate: u.voucher_date, lineCount: u.line_count, difference: u.difference })),
    importIssues: issues.map((i) => ({ severity: i.severity, code: i.code, issueCount: i.issue_count, runCount: i.run_count, lastSeenAt: i.last_seen_at })),
  };
}

/** `yyyy-mm` of the period and the twelve months before it, oldest first. */
function trendMonths(period: ReportPeriod): string[] {
  const out: string[] = [];
  for (let back = 12; back >= 0; back--) {
    const index = period.year * 12 + period.month - 1 - back;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

function stripMonth(row: Figures & { month: string }): Figures {
  const { month: _month, ...figures } = row;
  return figures;
}
