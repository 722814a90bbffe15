// Tripletex objects (only the fields the streams ask for) → the ledger model. Signs as the
// API has them: + debit, − credit. Amounts are JSON numbers, converted to øre exactly.
import { moneyFromJsonNumber, type AccountRow, type AccountType, type DimensionRow, type JournalRow, type LedgerLine, type LineDimension, type Money, type PartyRow, type TaxCodeRow, type Voucher, addDays } from '../../model/index.ts';
import type { SourceFiscalYear } from '../source.ts';

type Ref<T> = T | null | undefined;

export interface TxAccount {
  id: number;
  number: number;
  name: string;
  type?: string | null;
  isInactive?: boolean | null;
  vatType?: Ref<{ number?: string | null }>;
  saftCode?: string | null;
  groupingCode?: string | null;
}

export interface TxPosting {
  id: number;
  row?: number | null;
  date?: string | null;
  description?: string | null;
  amount: number;
  amountCurrency?: number | null;
  currency?: Ref<{ code?: string | null }>;
  account?: Ref<{ number?: number | null }>;
  customer?: Ref<{ customerNumber?: number | null }>;
  supplier?: Ref<{ supplierNumber?: number | null }>;
  department?: Ref<{ departmentNumber?: string | null }>;
  project?: Ref<{ number?: string | null }>;
  vatType?: Ref<{ number?: string | null }>;
}

export interface TxVoucher {
  id: number;
  number?: number | null;
  tempNumber?: number | null;
  year?: number | null;
  date: string;
  description?: string | null;
  voucherType?: Ref<{ id?: number | null }>;
  postings?: TxPosting[] | null;
}

export interface TxPeriod {
  start: string;
  end: string;
  isClosed?: boolean | null;
}

/** A mapping problem: the caller adds where it happened. */
export class TripletexDataError extends Error {
  override readonly name = 'TripletexDataError';
}

/** Tripletex's own account classes, where they say more than the account number does. */
const accountTypes: Record<string, AccountType> = {
  ASSETS: 'asset',
  EQUITY: 'equity',
  LIABILITIES: 'liability',
  OPERATING_REVENUES: 'income',
  INVESTMENT_INCOME: 'income',
  EXTRAORDINARY_INCOME: 'income',
  OPERATING_EXPENSES: 'expense',
  COST_OF_CAPITAL: 'expense',
  EXTRAORDINARY_COST: 'expense',
  TAX_ON_ORDINARY_ACTIVITIES: 'expense',
  TAX_ON_EXTRAORDINARY_ACTIVITIES: 'expense',
};

export function accountRow(a: TxAccount): AccountRow {
  return {
    account_id: String(a.number),
    name: a.name,
    // Result and allocation accounts (88xx, 89xx) are left to the national chart.
    account_type: accountTypes[a.type ?? ''] ?? null,
    standard_account_id: a.saftCode ?? null,
    grouping_category: null,
    grouping_code: a.groupingCode ?? null,
    default_vat_code: a.vatType?.number ?? null,
    is_active: !a.isInactive,
    extra: { tripletex_id: a.id },
  };
}

export function journalRow(t: { id: number; name: string }): JournalRow {
  return { journal_id: String(t.id), name: t.name, journal_type: 'tripletex:voucher_type', extra: null };
}

export function taxCodeRow(v: { number?: string | null; name?: string | null; percentage?: number | null }): TaxCodeRow | null {
  if (!v.number) return null;
  return { tax_code: v.number, description: v.name ?? null, rate: v.percentage == null ? null : String(v.percentage), standard_tax_code: v.number };
}

export function departmentRow(d: { departmentNumber?: string | null; name?: string | null; isInactive?: boolean | null }): DimensionRow | null {
  if (!d.departmentNumber) return null;
  return { dimension_type: 'department', dimension_id: d.departmentNumber, name: d.name ?? d.departmentNumber, is_active: !d.isInactive };
}

export function projectRow(p: { number?: string | null; name?: string | null; isClosed?: boolean | null }): DimensionRow | null {
  if (!p.number) return null;
  return { dimension_type: 'project', dimension_id: p.number, name: p.name ?? p.number, is_active: !p.isClosed };
}

