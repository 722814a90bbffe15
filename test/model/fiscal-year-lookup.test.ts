import { describe, expect, it } from 'vitest';
import { findFiscalYear } from '../../model/index.ts';

const calendar = [
  { start_date: '2023-01-01', end_date: '2023-12-31', label: '2023' },
  { start_date: '2024-01-01', end_date: '2024-12-31', label: '2024' },
  { start_date: '2025-01-01', end_date: '2025-12-31', label: '2025' },
];
const broken = [
  { start_date: '2023-07-01', end_date: '2024-06-30', label: '2023/2024' },
  { start_date: '2024-07-01', end_date: '2025-06-30', label: '2024/2025' },
];

describe('find the fiscal year asked for', () => {
  it('finds a year by its exact label or start date', () => {
    expect(findFiscalYear(calendar, '2024').year?.label).toBe('2024');
    expect(findFiscalYear(broken, '2024/2025').year?.label).toBe('2024/2025');
    expect(findFiscalYear(broken, '2024-07-01').year?.label).toBe('2024/2025');
  });

  it('takes a four-digit year as the year a year starts in, else the one it ends in', () => {
    expect(findFiscalYear(broken, '2024').year?.label).toBe('2024/2025');
    expect(findFiscalYear(broken, '2023').year?.label).toBe('2023/2024');
    expect(findFiscalYear(broken, '2025').year?.label).toBe('2024/2025');
  });

  it('matches no year by a prefix, and says which years there are', () => {
    for (const wanted of ['20', '202', '2024-07', '2024/25', '24']) {
      const found = findFiscalYear(broken, wanted);
      expect(found.year).toBeUndefined();
      expect(found.why).toBe(`has no fiscal year ${wanted}; it has 2023/2024, 2024/2025. Give a year's label, or the four-digit year it starts or ends in.`);
    }
    expect(findFiscalYear([], '2024').why).toBe('has no fiscal years yet, so none matches 2024; import or sync it first.');
  });

  it('names an ambiguity instead of guessing', () => {
    const shortFirst = [
      { start_date: '2024-01-01', end_date: '2024-06-30', label: '2024a' },
      { start_date: '2024-07-01', end_date: '2025-06-30', label: '2024/2025' },
    ];
    expect(findFiscalYear(shortFirst, '2024').why).toBe('has more than one fiscal year matching 2024 (2024a, 2024/2025); give the label of the one you mean.');
    expect(findFiscalYear(shortFirst, '2024a').year?.start_date).toBe('2024-01-01');
  });
});
