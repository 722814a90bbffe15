import { describe, expect, it } from 'vitest';
import { FiscalCalendar } from '../../model/index.ts';

describe('fiscal calendar', () => {
  it('uses the years it knows and assumes calendar years when it knows none', () => {
    const calendar = new FiscalCalendar([{ start_date: '2024-01-01', end_date: '2024-12-31', label: '2024', is_closed: false }], '2026-06-01');
    expect(calendar.yearOf('2024-07-31').label).toBe('2024');
    expect(calendar.yearOf('2025-02-28')).toEqual({ start_date: '2025-01-01', end_date: '2025-12-31', label: '2025', is_closed: true });
    expect(calendar.yearOf('2026-03-01').is_closed).toBe(false);
    expect(calendar.yearOf('2023-12-31')).toEqual({ start_date: '2023-01-01', end_date: '2023-12-31', label: '2023', is_closed: true });
    expect(calendar.derived().map((y) => y.label).sort()).toEqual(['2023', '2025', '2026']);
  });

  it('gives dates outside the known years a year of the same shape (July to June)', () => {
    const calendar = new FiscalCalendar([{ start_date: '2024-07-01', end_date: '2025-06-30', label: '2024/2025', is_closed: false }], '2026-01-01');
    expect(calendar.yearOf('2025-07-01')).toEqual({ start_date: '2025-07-01', end_date: '2026-06-30', label: '2025/2026', is_closed: false });
    expect(calendar.yearOf('2024-06-30')).toEqual({ start_date: '2023-07-01', end_date: '2024-06-30', label: '2023/2024', is_closed: true });
    expect(calendar.yearOf('2024-02-29').start_date).toBe('2023-07-01');
  });
});
