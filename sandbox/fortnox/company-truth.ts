// Balances and truth of a Fortnox company as it is served now: opening and closing balance per
// account and year, recomputed from the vouchers (struck rows left out), so they follow every
// change. The first year's opening comes from the generator; each later year opens with the
// balance-sheet accounts' closing balances (the result moved to retained earnings) and zero
// on the result accounts.
import type { SimulatedYearTruth } from '../kit/index.ts';
import { PROFILES } from '../profiles.ts';
import type { FortnoxCompany } from './fortnox-company.ts';

export interface YearBalances {
  opening: Map<number, bigint>;
  closing: Map<number, bigint>;
}

export function yearBalances(c: FortnoxCompany): YearBalances[] {
  const out: YearBalances[] = [];
  let opening = new Map(c.firstOpening);
  for (let y = 0; y < c.years.length; y++) {
    for (const a of c.accounts[y]!) if (!opening.has(a.number)) opening.set(a.number, 0n);
    const closing = new Map(opening);
    for (const v of c.vouchers[y]!) for (const r of v.rows) if (!r.removed) closing.set(r.account, (closing.get(r.account) ?? 0n) + r.amount);
    out.push({ opening, closing });
    const balanceAccounts = new Set(c.accounts[y]!.filter((a) => a.balance).map((a) => a.number));
    opening = new Map([...closing].map(([k, v]) => [k, balanceAccounts.has(k) || String(k) < '3' ? v : 0n]));
    // The year's result (2099) opens the next year in retained earnings (2091), as the books are carried over.
    const result = Number(PROFILES.SE.roles.yearResultEquity);
    const retained = Number(PROFILES.SE.roles.retainedEarnings);
    opening.set(retained, (opening.get(retained) ?? 0n) + (opening.get(result) ?? 0n));
    opening.set(result, 0n);
  }
  return out;
}

/** The company per year in the simulators' common truth shape (account keys as text). */
export function companyTruth(c: FortnoxCompany): { years: SimulatedYearTruth[] } {
  const balances = yearBalances(c);
  return {
    years: c.years.map((y, i) => {
      const movements = new Map<string, Map<string, bigint>>();
      let lines = 0;
      for (const v of c.vouchers[i]!) {
        const month = v.date.slice(0, 7);
        for (const r of v.rows) {
          if (r.removed) continue;
          lines++;
          const k = String(r.account);
          let m = movements.get(k);
          if (!m) movements.set(k, (m = new Map()));
          m.set(month, (m.get(month) ?? 0n) + r.amount);
        }
      }
      for (const m of movements.values()) for (const [k, x] of m) if (x === 0n) m.delete(k);
      for (const [k, m] of movements) if (m.size === 0) movements.delete(k);
      const opening = new Map([...balances[i]!.opening].map(([k, v]) => [String(k), v]));
      return { start: y.from, end: y.to, opening, movements, vouchers: c.vouchers[i]!.length, lines };
    }),
  };
}
