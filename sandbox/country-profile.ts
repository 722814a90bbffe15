// What a country contributes to the generator: its chart, VAT and payroll rules, journals,
// names and texts. The profiles themselves live in sandbox/charts/*.ts.
import type { AccountType, Country, JournalRow } from '../model/index.ts';
import type { Random } from './random.ts';

export interface ChartAccount {
  id: string;
  name: string;
  type: AccountType;
  standardAccountId: string | null;
  groupingCategory: string | null;
  groupingCode: string | null;
  /** Default VAT code; on revenue/expense accounts it also decides the line's VAT. */
  vatCode: string | null;
  extra: Record<string, unknown> | null;
}

export interface Weighted {
  account: string;
  weight: number;
}

export interface CountryProfile {
  country: Country;
  currency: string;
  /** Multiplier from the chart's NOK/SEK-sized medians to this currency. */
  amountScale: number;
  /** Foreign currency used on a few invoices; `rate4` = base minor units per foreign minor unit × 10 000. */
  foreign: { currency: string; rate4: number; countries: string[] };
  accounts: ChartAccount[];
  taxCodes: { code: string; description: string; rate: string | null; standard: string | null }[];
  /** VAT codes that produce a VAT line: rate in basis points and the VAT account. */
  vat: Record<string, { basisPoints: number; account: string }>;
  roles: {
    bank: string;
    receivable: string;
    payable: string;
    shareCapital: string;
    retainedEarnings: string;
    /** Balance-sheet account the year-end voucher credits with the result. */
    yearResultEquity: string;
    /** P&L account the year-end voucher debits (8800, 8999, …) so the P&L nets to zero. */
    yearResultPnl: string;
    loan: string;
    vatSettlement: string;
    bankFees: string;
    interestIncome: string;
    interestExpense: string;
    fxGain: string;
    fxLoss: string;
  };
  fixedAssets: { asset: string; accumulated: string | null; expense: string; lifeMonths: number; share: number }[];
  revenue: Weighted[];
  exportRevenue: string;
  supplierKinds: { trade: string; lines: Weighted[]; median: number; weight: number }[];
  cardPurchases: Weighted[];
  /** A VAT-free expense for two-line card purchases (postage): lets the year end on target. */
  exemptCardPurchase: string;
  assetPurchaseVatCode: string;
  payroll: {
    salary: string;
    withholdingRate: number;
    withholding: string;
    contributions: { expense: string; liability: string; rate: number }[];
    employeePension: { liability: string; rate: number } | null;
    holidayPay: { expense: string; liability: string; rate: number; payMonth: number } | null;
    taxTermMonths: number;
    taxPayDay: number;
    pensionPayDay: number | null;
  };
  /** Calendar VAT terms; payment due `dueMonthsAfter` months after the term's last month. */
  vatTerm: { months: number; dueMonthsAfter: number; dueDay: number };
  journals: {
    rows: JournalRow[];
    sales: string;
    purchases: string;
    customerPayments: string;
    supplierPayments: string;
    bank: string;
    payroll: string;
    general: string;
  };
  dimensionTypes: { department: string; project: string };
  departments: { id: string; name: string }[];
  projectNames: string[];
  projectPrefix: string;
  names: {
    companyStems: string[];
    companyTrades: string[];
    companySuffix: string;
    partyStems: string[];
    customerTrades: string[];
    foreignCustomers: string[];
    foreignSuppliers: string[];
  };
  orgNumber: (rng: Random) => string;
  text: Record<
    | 'sale' | 'customerPayment' | 'purchase' | 'supplierPayment' | 'card' | 'payroll' | 'payrollTax' | 'pension'
    | 'holidayPay' | 'depreciation' | 'bankFee' | 'loan' | 'interestIncome' | 'vatTransfer' | 'vatPayment'
    | 'assetPurchase' | 'yearEnd',
    string
  > & { months: string[] };
}
