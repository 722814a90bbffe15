import { describe, expect, it } from 'vitest';
import { monthWindows } from '../../../extract/tripletex/tripletex-streams.ts';

describe('monthWindows', () => {
  it('covers a calendar year in twelve [first day, first day of the next month) windows', () => {
    const windows = monthWindows({ start_date: '2025-01-01', end_date: '2025-12-31', label: '2025', is_closed: false });
    expect(windows).toHaveLength(12);
    expect(windows[0]).toEqual(['2025-01-01', '2025-02-01']);
    expect(windows[1]).toEqual(['2025-02-01', '2025-03-01']);
    expect(windows[11]).toEqual(['2025-12-01', '2026-01-01']);
  });

  it('starts a short or shifted year on its own first day and ends the day after its last', () => {
    expect(monthWindows({ start_date: '2024-05-15', end_date: '2024-07-31', label: '2024', is_closed: true })).toEqual([
      ['2024-05-15', '2024-06-01'],
      ['2024-06-01', '2024-07-01'],
      ['2024-07-01', '2024-08-01'],
    ]);
    expect(monthWindows({ start_date: '2024-07-01', end_date: '2025-06-30', label: '2024/2025', is_closed: false }).at(-1)).toEqual(['2025-06-01', '2025-07-01']);
  });
});
