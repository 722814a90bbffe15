import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, epochDay, fiscalYearLabel, FiscalCalendar, isoOf } from '../../model/index.ts';

describe('fiscal year label', () => {
  it('names a calendar year by its year and a broken year by both', () => {
    expect(fiscalYearLabel('2025-01-01', '2025-12-31')).toBe('2025');
    expect(fiscalYearLabel('2024-07-01', '2025-06-30')).toBe('2024/2025');
    expect(fiscalYearLabel('2024-03-01', '2024-12-31')).toBe('2024');
  });

  it('is the label the fiscal calendar gives the years it invents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: epochDay(2000, 1, 1), max: epochDay(2040, 1, 1) }), (startMonth, d) => {
        const start = `2020-${String(startMonth).padStart(2, '0')}-01`;
        const end = addDays(addMonths(start, 12), -1);
        const year = new FiscalCalendar([{ start_date: start, end_date: end, label: fiscalYearLabel(start, end), is_closed: true }], '2020-01-01').yearOf(isoOf(d));
        expect(year.label).toBe(fiscalYearLabel(year.start_date, year.end_date));
        expect(year.label).toBe(startMonth === 1 ? year.start_date.slice(0, 4) : `${year.start_date.slice(0, 4)}/${year.end_date.slice(0, 4)}`);
      }),
    );
  });
});
