import type { Money } from '../../model/index.ts';

/** Per account, the sum of the ledger lines read: the movements a closing balance must add. */
export class AccountMovements {
  private readonly sums = new Map<string, Money>();

  add(account: string, amount: Money): void {
    this.sums.set(account, (this.sums.get(account) ?? 0n) + amount);
  }

  of(account: string): Money {
    return this.sums.get(account) ?? 0n;
  }

  accounts(): IterableIterator<string> {
    return this.sums.keys();
  }
}

/** What closing = opening + movements finds for one account; null when it holds. */
export interface ClosingMismatch {
  /** opening + movements: what the closing balance should be. */
  expected: Money;
  /** stated closing − expected. */
  difference: Money;
}

export function closingMismatch(opening: Money, movements: Money, closing: Money): ClosingMismatch | null {
  const expected = opening + movements;
  return closing === expected ? null : { expected, difference: closing - expected };
}
