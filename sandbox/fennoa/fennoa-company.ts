// A generated Finnish company as the Fennoa simulator serves it: accounting periods (its
// fiscal years), the chart, VAT handling codes with numeric ids, two dimension types
// (department, project) and their values, and every voucher as a statement of its series,
// numbered per series and period in date order.
import type { Voucher } from '../../model/index.ts';
import type { GeneratedCompany } from '../generated-company.ts';
import { PROFILES } from '../profiles.ts';

export interface PeriodRec {
  id: number;
  start: string;
  end: string;
  closed: boolean;
}

export interface AccountRec {
  code: string;
  name: string;
  active: boolean;
  /** Income statement: its balance starts every period at zero. */
  pnl: boolean;
}

export interface VatRec {
  id: number;
  code: string;
  name: string;
  percentage: number | null;
}

export interface DimensionTypeRec {
  id: number;
  name_fi: string;
  name_en: string;
  name_sv: string;
  /** The generator's dimension type it carries. */
  generated: string;
}

export interface DimensionRec {
  id: number;
  typeId: number;
  code: string;
  name: string;
  active: boolean;
}

export interface StatementRow {
  account: string;
  /** Signed cents, debit positive; served as positive `debit` or `credit`. */
  amount: bigint;
  vatId: number | null;
  description: string | null;
  /** Dimension type id → code. */
  dims: [number, string][];
}

export interface Statement {
  id: number;
  period: number;
  series: string;
  no: number;
  date: string;
  description: string | null;
  rows: StatementRow[];
}

/** Series ids as Fennoa numbers them (notes §2.2); other codes get ids from 100. */
const SERIES_IDS: Record<string, number> = { GL: 1, IN: 2, PU: 3, PJ: 5, CA: 16, TI: 40 };

export class FennoaCompany {
  readonly periods: PeriodRec[] = [];
  readonly accounts: AccountRec[] = [];
  readonly vatCodes: VatRec[] = [];
  readonly dimensionTypes: DimensionTypeRec[] = [
    { id: 1, name_fi: 'Osasto', name_en: 'Department', name_sv: 'Avdelning', generated: 'department' },
    { id: 2, name_fi: 'Projekti', name_en: 'Project', name_sv: 'Projekt', generated: 'project' },
  ];
  readonly dimensions: DimensionRec[] = [];
  /** Sorted by date, then id; re-sorted after every change. */
  statements: Statement[] = [];
  readonly seriesIds = new Map<string, number>(Object.entries(SERIES_IDS));
  /** Opening balance of the first period, per account code. */
  readonly firstOpening = new Map<string, bigint>();
  nextStatementId = 1201;
  /** Bumped by every change (seeds the next one). */
  revision = 0;
  /** Row offsets of `statements` (rowStart[i] = rows before statement i); rebuilt after a change. */
  private rowStart: number[] = [];

  private constructor(
    readonly name: string,
    readonly businessId: string | null,
  ) {}

