import type { FiscalYearRow, IsoDate } from './ledger-model.ts';
import { addDays, addMonths, osloToday } from './iso-date.ts';
import { fiscalYearLabel } from './fiscal-year-label.ts';

/**
 * Finds the fiscal year of a date among the years a source or the warehouse knows; dates
 * outside them get a year of the same shape (start month) as the known ones, or a calendar
 * year when nothing is known. Years it had to invent are reported by `derived()`.
 */
export class FiscalCalendar {
  private readonly years: FiscalYearRow[];
  private readonly invented = new Map<IsoDate, FiscalYearRow>();
  private last: FiscalYearRow | undefined;

  constructor(known: readonly FiscalYearRow[], private readonly today: IsoDate = osloToday()) {
    this.years = [...known].sort((a, b) => a.start_date.localeCompare(b.start_date));
  }

  yearOf(date: IsoDate): FiscalYearRow {
    const last = this.last;
    if (last && date >= last.start_date && date <= last.end_date) return last;
    const found = this.years.find((y) => date >= y.start_date && date <= y.end_date) ?? this.invent(date);
    this.last = found;
    return found;
  }

  derived(): FiscalYearRow[] {
    return [...this.invented.values()];
  }

  private invent(date: IsoDate): FiscalYearRow {
    const startMonthDay = this.years.at(-1)?.start_date.slice(5) ?? '01-01';
    let start = `${date.slice(0, 4)}-${startMonthDay}`;
    if (start > date) start = addMonths(start, -12);
    const end = addDays(addMonths(start, 12), -1);
    const year: FiscalYearRow = { start_date: start, end_date: end, label: fiscalYearLabel(start, end), is_closed: end < this.today };
    this.years.push(year);
    this.years.sort((a, b) => a.start_date.localeCompare(b.start_date));
    this.invented.set(start, year);
    return year;
  }
}
