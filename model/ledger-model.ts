// The in-memory shape of a general ledger as file readers produce it and file writers
// consume it. Field names are the unified schema's column names (see ARCHITECTURE.md), so a
// row maps onto its warehouse table without renaming.
//
// Money is always `bigint` minor units (øre, öre, cent): scale 2, signed, debit positive.

export type Money = bigint;
/** `YYYY-MM-DD` */
export type IsoDate = string;

export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense';
export type PartyType = 'customer' | 'supplier';
export type Country = 'NO' | 'SE' | 'FI';

/** Where in a source something came from, for error messages a person can act on. */
export interface SourceLocation {
  file: string;
  line?: number;
  /** e.g. `GeneralLedgerEntries/Journal[GL]/Transaction[17]/Line[2]/DebitAmount` */
  path?: string;
}

export interface OrganizationInfo {
  name: string;
  country: Country | null;
  org_number: string | null;
  base_currency: string;
  /** The source system's own id for the company (SAF-T RegistrationNumber, SIE #FNR, …). */
  source_company_ref: string | null;
}

export interface FiscalYearRow {
  start_date: IsoDate;
  end_date: IsoDate;
  label: string;
  is_closed: boolean;
}

export interface AccountRow {
  account_id: string;
  name: string;
  account_type: AccountType | null;
  standard_account_id: string | null;
  grouping_category: string | null;
  grouping_code: string | null;
  default_vat_code: string | null;
  is_active: boolean;
  /** Source elements the unified schema has no column for (SIE #SRU codes, SAF-T extras). */
  extra: Record<string, unknown> | null;
}

export interface JournalRow {
  journal_id: string;
  name: string;
  /** e.g. `saft:GL`, `sie:series`, `voucher_type` */
  journal_type: string;
  /** Source elements the unified schema has no column for. */
  extra: Record<string, unknown> | null;
}

/**
 * `dimension_type` is normalised: `department`, `project`, `cost_center` where the source
 * says so (SIE dim 1 = cost_center, dim 6 = project; SAF-T by AnalysisTypeDescription),
 * otherwise a source-specific type such as `sie:8` or `saft:K`.
 */
export interface DimensionRow {
  dimension_type: string;
  dimension_id: string;
  name: string;
  is_active: boolean;
}

export interface PartyRow {
  party_type: PartyType;
  party_id: string;
  name: string;
  org_number: string | null;
  country: string | null;
  extra: Record<string, unknown> | null;
}

export interface TaxCodeRow {
  tax_code: string;
  description: string | null;
  /** Percentage as a decimal string, e.g. `25` or `12.5`. */
  rate: string | null;
  standard_tax_code: string | null;
}

export interface LineDimension {
  dimension_type: string;
  dimension_id: string;
}

export interface LedgerLine {
  account_id: string;
  amount: Money;
  /** Foreign currency of the line, when it has one; `null` means the base currency. */
  currency: string | null;
  currency_amount: Money | null;
  vat_code: string | null;
  description: string | null;
  party_type: PartyType | null;
  party_id: string | null;
  dimensions: LineDimension[];
  extra: Record<string, unknown> | null;
}

export interface Voucher {
  /** Voucher series, SAF-T JournalID, or the provider's voucher type. */
  journal_id: string;
  voucher_number: string;
  voucher_date: IsoDate;
  posting_date: IsoDate | null;
  description: string | null;
  /** ISO timestamp of the source's last change, when it has one. */
  source_modified_at: string | null;
  extra: Record<string, unknown> | null;
  lines: LedgerLine[];
}

/**
 * `prior_*`: a comparison year's figures as the file states them (SIE #IB -1, #UB -1, #RES -1,
 * #PSALDO -1), kept with the file's own fiscal year so they never replace that year's data.
 */
export type BalanceType = 'opening' | 'closing' | 'period_movement' | 'prior_opening' | 'prior_closing' | 'prior_period_movement';

/** A balance stated by the source (SAF-T account balances, SIE #IB/#UB/#RES/#PSALDO/#OIB/#OUB). */
export interface SourceBalance {
  account_id: string;
  balance_type: BalanceType;
  /** opening: first day it applies; closing: last day; period_movement: first day of the month. */
  as_of: IsoDate;
  dimension_type: string | null;
  dimension_id: string | null;
  amount: Money;
}

