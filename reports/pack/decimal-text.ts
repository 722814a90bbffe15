// Exact arithmetic on the decimal text DuckDB gives for DECIMAL columns ("-12345.67"):
// bigint units of 10^-scale, so a printed figure never passes through a float.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `"-12.5"` at scale 2 → `-1250n`. Throws on text that is not a plain decimal or has more decimals than `scale`. */
export function toUnits(text: string, scale: number): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new Error(`not a decimal: "${text}"`);
  const [, sign, whole, fraction = ''] = m;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > scale) throw new Error(`"${text}" has more than ${scale} decimals`);
  const units = BigInt(whole! + fraction.slice(0, scale).padEnd(scale, '0'));
  return sign === '-' ? -units : units;
}

/** `-1250n` at scale 2 → `"-12.50"`; scale 0 → no decimal point. */
export function fromUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(-scale)}` : whole;
  return negative ? `-${text}` : text;
}

/** a / b rounded half away from zero to `scale` decimals; null when b is zero. */
export function divideUnits(a: bigint, b: bigint, scale: number): bigint | null {
  if (b === 0n) return null;
  const negative = a < 0n !== b < 0n && a !== 0n;
  const num = (a < 0n ? -a : a) * 10n ** BigInt(scale);
  const den = b < 0n ? -b : b;
  const q = (2n * num + den) / (2n * den);
  return negative ? -q : q;
}

/** Σ of decimal texts at `scale`; null when every term is null (no figure at all, not zero). */
export function sumDecimals(values: readonly (string | null)[], scale = 2): string | null {
  let total = 0n;
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    total += toUnits(v, scale);
    any = true;
  }
  return any ? fromUnits(total, scale) : null;
}

/** a − b as decimal text; null when either is missing. */
export function subtractDecimals(a: string | null, b: string | null, scale = 2): string | null {
  if (a === null || b === null) return null;
  return fromUnits(toUnits(a, scale) - toUnits(b, scale), scale);
}

export function isZero(value: string | null): boolean {
  return value === null || /^-?0*(\.0*)?$/.test(value);
}
