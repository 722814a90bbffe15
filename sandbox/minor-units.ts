// Money arithmetic on integer minor units held in JS numbers, and the checked step to
// `bigint` at the boundary.
import type { Money } from '../model/index.ts';

/** VAT on a net amount in minor units, rounded half away from zero. */
export function vatOf(net: number, basisPoints: number): number {
  const x = net * basisPoints;
  return x >= 0 ? Math.floor((x + 5000) / 10000) : -Math.floor((-x + 5000) / 10000);
}

export function convert(foreignMinor: number, rate4: number): number {
  const x = foreignMinor * rate4;
  return x >= 0 ? Math.floor((x + 5000) / 10000) : -Math.floor((-x + 5000) / 10000);
}

export function toMoney(x: number, what: string): Money {
  if (!Number.isSafeInteger(x)) throw new RangeError(`generator: ${what} (${x}) left the exact integer range`);
  return BigInt(x);
}
