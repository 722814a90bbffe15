// The truth pass: aggregates every voucher per account and fiscal month while the year is
// simulated, then turns the sums into the year's truth. Kept apart from `Voucher` building so
// the truth never depends on the streamed objects it is meant to check.
import type { Money } from '../model/index.ts';
import type { Setup } from './company-setup.ts';
import type { YearCalendar } from './fiscal-calendar.ts';
import type { FiscalYearTruth } from './generated-company.ts';
import type { LineBuffer } from './line-buffer.ts';
import { toMoney } from './minor-units.ts';
import type { Sink, VoucherHeader } from './sink.ts';

/** Aggregates lines per account and fiscal month: the truth pass. */
export class TruthSink implements Sink {
  readonly movement: Float64Array;
  vouchers = 0;
  lines = 0;
  debit = 0;
  credit = 0;

  constructor(
    private readonly nAcc: number,
    private readonly cal: YearCalendar,
  ) {
    this.movement = new Float64Array(nAcc * 12);
  }

  voucher(h: VoucherHeader, b: LineBuffer): void {
    const m = this.cal.fiscalMonth[h.day]!;
    this.vouchers++;
    this.lines += b.n;
    for (let i = 0; i < b.n; i++) {
      const a = b.amt[i]!;
      this.movement[b.acc[i]! * 12 + m]! += a;
      if (a >= 0) this.debit += a;
      else this.credit -= a;
    }
  }
}

/**
 * The year's truth from its opening balances and the truth pass; also the closing balances as
 * numbers (next year's budget starts from them).
 */
export function yearTruth(
  s: Setup,
  cal: YearCalendar,
  openingBalances: Float64Array,
  sink: TruthSink,
  result: number,
): { truth: FiscalYearTruth; closingNumbers: Float64Array } {
  const n = s.accountIds.length;
  const opening = new Map<string, Money>();
  const closing = new Map<string, Money>();
  const closingNumbers = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let c = openingBalances[i]!;
    for (let m = 0; m < 12; m++) c += sink.movement[i * 12 + m]!;
    closingNumbers[i] = c;
    opening.set(s.accountIds[i]!, toMoney(openingBalances[i]!, 'opening balance'));
    closing.set(s.accountIds[i]!, toMoney(c, 'closing balance'));
  }
  const movements = new Map<string, Map<string, Money>>();
  for (let i = 0; i < n; i++) {
    let perMonth: Map<string, Money> | undefined;
    for (let m = 0; m < 12; m++) {
      const x = sink.movement[i * 12 + m]!;
      if (x === 0) continue;
      (perMonth ??= new Map()).set(cal.monthKeys[m]!, toMoney(x, 'movement'));
    }
    if (perMonth) movements.set(s.accountIds[i]!, perMonth);
  }
  const truth: FiscalYearTruth = {
    fiscal_year: cal.row,
    opening,
    closing,
    movements,
    voucherCount: sink.vouchers,
    lineCount: sink.lines,
    totalDebit: toMoney(sink.debit, 'total debit'),
    totalCredit: toMoney(sink.credit, 'total credit'),
    result: toMoney(result, 'result'),
  };
  return { truth, closingNumbers };
}
