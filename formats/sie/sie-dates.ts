// SIE dates are `YYYYMMDD` (§5.10) and periods `YYYYMM`; the warehouse wants ISO dates.
// The spelling is SIE's; the calendar is the model's.
import { isCalendarDay, isLeapYear } from '../../model/index.ts';

function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

let lastText = '';
let lastDate: string | null = null;

/** `20100105` → `2010-01-05`; null when not a real calendar date. */
export function parseSieDate(text: string): string | null {
  // Rows of one voucher repeat the same date: remember the last answer.
  if (text === lastText) return lastDate;
  lastText = text;
  lastDate = parseDate(text);
  return lastDate;
}

function parseDate(text: string): string | null {
  if (text.length !== 8 || !allDigits(text)) return null;
  const y = +text.slice(0, 4);
  const m = +text.slice(4, 6);
  const d = +text.slice(6, 8);
  if (!isCalendarDay(y, m, d)) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** `201001` → `2010-01-01` (first day of the period); null when malformed. */
export function parseSiePeriod(text: string): string | null {
  if (text.length !== 6 || !allDigits(text)) return null;
  const m = +text.slice(4, 6);
  if (m < 1 || m > 12) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-01`;
}

/** `2010-01-05` → `20100105`. */
export function toSieDate(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '');
}

/** Shifts an ISO date by whole years (used when a comparison year has no #RAR). */
export function shiftYears(iso: string, years: number): string {
  const y = +iso.slice(0, 4) + years;
  let md = iso.slice(4);
  if (md === '-02-29' && !isLeapYear(y)) md = '-02-28';
  return `${String(y).padStart(4, '0')}${md}`;
}
