// Public shapes of the generator: its options and what it returns, the ledger and its truth.
import type { Country, FiscalYearRow, IsoDate, LedgerExport, Money, OrganizationInfo } from '../model/index.ts';

export interface GenerateCompanyOptions {
  seed: number;
  country: Country;
  linesPerYear: number;
  /** Number of fiscal years, default 3. */
  years?: number;
  /** Calendar year in which the first fiscal year starts; default `currentYear - 2`. */
  firstFiscalYear?: number;
  /** "Today's" year, so defaults do not depend on the clock; default the clock's year. */
  currentYear?: number;
  /** 1–12, default 1 (calendar years); e.g. 7 gives July–June years. */
  fiscalYearStartMonth?: number;
}

export interface FiscalYearTruth {
  fiscal_year: FiscalYearRow;
  /** Balance per account at the first day (every chart account, zero included). */
  opening: Map<string, Money>;
  /** Balance per account after the last day, year-end voucher included. */
  closing: Map<string, Money>;
  /** account → 'YYYY-MM' → net movement; only non-zero cells. */
  movements: Map<string, Map<string, Money>>;
  voucherCount: number;
  lineCount: number;
  /** Sum of positive line amounts. */
  totalDebit: Money;
  /** Sum of negative line amounts, as a positive number. */
  totalCredit: Money;
  /** The year's profit (positive) or loss (negative), before the year-end transfer. */
  result: Money;
}

export interface CompanyTruth {
  years: FiscalYearTruth[];
  /** The year starting on `fiscalYearStart` (`YYYY-MM-DD`); throws for an unknown year. */
  year(fiscalYearStart: IsoDate): FiscalYearTruth;
  movements(fiscalYearStart: IsoDate): Map<string, Map<string, Money>>;
}

export interface GeneratedCompany {
  organization: OrganizationInfo;
  /** Oldest first. */
  fiscalYears: LedgerExport[];
  truth: CompanyTruth;
}
