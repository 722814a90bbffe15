import { describe, expect, it } from 'vitest';
import { RawJson, jsonText, minorUnitsText } from '../../../sandbox/kit/index.ts';

describe('JSON text with exact money', () => {
  it('writes bigint minor units with the scale, beyond what a float holds', () => {
    expect(minorUnitsText(-123456n, 2)).toBe('-1234.56');
    expect(minorUnitsText(5n, 2)).toBe('0.05');
    expect(minorUnitsText(-5n, 2)).toBe('-0.05');
    expect(minorUnitsText(123n, 0)).toBe('123');
    expect(minorUnitsText(12345678901234567891n, 2)).toBe('123456789012345678.91');
  });

  it('embeds raw JSON as is and leaves undefined properties out', () => {
    const text = jsonText({ id: 7, amount: -1999n, name: 'Bank "DNB"', gone: undefined, rows: [new RawJson('{"x":1}'), null, true, Number.NaN] }, 2);
    expect(text).toBe('{"id":7,"amount":-19.99,"name":"Bank \\"DNB\\"","rows":[{"x":1},null,true,null]}');
    expect(JSON.parse(text)).toEqual({ id: 7, amount: -19.99, name: 'Bank "DNB"', rows: [{ x: 1 }, null, true, null] });
  });
});