export interface BudgetRow {
  account_id: string;
  /** First day of the month. */
  month: IsoDate;
  dimension_type: string | null;
  dimension_id: string | null;
  amount: Money;
}

/**
 * A file behind a voucher (receipt, supplier or customer invoice), already stored in the
 * warehouse's document folder when the event is yielded: the row only lists it.
 */
export interface DocumentRow {
  /** The source's own id for the document, stable across runs (e.g. `voucher:<file id>`). */
  document_id: string;
  /** The voucher it belongs to, by series and number within `fiscal_year_start`'s year; null when none. */
  voucher: { journal_id: string; voucher_number: string } | null;
  /** The fiscal year it is kept (and removed) with: its voucher's. */
  fiscal_year_start: IsoDate;
  /** The name the source gives it: metadata only, never a path. */
  file_name: string | null;
  content_type: string | null;
  byte_size: number;
  sha256: string;
  /** Where its bytes are, relative to the warehouse file's folder. */
  stored_path: string;
}

export interface ImportIssue {
  severity: 'error' | 'warning';
  /** Stable machine code, e.g. `unbalanced_voucher`, `closing_mismatch`. */
  code: string;
  /** One sentence naming the file, place and problem, and what to do where it helps. */
  message: string;
  location: SourceLocation;
}

/** The accounting systems ledgerhouse reads over their APIs. */
export type Provider = 'tripletex' | 'fiken' | 'fortnox' | 'fennoa';

/** What a ledger came from: a statutory file format or a provider's API. */
export interface FileHeader {
  format: 'saft' | 'sie' | Provider;
  /** Detected layout, e.g. `saft-1.30`, `saft-1.20`, `sie-4E`, `sie-4I`, `sie-1`. */
  format_version: string;
  /** What the file itself claims (SAF-T AuditFileVersion, SIE #SIETYP), kept raw. */
  declared_version: string | null;
  /** SIE: the text encoding that was used to decode the file. */
  encoding: string | null;
  software: string | null;
  organization: OrganizationInfo;
  selection_start: IsoDate | null;
  selection_end: IsoDate | null;
  /** Fiscal years the file states (SIE #RAR, year 0 first); empty when it states none (SAF-T). */
  fiscal_years: FiscalYearRow[];
  /** The rest of the header (addresses, contacts, unknown elements), kept with the organization. */
  extra: Record<string, unknown> | null;
}

/** What a file reader yields, in this order: header, master data, then vouchers and balances. */
export type LedgerEvent =
  | { kind: 'header'; header: FileHeader; location: SourceLocation }
  | { kind: 'account'; row: AccountRow; location: SourceLocation }
  | { kind: 'journal'; row: JournalRow; location: SourceLocation }
  | { kind: 'dimension'; row: DimensionRow; location: SourceLocation }
  | { kind: 'party'; row: PartyRow; location: SourceLocation }
  | { kind: 'tax_code'; row: TaxCodeRow; location: SourceLocation }
  | { kind: 'voucher'; voucher: Voucher; location: SourceLocation }
  | { kind: 'balance'; row: SourceBalance; location: SourceLocation }
  | { kind: 'budget'; row: BudgetRow; location: SourceLocation }
  | { kind: 'document'; row: DocumentRow; location: SourceLocation }
  | {
      kind: 'control_totals';
      number_of_entries: number;
      total_debit: Money;
      total_credit: Money;
      location: SourceLocation;
    }
  | { kind: 'issue'; issue: ImportIssue };

/** One fiscal year of one organization, as a file writer consumes it. */
export interface LedgerExport {
  organization: OrganizationInfo;
  fiscal_year: FiscalYearRow;
  /** Accounts with their balances at the fiscal year's first and last day (signed). */
  accounts: (AccountRow & { opening: Money; closing: Money })[];
  journals: JournalRow[];
  dimensions: DimensionRow[];
  parties: PartyRow[];
  tax_codes: TaxCodeRow[];
  budget: BudgetRow[];
  totals: { entries: number; debit: Money; credit: Money };
  /** May be called more than once; each call streams every voucher again, in order. */
  vouchers(): AsyncIterable<Voucher>;
}
