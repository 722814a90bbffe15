import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dayOf,
  dayOfTrusted,
  daysInMonth,
  epochDay,
  FixedClock,
  isCalendarDay,
  isIsoDate,
  isoOf,
  monthStart,
  osloDateTime,
  osloToday,
  osloTodayDay,
  parseOsloDateTime,
} from '../../model/index.ts';

const day = fc.integer({ min: epochDay(1900, 1, 1), max: epochDay(2200, 12, 31) });

describe('ISO dates', () => {
  it('round-trips every day number through its ISO text', () => {
    fc.assert(
      fc.property(day, (d) => {
        const iso = isoOf(d);
        expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(dayOf(iso)).toBe(d);
        expect(dayOfTrusted(iso)).toBe(d);
        expect(isIsoDate(iso)).toBe(true);
      }),
    );
  });

  it('agrees with Date on which days exist, leap years included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const probe = new Date(Date.UTC(y, m - 1, d));
        const real = m >= 1 && m <= 12 && d >= 1 && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
        expect(isCalendarDay(y, m, d)).toBe(real);
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        expect(dayOf(iso) !== null).toBe(real);
      }),
    );
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('refuses what is not exactly YYYY-MM-DD, and years Date.UTC would read as 19xx', () => {
    for (const text of ['2024-2-01', '2024-02-30', '20240201', '2024-02-01T00:00', ' 2024-02-01', '0050-01-01', '']) expect(dayOf(text)).toBeNull();
  });

  it('adds days as day numbers do, and months as Date does (the 31st rolls over)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -800, max: 800 }), (d, n) => {
        expect(addDays(isoOf(d), n)).toBe(isoOf(d + n));
      }),
    );
    expect(addMonths('2024-01-31', 1)).toBe('2024-03-02');
    expect(addMonths('2024-07-01', -12)).toBe('2023-07-01');
    expect(addMonths('2024-12-01', 1)).toBe('2025-01-01');
    expect(monthStart('2024-12-19')).toBe('2024-12-01');
  });
});

describe('Oslo time', () => {
  it("takes today from the clock it is given, in Norway's zone", () => {
    // 23:30 UTC on New Year's Eve is already New Year's Day in Oslo (UTC+1).
    const clock = new FixedClock('2025-12-31T23:30:00Z');
    expect(osloToday(clock)).toBe('2026-01-01');
    expect(osloTodayDay(clock)).toBe(dayOf('2026-01-01'));
    clock.set('2026-06-30T21:59:59Z'); // 23:59:59 summer time
    expect(osloToday(clock)).toBe('2026-06-30');
  });

  it('writes and reads zone-less Oslo date-times, across both DST switches', () => {
    expect(osloDateTime(Date.parse('2026-01-15T10:00:00.123Z'))).toBe('2026-01-15T11:00:00.123');
    expect(osloDateTime(Date.parse('2026-07-15T10:00:00.000Z'))).toBe('2026-07-15T12:00:00.000');
    expect(parseOsloDateTime('2026-07-15T12:00:00.000')).toBe(Date.parse('2026-07-15T10:00:00Z'));
    expect(parseOsloDateTime('2026-01-15')).toBe(Date.parse('2026-01-14T23:00:00Z'));
    expect(parseOsloDateTime('2026-01-15T10:00:00Z')).toBe(Date.parse('2026-01-15T10:00:00Z'));
    expect(parseOsloDateTime('yesterday')).toBeNull();
    const from = Date.parse('2026-03-28T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 240 * 86_400 }), (s) => {
        // Every instant but the repeated hour of the autumn switch reads back to itself.
        const t = from + s * 1000;
        const text = osloDateTime(t);
        if (text.startsWith('2026-10-25T02:')) return;
        expect(parseOsloDateTime(text)).toBe(t);
      }),
    );
  });
});
