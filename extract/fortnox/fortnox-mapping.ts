// Fortnox objects (PascalCase, as the spec names them) → the ledger model. A voucher read as
// JSON must come out exactly as the SIE reader makes the same voucher from Fortnox's SIE
// export (same series, number, texts, dimensions, struck rows): the warehouse compares them by
// content, and a voucher fetched alone between two exports must not look changed.
import { fiscalYearLabel, formatMoney, moneyFromJsonNumber, type AccountRow, type DimensionRow, type IsoDate, type JournalRow, type LedgerLine, type LineDimension, type Money, type PartyRow, type Voucher } from '../../model/index.ts';
import type { SourceFiscalYear } from '../source.ts';

export interface FxFinancialYear {
  Id: number;
  FromDate: string;
  ToDate: string;
  AccountChartType?: string | null;
  AccountingMethod?: string | null;
}

export interface FxCompanyInformation {
  CompanyName: string;
  OrganizationNumber?: string | null;
  DatabaseNumber?: number | string | null;
  CountryCode?: string | null;
}

export interface FxVoucherRow {
  Account: number | string;
  Debit?: number | null;
  Credit?: number | null;
  Description?: string | null;
  TransactionInformation?: string | null;
  CostCenter?: string | null;
  Project?: string | null;
  Quantity?: number | null;
  Removed?: boolean | null;
}

export interface FxVoucher {
  VoucherSeries: string;
  VoucherNumber: number | string;
  Year: number | string;
  TransactionDate: string;
  Description?: string | null;
  ReferenceType?: string | null;
  ReferenceNumber?: string | null;
  CostCenter?: string | null;
  Project?: string | null;
  VoucherRows?: FxVoucherRow[] | null;
}

export interface FxVoucherListItem {
  VoucherSeries: string;
  VoucherNumber: number | string;
  Year: number | string;
  TransactionDate?: string | null;
}

export interface FxAccount {
  Number: number | string;
  Description: string;
  Active?: boolean | null;
  SRU?: number | string | null;
  VATCode?: string | null;
}

/** A mapping problem: the message names the object. */
export class FortnoxDataError extends Error {
  override readonly name = 'FortnoxDataError';
}

/** Financial years oldest first; one that has ended is closed. Fortnox's `Id` is its own id for the year. */
export function fiscalYears(years: FxFinancialYear[], today: IsoDate): SourceFiscalYear[] {
  return years
    .map((y) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(y.FromDate) || !/^\d{4}-\d{2}-\d{2}$/.test(y.ToDate)) throw new FortnoxDataError(`financial year ${y.Id} has the dates "${y.FromDate}" to "${y.ToDate}", not YYYY-MM-DD.`);
      return { start_date: y.FromDate, end_date: y.ToDate, label: fiscalYearLabel(y.FromDate, y.ToDate), is_closed: y.ToDate < today, source_year_ref: String(y.Id) };
    })
    .sort((a, b) => a.start_date.localeCompare(b.start_date));
}

/** `Debit − Credit` in öre: the sign SIE and the warehouse use (debit positive). */
function rowAmount(r: FxVoucherRow, where: string): Money {
  const debit = moneyFromJsonNumber(r.Debit ?? 0);
  const credit = moneyFromJsonNumber(r.Credit ?? 0);
  if (debit === null || credit === null) throw new FortnoxDataError(`${where}: Debit ${JSON.stringify(r.Debit)} / Credit ${JSON.stringify(r.Credit)} is not an amount with at most two decimals.`);
  return debit - credit;
}

/** Cost centre and project, as the SIE export's object list {1 "cc" 6 "proj"} gives them. */
function rowDimensions(r: FxVoucherRow): LineDimension[] {
  const dims: LineDimension[] = [];
  if (r.CostCenter) dims.push({ dimension_type: 'cost_center', dimension_id: r.CostCenter });
  if (r.Project) dims.push({ dimension_type: 'project', dimension_id: r.Project });
  return dims;
}

/** The row's text as the export writes it in `#TRANS` (its transtext). */
function rowText(r: FxVoucherRow): string {
  return r.TransactionInformation || r.Description || '';
}

/**
 * One voucher with its rows. Struck rows (`Removed`) are the export's `#BTRANS`: kept in the
 * voucher's history, out of the lines and every balance.
 */
export function voucher(v: FxVoucher): Voucher {
  const where = `voucher ${v.VoucherSeries} ${v.VoucherNumber} (financial year ${v.Year})`;
  const text = v.Description ?? '';
  const lines: LedgerLine[] = [];
  const history: Record<string, unknown>[] = [];
  for (const [i, r] of (v.VoucherRows ?? []).entries()) {
    const account = String(r.Account ?? '');
    if (!account) throw new FortnoxDataError(`${where}, row ${i + 1} has no account.`);
    const amount = rowAmount(r, `${where}, row ${i + 1}`);
    const own = rowText(r);
    const dimensions = rowDimensions(r);
    if (r.Removed) {
      history.push({ record: '#BTRANS', account_id: account, amount: formatMoney(amount), dimensions, description: own || null });
      continue;
    }
    lines.push({
      account_id: account,
      amount,
      currency: null,
      currency_amount: null,
      vat_code: null,
      // As the SIE reader: a row without its own text takes the voucher's.
      description: own !== '' ? own : text !== '' ? text : null,
      party_type: null,
      party_id: null,
      dimensions,
      extra: null,
    });
  }
  return {
    journal_id: v.VoucherSeries,
    voucher_number: String(v.VoucherNumber),
    voucher_date: v.TransactionDate,
    posting_date: null,
    description: text !== '' ? text : null,
    source_modified_at: null,
    extra: history.length ? { history } : null,
    lines,
  };
}

export function accountRow(a: FxAccount): AccountRow {
  const sru = a.SRU === null || a.SRU === undefined || a.SRU === '' || a.SRU === 0 ? null : String(a.SRU);
  return {
    account_id: String(a.Number),
    name: a.Description,
    account_type: null, // by the BAS chart, in the transform
    standard_account_id: null,
    grouping_category: null,
    grouping_code: null,
    default_vat_code: a.VATCode || null,
    is_active: a.Active !== false,
    extra: sru ? { sru: [sru] } : null,
  };
}

export function journalRow(s: { Code: string; Description?: string | null; Manual?: boolean | null }): JournalRow {
  return { journal_id: s.Code, name: s.Description || s.Code, journal_type: 'fortnox:series', extra: s.Manual === undefined || s.Manual === null ? null : { manual: s.Manual } };
}

export function costCenterRow(c: { Code: string; Description?: string | null; Active?: boolean | null }): DimensionRow {
  return { dimension_type: 'cost_center', dimension_id: c.Code, name: c.Description || c.Code, is_active: c.Active !== false };
}

export function projectRow(p: { ProjectNumber: string | number; Description?: string | null; Status?: string | null }): DimensionRow {
  return { dimension_type: 'project', dimension_id: String(p.ProjectNumber), name: p.Description || String(p.ProjectNumber), is_active: p.Status !== 'COMPLETED' };
}

export function partyRow(type: 'customer' | 'supplier', p: { CustomerNumber?: string | null; SupplierNumber?: string | null; Name: string; OrganisationNumber?: string | null; CountryCode?: string | null }): PartyRow | null {
  const id = type === 'customer' ? p.CustomerNumber : p.SupplierNumber;
  if (!id) return null;
  return { party_type: type, party_id: String(id), name: p.Name, org_number: p.OrganisationNumber || null, country: p.CountryCode || null, extra: null };
}
