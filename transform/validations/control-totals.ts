import { formatMoney, type Money } from '../../model/index.ts';

/** SAF-T's control totals: NumberOfEntries, TotalDebit and TotalCredit of the ledger. */
export interface ControlTotals {
  entries: number;
  debit: Money;
  credit: Money;
}

export function emptyTotals(): ControlTotals {
  return { entries: 0, debit: 0n, credit: 0n };
}

/** Counts one voucher into `totals` (lines signed, debit positive). */
export function addVoucher(totals: ControlTotals, lines: Iterable<{ amount: Money }>): void {
  totals.entries++;
  for (const l of lines) addLine(totals, l.amount);
}

/** Adds one line's amount to its side. */
export function addLine(totals: ControlTotals, amount: Money): void {
  if (amount >= 0n) totals.debit += amount;
  else totals.credit -= amount;
}

export function sameTotals(a: ControlTotals, b: ControlTotals): boolean {
  return a.entries === b.entries && a.debit === b.debit && a.credit === b.credit;
}

/**
 * One sentence per figure the ledger does not add up to. `echo` is appended when other
 * problems were found, since a voucher dropped for one of them also shows here.
 */
export function controlTotalMismatches(stated: ControlTotals, counted: ControlTotals, echo = ''): string[] {
  const out: string[] = [];
  if (stated.entries !== counted.entries) out.push(`NumberOfEntries says ${stated.entries} transactions but the file holds ${counted.entries}${echo}.`);
  if (stated.debit !== counted.debit) out.push(`TotalDebit says ${formatMoney(stated.debit)} but the debit lines sum to ${formatMoney(counted.debit)}${echo}.`);
  if (stated.credit !== counted.credit) out.push(`TotalCredit says ${formatMoney(stated.credit)} but the credit lines sum to ${formatMoney(counted.credit)}${echo}.`);
  return out;
}
