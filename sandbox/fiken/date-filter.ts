// Fiken's date filters: for a field `X`, `X` (equal), `XLe`, `XLt`, `XGe` and `XGt`, all
// `yyyy-MM-dd` and day-granular. They combine into one inclusive range of day numbers.
import { dayOf } from '../../model/index.ts';
import { badRequest } from './api-error.ts';

export interface DayRange {
  /** Inclusive bounds; ±Infinity when open. */
  lo: number;
  hi: number;
}

/** The range the query's filters on `param` select; ALL_DAYS when it has none. */
export function dayRange(query: URLSearchParams, param: string): DayRange {
  let lo = -Infinity;
  let hi = Infinity;
  const read = (suffix: string): number | null => {
    const name = param + suffix;
    const text = query.get(name);
    if (text === null) return null;
    const day = dayOf(text);
    if (day === null) throw badRequest(`${name} must be a date formatted yyyy-MM-dd, got '${text}'.`);
    return day;
  };
  const eq = read('');
  const ge = read('Ge');
  const gt = read('Gt');
  const le = read('Le');
  const lt = read('Lt');
  if (eq !== null) [lo, hi] = [Math.max(lo, eq), Math.min(hi, eq)];
  if (ge !== null) lo = Math.max(lo, ge);
  if (gt !== null) lo = Math.max(lo, gt + 1);
  if (le !== null) hi = Math.min(hi, le);
  if (lt !== null) hi = Math.min(hi, lt - 1);
  return { lo, hi };
}

export const inRange = (r: DayRange, day: number) => day >= r.lo && day <= r.hi;
export const isAll = (r: DayRange) => r.lo === -Infinity && r.hi === Infinity;
