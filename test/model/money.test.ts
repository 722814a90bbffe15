import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitsDecimal18, moneyFromJsonNumber, formatMoney, parseMoney } from '../../model/index.ts';

describe('money', () => {
  it('parses decimal text into exact minor units', () => {
    expect(parseMoney('1234.5')).toBe(123450n);
    expect(parseMoney('-0.05')).toBe(-5n);
    expect(parseMoney('3390000')).toBe(339000000n);
    expect(parseMoney(' 12.50 ')).toBe(1250n);
    expect(parseMoney('+7')).toBe(700n);
    expect(parseMoney('1.230')).toBe(123n); // trailing zeros beyond the øre are harmless
    expect(parseMoney('9999999999999999.99')).toBe(999999999999999999n); // past 2^53, still exact
  });

  it('refuses what is not a plain amount', () => {
    for (const bad of ['', '12,50', '1.2.3', '1.234', '1e5', 'abc', '--1', '1 000', '0x10', '.5']) expect(parseMoney(bad), bad).toBeNull();
  });

  it('formats and parses back any amount unchanged', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), (minor) => parseMoney(formatMoney(minor)) === minor));
    expect(formatMoney(-5n)).toBe('-0.05');
    expect(formatMoney(123450n)).toBe('1234.50');
  });

  it('knows what DECIMAL(18,2) holds', () => {
    expect(fitsDecimal18(10n ** 18n - 1n)).toBe(true);
    expect(fitsDecimal18(10n ** 18n)).toBe(false);
    expect(fitsDecimal18(-(10n ** 18n))).toBe(false);
  });

  it('reads a JSON amount exactly, whatever its float looks like, and refuses sub-øre values', () => {
    expect(moneyFromJsonNumber(JSON.parse('0.29'))).toBe(29n); // 0.29 * 100 is 28.999999999999996 as a float
    expect(moneyFromJsonNumber(JSON.parse('-1000.5'))).toBe(-100050n);
    expect(moneyFromJsonNumber(JSON.parse('800.00'))).toBe(80000n);
    expect(moneyFromJsonNumber(JSON.parse('9999999999999.99'))).toBe(999999999999999n); // 15 significant digits: still exact
    expect(moneyFromJsonNumber(JSON.parse('10000000000000.01'))).toBeNull(); // past 10^13 a double may not keep the øre
    for (const bad of [1.005, 1e21, Number.NaN, '12.50', null]) expect(moneyFromJsonNumber(bad), String(bad)).toBeNull();
    // Every øre amount below 10^13 comes back unchanged through the provider's JSON text.
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (minor) => moneyFromJsonNumber(JSON.parse(formatMoney(minor))) === minor));
  });
});
