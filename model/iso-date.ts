// The one calendar module: ISO `YYYY-MM-DD` dates, day numbers (days since 1970-01-01, the
// Arrow DateDay and DuckDB DATE storage), date arithmetic, and Norway's local time. Formats
// keep their own spellings (SIE's YYYYMMDD, SAF-T's xs:date) and call this for the calendar.
import { systemClock, type Clock } from './clock.ts';
import type { IsoDate } from './ledger-model.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** Whether year, month (1–12) and day name a real calendar day. */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether `text` is exactly a `YYYY-MM-DD` real calendar date. */
export function isIsoDate(text: string): boolean {
  return dayOf(text) !== null;
}

/** Day number of year, month (1–12), day; months and days past their end roll over as `Date.UTC` does. */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

const dayCache = new Map<string, number | null>();

/** Day number of a `YYYY-MM-DD` date, or null when it is not a real calendar date. */
export function dayOf(iso: string): number | null {
  const cached = dayCache.get(iso);
  if (cached !== undefined) return cached;
  const m = ISO_DATE.exec(iso);
  let day: number | null = null;
  if (m) {
    // Round-tripping rejects both impossible days and years `Date.UTC` reads as 19xx.
    const d = epochDay(Number(m[1]), Number(m[2]), Number(m[3]));
    day = isoOf(d) === iso ? d : null;
  }
  // Dates repeat across a ledger; the cache is bounded so odd input cannot grow it forever.
  if (dayCache.size < 50_000) dayCache.set(iso, day);
  return day;
}

/**
 * Day number of a date already known to be `YYYY-MM-DD` (the loaders' hot path: no checks,
 * no cache). Anything after the tenth character, such as a time, is ignored.
 */
export function dayOfTrusted(iso: string): number {
  return Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS);
}

/** `YYYY-MM-DD` of a day number. */
export function isoOf(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return isoOf(dayOfTrusted(iso) + days);
}

/** Whole months later (or earlier); a day past the target month's end rolls into the next, as `Date` does. */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** First day of the month `iso` falls in. */
export function monthStart(iso: IsoDate): IsoDate {
  return `${iso.slice(0, 7)}-01`;
}

/** Today in Norway (`YYYY-MM-DD`): Tripletex session expiry and Fiken's date filters count Oslo days. */
export function osloToday(clock: Clock = systemClock): IsoDate {
  const f = osloFields(clock.now());
  return `${f.y}-${f.mo}-${f.d}`;
}

/** Today in Norway as a day number. */
export function osloTodayDay(clock: Clock = systemClock): number {
  return dayOf(osloToday(clock))!;
}

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function osloFields(epochMs: number): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const p = Object.fromEntries(osloParts.formatToParts(new Date(epochMs)).map((x) => [x.type, x.value]));
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** `YYYY-MM-DDThh:mm:ss.SSS` in Norwegian local time, as Tripletex writes `Change.timestamp`. */
export function osloDateTime(epochMs: number): string {
  const f = osloFields(epochMs);
  const ms = String(Math.floor(epochMs) % 1000).padStart(3, '0');
  return `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}.${ms}`;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * A date or date-time read as Norwegian local time (as Tripletex reads `changedSince`);
 * epoch ms, or null when it does not parse. A trailing `Z` or offset is honoured as given.
 */
export function parseOsloDateTime(text: string): number | null {
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text) && text.includes('T')) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0')));
  if (Number.isNaN(asUtc)) return null;
  // Oslo is UTC+1 or +2: take the offset at the guess, then correct once across a DST switch.
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return t;
}

function offsetAt(epochMs: number): number {
  const f = osloFields(epochMs);
  const local = Date.UTC(Number(f.y), Number(f.mo) - 1, Number(f.d), Number(f.h), Number(f.mi), Number(f.s));
  return local - Math.floor(epochMs / 1000) * 1000;
}
