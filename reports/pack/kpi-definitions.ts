// The mart_kpi measures the pack shows, how each is read, and which make a tile on the
// first page. The CSV carries all of them; the tiles are what a finance leader scans first.

/** ratio: a fraction shown as a percentage; times: a fraction shown as a multiple (current ratio 1,23). */
export type KpiUnit = 'money' | 'ratio' | 'times' | 'days';

export interface KpiDefinition {
  /** mart_kpi column; `<key>_ytd` exists when `ytd` is set. */
  key: string;
  label: string;
  unit: KpiUnit;
  ytd: boolean;
  tile: boolean;
}

export const kpiDefinitions: readonly KpiDefinition[] = [
  { key: 'revenue', label: 'Revenue', unit: 'money', ytd: true, tile: true },
  { key: 'gross_profit', label: 'Gross profit', unit: 'money', ytd: true, tile: false },
  { key: 'gross_margin', label: 'Gross margin', unit: 'ratio', ytd: true, tile: true },
  { key: 'ebitda', label: 'EBITDA', unit: 'money', ytd: true, tile: true },
  { key: 'operating_result', label: 'Operating result', unit: 'money', ytd: true, tile: true },
  { key: 'operating_margin', label: 'Operating margin', unit: 'ratio', ytd: true, tile: false },
  { key: 'net_result', label: 'Net result', unit: 'money', ytd: true, tile: true },
  { key: 'current_assets', label: 'Current assets', unit: 'money', ytd: false, tile: false },
  { key: 'short_term_liabilities', label: 'Short-term liabilities', unit: 'money', ytd: false, tile: false },
  { key: 'working_capital', label: 'Working capital', unit: 'money', ytd: false, tile: true },
  { key: 'current_ratio', label: 'Current ratio', unit: 'times', ytd: false, tile: true },
  { key: 'total_assets', label: 'Total assets', unit: 'money', ytd: false, tile: false },
  { key: 'equity', label: 'Equity', unit: 'money', ytd: false, tile: false },
  { key: 'equity_ratio', label: 'Equity ratio', unit: 'ratio', ytd: false, tile: true },
  { key: 'trade_receivables', label: 'Trade receivables', unit: 'money', ytd: false, tile: false },
  { key: 'trade_payables', label: 'Trade payables', unit: 'money', ytd: false, tile: false },
  { key: 'dso_days', label: 'Days sales outstanding', unit: 'days', ytd: false, tile: true },
  { key: 'dpo_days', label: 'Days payables outstanding', unit: 'days', ytd: false, tile: true },
];

/** Every mart_kpi column the definitions read, `_ytd` ones included. */
export const kpiColumns: readonly string[] = kpiDefinitions.flatMap((k) => (k.ytd ? [k.key, `${k.key}_ytd`] : [k.key]));

/** Decimal places of a unit's DECIMAL column in mart_kpi. */
export const kpiScale: Record<KpiUnit, number> = { money: 2, ratio: 4, times: 4, days: 1 };
