// Fiscal-year calendars in UTC epoch days (no time zones involved): per-day lookup tables
// precomputed once, so the day loop never touches `Date`.
import { epochDay, fiscalYearLabel, isoOf, type FiscalYearRow, type IsoDate } from '../model/index.ts';

const DAY_MS = 86_400_000;

export { epochDay };

export interface YearCalendar {
  index: number;
  row: FiscalYearRow;
  start: number;
  dayCount: number;
  iso: IsoDate[];
  /** Fiscal month 0–11 of each day. */
  fiscalMonth: Uint8Array;
  calMonth: Uint8Array;
  calYear: Uint16Array;
  dayOfMonth: Uint8Array;
  lastOfMonth: Uint8Array;
  weekend: Uint8Array;
  /** 'YYYY-MM' per fiscal month. */
  monthKeys: string[];
  /** Cumulative activity weight per day, normalised to end at 1. */
  pace: Float64Array;
}

export const SEASON = [0.85, 0.95, 1.05, 1, 1.05, 1, 0.6, 0.95, 1.1, 1.1, 1.15, 1];

export function buildCalendar(index: number, startYear: number, startMonth: number, isClosed: boolean): YearCalendar {
  const start = epochDay(startYear, startMonth, 1);
  const end = epochDay(startYear + 1, startMonth, 1) - 1;
  const dayCount = end - start + 1;
  const iso: IsoDate[] = new Array(dayCount);
  const fiscalMonth = new Uint8Array(dayCount);
  const calMonth = new Uint8Array(dayCount);
  const calYear = new Uint16Array(dayCount);
  const dayOfMonth = new Uint8Array(dayCount);
  const lastOfMonth = new Uint8Array(dayCount);
  const weekend = new Uint8Array(dayCount);
  const pace = new Float64Array(dayCount);
  const monthKeys: string[] = [];
  let total = 0;
  for (let d = 0; d < dayCount; d++) {
    const date = new Date((start + d) * DAY_MS);
    iso[d] = isoOf(start + d);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    calYear[d] = y;
    calMonth[d] = m;
    dayOfMonth[d] = date.getUTCDate();
    fiscalMonth[d] = (y - startYear) * 12 + m - startMonth;
    if (date.getUTCDate() === 1) monthKeys.push(iso[d]!.slice(0, 7));
    const wd = date.getUTCDay();
    weekend[d] = wd === 0 || wd === 6 ? 1 : 0;
    total += SEASON[m - 1]! * (weekend[d] ? 0.15 : 1);
    pace[d] = total;
  }
  for (let d = 0; d < dayCount; d++) {
    pace[d]! /= total;
    lastOfMonth[d] = d === dayCount - 1 || dayOfMonth[d + 1] === 1 ? 1 : 0;
  }
  pace[dayCount - 1] = 1;
  const startIso = iso[0]!;
  const endIso = iso[dayCount - 1]!;
  return {
    index,
    row: { start_date: startIso, end_date: endIso, label: fiscalYearLabel(startIso, endIso), is_closed: isClosed },
    start,
    dayCount,
    iso,
    fiscalMonth,
    calMonth,
    calYear,
    dayOfMonth,
    lastOfMonth,
    weekend,
    monthKeys,
    pace,
  };
}
