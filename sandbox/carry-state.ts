// The only state crossing a year boundary. Snapshotted at each year start so a single year
// can be replayed on its own.

export interface OpenItem {
  /** Index into customers or suppliers. */
  party: number;
  /** Ledger amount of the receivable (positive) or payable (negative) line. */
  amount: number;
  /** Foreign-currency amount, or NaN for base currency. */
  currencyAmount: number;
  /** Base amount the bank moves on payment (differs from `amount` for foreign items). */
  settled: number;
  due: number;
  invoice: number;
}

export interface CarryState {
  balances: Float64Array;
  receivables: OpenItem[];
  payables: OpenItem[];
  vatDue: { due: number; amount: number; term: string }[];
  assets: { remaining: number; monthly: number }[];
  invoiceNo: number;
  supplierInvoiceNo: number;
}

export function cloneCarry(c: CarryState): CarryState {
  return {
    balances: c.balances.slice(),
    receivables: c.receivables.slice(),
    payables: c.payables.slice(),
    vatDue: c.vatDue.map((v) => ({ ...v })),
    assets: c.assets.map((a) => ({ ...a })),
    invoiceNo: c.invoiceNo,
    supplierInvoiceNo: c.supplierInvoiceNo,
  };
}
