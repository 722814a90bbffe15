import { formatMoney, type Money } from '../../model/index.ts';

/** A voucher's debit and credit sides and what is left of them: a voucher balances at 0. */
export interface VoucherBalance {
  debit: Money;
  credit: Money;
  /** Σ amounts, debit positive: what the voucher is off by. */
  difference: Money;
}

/** The sides and difference of a voucher's lines (amounts signed, debit positive). */
export function voucherBalance(lines: Iterable<{ amount: Money }>): VoucherBalance {
  let debit = 0n;
  let credit = 0n;
  for (const l of lines) {
    if (l.amount >= 0n) debit += l.amount;
    else credit -= l.amount;
  }
  return { debit, credit, difference: debit - credit };
}

/**
 * The sentence for a voucher that does not balance. `subject` names it as its source does
 * (`voucher B 7 (2023-01-05)`, `journal GL transaction 17`); `rows` is what its lines are
 * called; `sides` also gives debit and credit, where the source states amounts by side.
 */
export function unbalancedVoucherMessage(subject: string, balance: VoucherBalance, form: { rows: string } | 'sides' = { rows: 'lines' }): string {
  if (form === 'sides') {
    return `${subject} does not balance: debit ${formatMoney(balance.debit)}, credit ${formatMoney(balance.credit)}, difference ${formatMoney(balance.difference)}.`;
  }
  return `${subject} does not balance: its ${form.rows} sum to ${formatMoney(balance.difference)} instead of 0.00.`;
}
