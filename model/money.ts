import type { Money } from './ledger-model.ts';

const AMOUNT = /^\s*([+-]?)(\d+)(?:\.(\d{0,2})0*)?\s*$/;

/**
 * Parses a decimal amount (`-1234.5`, `3390000`, `12.50`) into minor units. Returns `null`
 * when the text is not a plain decimal with at most two significant decimals; the caller
 * knows where the text came from and reports it. Never goes through a float.
 */
export function parseMoney(text: string): Money | null {
  const m = AMOUNT.exec(text);
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  const minor = BigInt(whole! + frac.padEnd(2, '0'));
  return sign === '-' ? -minor : minor;
}

/** `123450n` → `1234.50`; `-5n` → `-0.05`. */
export function formatMoney(minor: Money): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Largest magnitude a DECIMAL(18,2) column holds, in minor units. */
export const MAX_MONEY: Money = 10n ** 18n - 1n;

export function fitsDecimal18(minor: Money): boolean {
  return minor <= MAX_MONEY && minor >= -MAX_MONEY;
}

/**
 * A JSON number holding a decimal amount (`800`, `-1000.5`, `0.29`) → minor units, exactly.
 * The parsed double's shortest text is the decimal the provider wrote whenever that has at
 * most 15 significant digits (amounts below 10^13 with øre), so no float arithmetic happens.
 * Returns `null` for anything else (more than two decimals, exponents, NaN): the caller names
 * the field.
 */
export function moneyFromJsonNumber(value: unknown): Money | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) >= 1e13) return null;
  return parseMoney(String(value));
}
