import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VoucherIdSet } from '../../model/index.ts';

const idOf = (year: string, series: string, number: string) => `${year}/${series}/${number}`;

describe('VoucherIdSet', () => {
  it('says whether an id was seen, by number within year and series', () => {
    const set = new VoucherIdSet('/');
    expect(set.add('2025', 'A', '1')).toBe(true);
    expect(set.add('2025', 'A', '1')).toBe(false);
    expect(set.add('2025', 'B', '1')).toBe(true);
    expect(set.add('2024', 'A', '1')).toBe(true);
    expect(set.add('2025', 'A', '01')).toBe(true); // another id than "1"
    expect(set.add('2025', 'A', '01')).toBe(false);
    expect(set.add('2025', 'A', '999999999999999')).toBe(true); // the largest counted number
    expect(set.add('2025', 'A', '999999999999999')).toBe(false);
    expect(set.add('2025', 'A', '9999999999999999')).toBe(true); // beyond it: kept as text
    expect(set.add('2025', 'A', '65536')).toBe(true); // the first bit of a page
    expect(set.add('2025', 'A', '65535')).toBe(true);
    expect(set.add('2025', 'A', '65536')).toBe(false);
  });

  it('keeps numbers far apart, each on its own page', () => {
    const set = new VoucherIdSet('/');
    const numbers = Array.from({ length: 5000 }, (_, i) => String(i * 7_919_993 + 1));
    expect(numbers.every((n) => set.add('2025', 'A', n))).toBe(true);
    expect(numbers.some((n) => set.add('2025', 'A', n))).toBe(false);
    expect(set.add('2025', 'A', '2')).toBe(true);
  });

  it('treats ids that read alike across a "/" as one, as the warehouse would', () => {
    const set = new VoucherIdSet('/');
    expect(set.add('2025', 'a/b', '5')).toBe(true);
    expect(set.add('2025', 'a', 'b/5')).toBe(false);
  });

  it('agrees with a set of the id strings on any sequence of vouchers', () => {
    const part = fc.oneof(fc.constantFrom('A', 'B', 'a/b', '1', '0', '01', '/'), fc.stringMatching(/^[0-9ab/]{0,4}$/));
    const number = fc.oneof(fc.nat(200_000).map(String), part);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('2024', '2025'), part, number), { maxLength: 300 }), (vouchers) => {
        const set = new VoucherIdSet('/');
        const strings = new Set<string>();
        for (const [year, series, n] of vouchers) {
          const id = idOf(year, series, n);
          const isNew = !strings.has(id);
          strings.add(id);
          if (set.add(year, series, n) !== isNew) return false;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });
});