  static async build(source: GeneratedCompany): Promise<FennoaCompany> {
    const org = source.organization;
    if (org.country !== 'FI' || org.base_currency !== 'EUR') {
      throw new RangeError(`Fennoa simulator: ${org.name} is ${org.country ?? 'no country'}/${org.base_currency}; Fennoa keeps Finnish books in EUR (generate with country 'FI')`);
    }
    const c = new FennoaCompany(org.name, org.org_number);
    const vatIds = new Map<string, number>();
    const dimIds = new Map<string, number>();
    for (const [i, fy] of source.fiscalYears.entries()) {
      c.periods.push({ id: 301 + i, start: fy.fiscal_year.start_date, end: fy.fiscal_year.end_date, closed: fy.fiscal_year.is_closed });
      for (const a of fy.accounts) {
        if (c.accounts.some((x) => x.code === a.account_id)) continue;
        c.accounts.push({ code: a.account_id, name: a.name, active: a.is_active, pnl: a.account_type === 'income' || a.account_type === 'expense' });
        if (i === 0) c.firstOpening.set(a.account_id, a.opening);
      }
      for (const t of fy.tax_codes) {
        if (vatIds.has(t.tax_code)) continue;
        const id = 11 + vatIds.size;
        vatIds.set(t.tax_code, id);
        c.vatCodes.push({ id, code: t.tax_code, name: t.description ?? t.tax_code, percentage: t.rate === null ? null : Number(t.rate) });
      }
      for (const d of fy.dimensions) {
        const type = c.dimensionTypes.find((t) => t.generated === d.dimension_type);
        if (!type || dimIds.has(`${type.id}:${d.dimension_id}`)) continue;
        const id = 100 + c.dimensions.length;
        dimIds.set(`${type.id}:${d.dimension_id}`, id);
        c.dimensions.push({ id, typeId: type.id, code: d.dimension_id, name: d.name, active: d.is_active });
      }
    }
    c.accounts.sort((a, b) => a.code.localeCompare(b.code));
    for (const [i, fy] of source.fiscalYears.entries()) {
      const vouchers: Voucher[] = [];
      for await (const v of fy.vouchers()) vouchers.push(v);
      // Entered in date order (stable for one day) and numbered so, per series.
      const order = vouchers.map((_, k) => k).sort((a, b) => vouchers[a]!.voucher_date.localeCompare(vouchers[b]!.voucher_date) || a - b);
      const numbers = new Map<string, number>();
      for (const k of order) {
        const v = vouchers[k]!;
        const no = (numbers.get(v.journal_id) ?? 0) + 1;
        numbers.set(v.journal_id, no);
        if (!c.seriesIds.has(v.journal_id)) c.seriesIds.set(v.journal_id, 100 + c.seriesIds.size);
        c.statements.push({
          id: c.nextStatementId++,
          period: c.periods[i]!.id,
          series: v.journal_id,
          no,
          date: v.voucher_date,
          description: v.description,
          rows: v.lines.map((l) => ({
            account: l.account_id,
            amount: l.amount,
            vatId: l.vat_code === null ? null : (vatIds.get(l.vat_code) ?? null),
            description: l.description,
            dims: l.dimensions.flatMap((d): [number, string][] => {
              const type = c.dimensionTypes.find((t) => t.generated === d.dimension_type);
              return type ? [[type.id, d.dimension_id]] : [];
            }),
          })),
        });
      }
    }
    c.reindex();
    return c;
  }

  /** After a change: statements back in date order, row offsets rebuilt. */
  reindex(): void {
    this.statements.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    this.rowStart = new Array<number>(this.statements.length + 1);
    let n = 0;
    for (let i = 0; i < this.statements.length; i++) {
      this.rowStart[i] = n;
      n += this.statements[i]!.rows.length;
    }
    this.rowStart[this.statements.length] = n;
    this.revision++;
  }

  /** Statements dated within [from, to], as indexes [first, end). */
  statementRange(from: string, to: string): [number, number] {
    return [this.firstDated(from, false), this.firstDated(to, true)];
  }

  /** Rows before statement `i` (`i` may be one past the end). */
  rowsBefore(i: number): number {
    return this.rowStart[i]!;
  }

  /** The statement holding row `r` (an offset into all rows), by binary search. */
  statementOfRow(r: number): number {
    let lo = 0;
    let hi = this.statements.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rowStart[mid]! <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  period(id: number): PeriodRec | undefined {
    return this.periods.find((p) => p.id === id);
  }

  /**
   * Opening balance per account of each period: the first as generated, then the previous
   * closing, income statement accounts at zero and the year's result moved to retained earnings.
   */
  openings(): Map<number, Map<string, bigint>> {
    const pnl = new Set(this.accounts.filter((a) => a.pnl).map((a) => a.code));
    const out = new Map<number, Map<string, bigint>>();
    let opening = new Map(this.accounts.map((a) => [a.code, this.firstOpening.get(a.code) ?? 0n]));
    for (const p of this.periods) {
      out.set(p.id, opening);
      const next = new Map(opening);
      for (const s of this.statements) if (s.period === p.id) for (const r of s.rows) next.set(r.account, (next.get(r.account) ?? 0n) + r.amount);
      for (const code of pnl) next.set(code, 0n);
      // The year's result (Tilikauden voitto) opens the next period as retained earnings.
      const { retainedEarnings, yearResultEquity } = PROFILES.FI.roles;
      if (retainedEarnings !== yearResultEquity) {
        next.set(retainedEarnings, (next.get(retainedEarnings) ?? 0n) + (next.get(yearResultEquity) ?? 0n));
        next.set(yearResultEquity, 0n);
      }
      opening = next;
    }
    return out;
  }

  /** First statement dated on or after `date` (after it, when `after`). */
  private firstDated(date: string, after: boolean): number {
    let lo = 0;
    let hi = this.statements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = this.statements[mid]!.date;
      if (after ? d <= date : d < date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
