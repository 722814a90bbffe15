// Value checks for SAF-T simple types. Pure functions: the reader decides how to report.

import { daysInMonth, fitsDecimal18, isCalendarDay, parseMoney } from '../../model/index.ts';
import type { IsoDate, Money } from '../../model/index.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;

/** The last date parsed: a voucher repeats its date in several elements, and the next voucher often has it too. */
let lastDateText = '';
let lastDate: IsoDate | null = null;

/** `xs:date` → `YYYY-MM-DD` (a timezone suffix is dropped), or `null` when it is not a real date. */
export function parseIsoDate(text: string): IsoDate | null {
  if (text === lastDateText) return lastDate;
  lastDate = parseDateText(text);
  lastDateText = text;
  return lastDate;
}

function parseDateText(text: string): IsoDate | null {
  const t = text.trim();
  const m = DATE.exec(t);
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isCalendarDay(Number(m[1]), month, day)) return null;
  return t.length === 10 ? t : t.slice(0, 10);
}

export function firstDayOfMonth(year: number, month: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

export function lastDayOfMonth(year: number, month: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

/** SAFmonetaryType: a decimal with at most 2 decimals and 18 digits. */
export function parseSaftMoney(text: string): Money | null {
  const v = parseMoney(text);
  return v !== null && fitsDecimal18(v) ? v : null;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** `xs:decimal` kept as normalised text (`25`, `12.5`), or null when it is not a decimal. */
export function normaliseDecimal(text: string): string | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  let [whole = '', frac = ''] = t.replace(/^\+/, '').split('.');
  const negative = whole.startsWith('-');
  if (negative) whole = whole.slice(1);
  whole = whole.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const body = frac === '' ? whole : `${whole}.${frac}`;
  return negative && body !== '0' ? `-${body}` : body;
}

/**
 * Whether `start`..`end` is exactly twelve whole calendar months (a fiscal year), e.g.
 * 2017-01-01..2017-12-31 or 2017-07-01..2018-06-30.
 */
export function isTwelveMonths(start: IsoDate, end: IsoDate): boolean {
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = end.split('-').map(Number) as [number, number, number];
  if (sd !== 1) return false;
  const months = (ey - sy) * 12 + (em - sm) + 1;
  return months === 12 && ed === daysInMonth(ey, em);
}