export function partyRow(
  type: 'customer' | 'supplier',
  p: { id: number; customerNumber?: number | null; supplierNumber?: number | null; name?: string | null; organizationNumber?: string | null },
): PartyRow | null {
  const number = type === 'customer' ? p.customerNumber : p.supplierNumber;
  if (number == null) return null;
  return { party_type: type, party_id: String(number), name: p.name ?? String(number), org_number: p.organizationNumber || null, country: null, extra: { tripletex_id: p.id } };
}

/** Fiscal years from `/ledger/annualAccount`, closed when every accounting period in them is. */
/** The company's fiscal years, each with its annualAccount id: what Tripletex calls the year. */
export function fiscalYearRows(years: { id: number; year: number; start: string; end: string }[], periods: TxPeriod[]): SourceFiscalYear[] {
  return years
    .map((y) => {
      if (!isDate(y.start) || !isDate(y.end)) throw new TripletexDataError(`ledger/annualAccount: fiscal year ${y.year} has the dates "${y.start}"–"${y.end}", which are not YYYY-MM-DD dates.`);
      const start = y.start;
      const end = inclusiveEnd(y.end);
      const inside = periods.filter((p) => p.start >= start && p.start <= end);
      return { start_date: start, end_date: end, label: String(y.year), is_closed: inside.length > 0 && inside.every((p) => p.isClosed === true), source_year_ref: String(y.id) };
    })
    .sort((a, b) => a.start_date.localeCompare(b.start_date));
}

const isDate = (text: unknown): text is string => typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text);

/**
 * Tripletex does not say whether `end` is inclusive. A year or period ends on a month's last
 * day, so an end on the 1st is the exclusive form.
 */
export function inclusiveEnd(end: string): string {
  return end.endsWith('-01') ? addDays(end, -1) : end;
}

export function voucher(v: TxVoucher, baseCurrency: string): Voucher {
  const where = `voucher ${v.year ?? ''} ${v.number ?? v.tempNumber ?? v.id} (id ${v.id})`;
  const postings = [...(v.postings ?? [])].sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || a.id - b.id);
  return {
    journal_id: v.voucherType?.id == null ? 'none' : String(v.voucherType.id),
    voucher_number: String(v.number ?? v.tempNumber ?? v.id),
    voucher_date: v.date,
    posting_date: null,
    description: v.description || null,
    source_modified_at: null,
    extra: { tripletex_id: v.id },
    lines: postings.map((p) => ledgerLine(p, baseCurrency, where)),
  };
}

function ledgerLine(p: TxPosting, baseCurrency: string, where: string): LedgerLine {
  const account = p.account?.number;
  if (account == null) throw new TripletexDataError(`${where}: posting ${p.id} has no account (the token may lack access to it).`);
  const currency = p.currency?.code && p.currency.code !== baseCurrency ? p.currency.code : null;
  const dimensions: LineDimension[] = [];
  if (p.department?.departmentNumber) dimensions.push({ dimension_type: 'department', dimension_id: p.department.departmentNumber });
  if (p.project?.number) dimensions.push({ dimension_type: 'project', dimension_id: p.project.number });
  const customer = p.customer?.customerNumber;
  const supplier = p.supplier?.supplierNumber;
  return {
    account_id: String(account),
    amount: money(p.amount, `${where}, posting ${p.id}, amount`),
    currency,
    currency_amount: currency === null || p.amountCurrency == null ? null : money(p.amountCurrency, `${where}, posting ${p.id}, amountCurrency`),
    vat_code: p.vatType?.number ?? null,
    description: p.description || null,
    party_type: customer != null ? 'customer' : supplier != null ? 'supplier' : null,
    party_id: customer != null ? String(customer) : supplier != null ? String(supplier) : null,
    dimensions,
    extra: { tripletex_id: p.id },
  };
}

export function money(value: unknown, where: string): Money {
  const minor = moneyFromJsonNumber(value);
  if (minor === null) throw new TripletexDataError(`${where} is ${JSON.stringify(value)}, not an amount with at most two decimals.`);
  return minor;
}
