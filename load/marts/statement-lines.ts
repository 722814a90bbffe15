// The statement lines every mart speaks in. Fixed in code, not a mapping file: the P&L, the
// balance sheet, the cash flow and the KPIs each rely on what a line means. Mapping files
// (load/mappings/*.csv) put accounts on the lines marked `mappable`.

export type Statement = 'income_statement' | 'balance_sheet';

/** Where a line's movements go in the indirect cash flow (mart_cash_flow). */
export type CashFlowGroup = 'result' | 'working_capital' | 'investing' | 'financing' | 'non_cash' | 'unclassified' | 'computed';

export interface StatementLine {
  statement: Statement;
  statementLine: string;
  /** Balance sheet: `assets` or `equity_and_liabilities`; null on the income statement. */
  side: 'assets' | 'equity_and_liabilities' | null;
  section: string;
  sortOrder: number;
  label: string;
  inOperatingResult: boolean;
  inNetResult: boolean;
  cashFlowGroup: CashFlowGroup;
  /** A mapping file may put accounts here; the others are computed or the fallback. */
  mappable: boolean;
}

function income(statementLine: string, section: string, sortOrder: number, label: string, operating: boolean, net: boolean, cashFlowGroup: CashFlowGroup = 'result', mappable = true): StatementLine {
  return { statement: 'income_statement', statementLine, side: null, section, sortOrder, label, inOperatingResult: operating, inNetResult: net, cashFlowGroup, mappable };
}

function balance(statementLine: string, side: 'assets' | 'equity_and_liabilities', section: string, sortOrder: number, label: string, cashFlowGroup: CashFlowGroup, mappable = true): StatementLine {
  return { statement: 'balance_sheet', statementLine, side, section, sortOrder, label, inOperatingResult: false, inNetResult: false, cashFlowGroup, mappable };
}

export const statementLines: readonly StatementLine[] = [
  income('revenue', 'operating', 10, 'Revenue and other operating income', true, true),
  income('cost_of_goods', 'operating', 20, 'Cost of goods and subcontracting', true, true),
  income('payroll', 'operating', 30, 'Payroll', true, true),
  income('other_operating_expenses', 'operating', 40, 'Other operating expenses', true, true),
  income('depreciation', 'operating', 50, 'Depreciation and write-downs', true, true),
  income('financial_items', 'financial', 60, 'Financial items', false, true),
  // Swedish bokslutsdispositioner, Finnish tilinpäätössiirrot: part of the year's result.
  income('appropriations', 'appropriations', 70, 'Appropriations', false, true),
  income('tax', 'tax', 80, 'Tax', false, true),
  // The year-end transfer of the result to equity: not a revenue or a cost, so kept out of
  // every result; its equity side is a financing movement that cancels it in the cash flow.
  income('result_allocation', 'allocation', 90, 'Year-end result allocation', false, false, 'financing'),
  income('unmapped', 'unmapped', 99, 'Accounts no mapping covers', false, true, 'result', false),

  balance('fixed_assets', 'assets', 'assets', 110, 'Fixed assets', 'investing'),
  balance('current_assets', 'assets', 'assets', 120, 'Current assets', 'working_capital'),
  balance('unmapped', 'assets', 'unmapped', 190, 'Accounts no mapping covers', 'unclassified', false),
  balance('equity', 'equity_and_liabilities', 'equity', 210, 'Equity', 'financing'),
  // Income-statement accounts not yet closed into equity: the year's result so far.
  balance('current_year_result', 'equity_and_liabilities', 'equity', 220, 'Result for the year, not yet allocated', 'computed', false),
  balance('untaxed_reserves', 'equity_and_liabilities', 'untaxed_reserves', 230, 'Untaxed reserves', 'non_cash'),
  balance('long_term_liabilities', 'equity_and_liabilities', 'liabilities', 240, 'Long-term liabilities and provisions', 'financing'),
  balance('short_term_liabilities', 'equity_and_liabilities', 'liabilities', 250, 'Short-term liabilities', 'working_capital'),
  // What keeps the sheet in balance when the source's own balances do not (opening balances
  // that do not sum to zero, unbalanced vouchers): zero for sound books, explained in
  // mart_data_quality_year.
  balance('balance_difference', 'equity_and_liabilities', 'difference', 290, 'Difference in the source balances', 'computed', false),
];

export const mappableLines: ReadonlySet<string> = new Set(statementLines.filter((l) => l.mappable).map((l) => l.statementLine));

/** KPI roles a mapping row may give an account (mart_kpi, mart_cash_flow). */
export const kpiGroups: ReadonlySet<string> = new Set(['cash', 'trade_receivables', 'trade_payables']);

export const accountTypes: ReadonlySet<string> = new Set(['asset', 'liability', 'equity', 'income', 'expense']);
