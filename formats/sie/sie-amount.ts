// Amount parsing on the hot path (one call per #TRANS). The common shapes `-1234.50`,
// `3390000`, `0.5` are scanned by hand into a Number (exact below 2^53) and then a bigint;
// anything else goes to parseMoney, which stays the single definition of what is valid.

import { parseMoney } from '../../model/index.ts';
import type { Money } from '../../model/index.ts';

export function parseSieAmount(text: string): Money | null {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  const digitsStart = i;
  let whole = 0;
  while (i < n) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    i++;
  }
  const wholeDigits = i - digitsStart;
  if (wholeDigits === 0 || wholeDigits > 13) return parseMoney(text);
  let frac = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return parseMoney(text);
    const d1 = i + 1 < n ? text.charCodeAt(i + 1) - 48 : -1;
    const d2 = i + 2 < n ? text.charCodeAt(i + 2) - 48 : -1;
    if (i + 3 < n || d1 < 0 || d1 > 9 || (i + 2 < n && (d2 < 0 || d2 > 9))) return parseMoney(text);
    frac = d1 * 10 + (i + 2 < n ? d2 : 0);
  }
  const minor = whole * 100 + frac;
  return BigInt(negative ? -minor : minor);
}
