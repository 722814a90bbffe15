// The company as the simulator serves it, aggregated like the generator's own truth: opening
// balance per account and net movement per account and calendar month, per fiscal year.
// Recomputed from the served columns, so it follows every mutation.
import { dateText } from './ledger-models.ts';
import type { ServedCompany } from './served-company.ts';
import type { SimulatedYearTruth } from '../kit/index.ts';


/**
 * Balance-sheet accounts carry their closing balance into the next year; income and expense
 * accounts start every year at zero (the generator's year-end voucher moves the result to
 * equity), and where the chart has a separate year-result account its balance moves into
 * retained earnings at the opening.
 */
export function companyTruth(c: ServedCompany): { years: SimulatedYearTruth[] } {
  const n = c.accounts.length;
  let opening = BigInt64Array.from(c.firstOpening);
  const years: SimulatedYearTruth[] = [];
  for (const y of c.years) {
    const months: string[] = [];
    const monthOf = new Map<string, number>();
    const cells: BigInt64Array[] = [];
    for (let v = 0; v < y.voucherCount; v++) {
      const key = dateText(y.vDay[v]!).slice(0, 7);
      let m = monthOf.get(key);
      if (m === undefined) {
        m = months.length;
        months.push(key);
        monthOf.set(key, m);
        cells.push(new BigInt64Array(n));
      }
      const cell = cells[m]!;
      for (let l = y.vLineStart[v]!; l < y.vLineStart[v + 1]!; l++) cell[y.lAccount[l]!]! += y.lAmount[l]!;
    }
    const openingMap = new Map<string, bigint>();
    const movements = new Map<string, Map<string, bigint>>();
    const closing = new BigInt64Array(n);
    for (const a of c.accounts) {
      openingMap.set(a.key, opening[a.index]!);
      let total = opening[a.index]!;
      let perMonth: Map<string, bigint> | undefined;
      // Months in calendar order (vouchers are sorted by date, so `months` already is).
      for (let m = 0; m < months.length; m++) {
        const x = cells[m]![a.index]!;
        total += x;
        if (x !== 0n) (perMonth ??= new Map()).set(months[m]!, x);
      }
      if (perMonth) movements.set(a.key, perMonth);
      closing[a.index] = a.isPnl ? 0n : total;
    }
    if (c.resultMove) {
      closing[c.resultMove.to]! += closing[c.resultMove.from]!;
      closing[c.resultMove.from] = 0n;
    }
    years.push({ start: y.meta.start, end: y.meta.end, opening: openingMap, movements, vouchers: y.voucherCount, lines: y.lineCount });
    opening = closing;
  }
  return { years };
}
