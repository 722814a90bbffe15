// The company as the simulator serves it, in the shape of the Tripletex simulator's truth:
// per fiscal year the opening balance per account and the net movement per account and
// month. Recomputed from the served journal entries, so it follows every mutation.
import type { SimulatedYearTruth } from '../kit/index.ts';
import { dayText } from './days.ts';
import type { FikenCompany } from './fiken-company.ts';

export function companyTruth(c: FikenCompany): { years: SimulatedYearTruth[] } {
  const n = c.accounts.length;
  const L = c.ledger;
  const years = c.years.map((y) => ({ y, entries: 0, lines: 0, months: new Map<string, BigInt64Array>() }));
  for (let e = 0; e < L.count; e++) {
    const acc = years[L.year[e]!]!;
    const month = dayText(L.day[e]!).slice(0, 7);
    let cell = acc.months.get(month);
    if (!cell) acc.months.set(month, (cell = new BigInt64Array(n)));
    acc.entries++;
    for (let l = L.lineStart[e]!; l < L.lineStart[e + 1]!; l++) {
      cell[L.lAccount[l]!]! += L.lAmount[l]!;
      acc.lines++;
    }
  }
  let opening = BigInt64Array.from(c.firstOpening);
  return {
    years: years.map(({ y, entries, lines, months }) => {
      const keys = [...months.keys()].sort();
      const openingMap = new Map<string, bigint>();
      const movements = new Map<string, Map<string, bigint>>();
      const next = new BigInt64Array(n);
      for (const a of c.accounts) {
        openingMap.set(a.code, opening[a.index]!);
        let total = opening[a.index]!;
        for (const k of keys) {
          const x = months.get(k)![a.index]!;
          if (x === 0n) continue;
          total += x;
          let perMonth = movements.get(a.code);
          if (!perMonth) movements.set(a.code, (perMonth = new Map()));
          perMonth.set(k, x);
        }
        next[a.index] = a.pnl ? 0n : total;
      }
      opening = next;
      return { start: y.start, end: y.end, opening: openingMap, movements, vouchers: entries, lines };
    }),
  };
}
