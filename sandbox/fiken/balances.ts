// Closing balances per account on a day, as /accountBalances answers them: balance-sheet
// accounts accumulate from the first year's opening balance; income-statement accounts only
// within the fiscal year holding the day (Fiken books no closing entries, so they simply
// start every year at zero, as the generator's truth does). Lines of every entry count,
// deleted transactions and their reversals alike: both stay in the general ledger.
import type { FikenCompany } from './fiken-company.ts';

const cache = new WeakMap<FikenCompany, { revision: number; days: Map<number, BigInt64Array> }>();

/** Balance per account index at the end of `day` (øre, debit positive). */
export function balancesOn(c: FikenCompany, day: number): BigInt64Array {
  let entry = cache.get(c);
  if (!entry || entry.revision !== c.revision) cache.set(c, (entry = { revision: c.revision, days: new Map() }));
  let out = entry.days.get(day);
  if (!out) {
    out = compute(c, day);
    if (entry.days.size >= 64) entry.days.clear();
    entry.days.set(day, out);
  }
  return out;
}

function compute(c: FikenCompany, day: number): BigInt64Array {
  const n = c.accounts.length;
  const out = new BigInt64Array(n);
  const y = c.yearOf(day);
  // First day whose income-statement lines count; past the last year nothing is booked.
  const pnlFrom = y < 0 ? Infinity : y < c.years.length ? c.years[y]!.startDay : c.years[c.years.length - 1]!.endDay;
  const pnl = new Uint8Array(n);
  for (const a of c.accounts) {
    pnl[a.index] = a.pnl ? 1 : 0;
    if (!a.pnl || y === 0) out[a.index] = c.firstOpening[a.index]!;
  }
  const L = c.ledger;
  for (let e = 0; e < L.count; e++) {
    const d = L.day[e]!;
    if (d > day) continue;
    const countPnl = d >= pnlFrom;
    for (let l = L.lineStart[e]!; l < L.lineStart[e + 1]!; l++) {
      const a = L.lAccount[l]!;
      if (pnl[a] && !countPnl) continue;
      out[a]! += L.lAmount[l]!;
    }
  }
  return out;
}
