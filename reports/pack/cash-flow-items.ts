// The rows of the cash-flow statement, in the order an indirect cash flow is read. Items
// that are zero for sound books (unclassified, unbalanced postings) show only when not zero.

export interface CashFlowItem {
  /** mart_cash_flow column */
  key: string;
  label: string;
  kind: 'item' | 'subtotal' | 'total' | 'balance';
  /** Shown only when not zero in the month or the year to date. */
  onlyWhenNonZero?: boolean;
}

export const cashFlowItems: readonly CashFlowItem[] = [
  { key: 'net_result', label: 'Net result', kind: 'item' },
  { key: 'depreciation', label: 'Depreciation and write-downs', kind: 'item' },
  { key: 'change_in_untaxed_reserves', label: 'Change in untaxed reserves', kind: 'item', onlyWhenNonZero: true },
  { key: 'change_in_working_capital', label: 'Change in working capital', kind: 'item' },
  { key: 'operating_cash_flow', label: 'Cash flow from operations', kind: 'subtotal' },
  { key: 'investing_cash_flow', label: 'Cash flow from investments', kind: 'subtotal' },
  { key: 'financing_cash_flow', label: 'Cash flow from financing', kind: 'subtotal' },
  { key: 'unclassified_cash_flow', label: 'Unclassified (accounts no mapping covers)', kind: 'item', onlyWhenNonZero: true },
  { key: 'unbalanced_postings', label: 'Unbalanced postings in the source', kind: 'item', onlyWhenNonZero: true },
  { key: 'net_cash_flow', label: 'Net cash flow', kind: 'total' },
  { key: 'cash_opening', label: 'Cash at the start', kind: 'balance' },
  { key: 'cash_closing', label: 'Cash at the end', kind: 'balance' },
];

/** Flows add up over months; the two balances do not. */
export const cashFlowFlowKeys: readonly string[] = cashFlowItems.filter((i) => i.kind !== 'balance').map((i) => i.key);
