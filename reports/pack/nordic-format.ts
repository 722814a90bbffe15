// Nordic number formatting for the pack's HTML: space as thousands separator, comma as
// decimal mark (as cli/trial-balance-table.ts prints for the terminal), here with a
// no-break space and a real minus sign so a figure never wraps or reads as a dash.
import { divideUnits, fromUnits, toUnits } from './decimal-text.ts';

const GROUP = '\u00a0';
const MINUS = '\u2212';
export const DASH = '–';

/** `"-1234567.8"` → `"−1 234 567,80"` with `decimals` decimals (the text must not need rounding). */
export function nordicDecimal(text: string, decimals = 2): string {
  const exact = fromUnits(toUnits(text, decimals), decimals);
  const negative = exact.startsWith('-');
  const [whole, fraction] = exact.replace('-', '').split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
  return `${negative ? MINUS : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
}

/** Money, two decimals; a dash for no figure. */
export function nordicAmount(text: string | null): string {
  return text === null ? DASH : nordicDecimal(text, 2);
}

/** A DECIMAL(18,4) fraction (`0.2534`) as `25,34 %`, exactly: the same digits, shifted. */
export function nordicPercent(fraction: string | null): string {
  if (fraction === null) return DASH;
  return `${nordicDecimal(fromUnits(toUnits(fraction, 4), 2), 2)}\u00a0%`;
}

/** A difference of two fractions in percentage points (`0.0125` → `+1,25 p.p.`). */
export function nordicPoints(fraction: string | null): string {
  if (fraction === null) return DASH;
  return `${signed(nordicDecimal(fromUnits(toUnits(fraction, 4), 2), 2))}\u00a0p.p.`;
}

/** A fraction read as a multiple (`1.2299` → `1,23`), rounded for reading; the exact figure stays in data-value. */
export function nordicTimes(fraction: string | null): string {
  if (fraction === null) return DASH;
  return nordicDecimal(fromUnits(divideUnits(toUnits(fraction, 4), 100n, 0)!, 2), 2);
}

export function nordicDays(days: string | null): string {
  return days === null ? DASH : `${nordicDecimal(days, 1)}\u00a0days`;
}

/** A change with its sign always shown. */
export function signed(formatted: string): string {
  return formatted.startsWith(MINUS) || formatted === DASH || /^0(,0+)?(\u00a0|$)/.test(formatted) ? formatted : `+${formatted}`;
}

/** Relative change (now − before) / |before| as `+12,3 %`; a dash when there is no base. */
export function nordicRelativeChange(now: string | null, before: string | null): string {
  if (now === null || before === null) return DASH;
  const b = toUnits(before, 2);
  const ratio = divideUnits(toUnits(now, 2) - b, b < 0n ? -b : b, 3);
  return ratio === null ? DASH : `${signed(nordicDecimal(fromUnits(ratio, 1), 1))}\u00a0%`;
}
