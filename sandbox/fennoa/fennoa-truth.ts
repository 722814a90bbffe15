// The company as the simulator serves it, in the shape every simulator's truth has: per
// period the opening balance per account and the net movement per account and month.
// Recomputed from the served statements, so it follows every change.
import type { SimulatedYearTruth } from '../kit/index.ts';
import type { FennoaCompany } from './fennoa-company.ts';

export function companyTruth(c: FennoaCompany): { years: SimulatedYearTruth[] } {
  const openings = c.openings();
  return {
    years: c.periods.map((p) => {
      const movements = new Map<string, Map<string, bigint>>();
      let vouchers = 0;
      let lines = 0;
      for (const s of c.statements) {
        if (s.period !== p.id) continue;
        vouchers++;
        const month = s.date.slice(0, 7);
        for (const r of s.rows) {
          lines++;
          let perMonth = movements.get(r.account);
          if (!perMonth) movements.set(r.account, (perMonth = new Map()));
          perMonth.set(month, (perMonth.get(month) ?? 0n) + r.amount);
        }
      }
      for (const [account, perMonth] of movements) {
        for (const [month, x] of perMonth) if (x === 0n) perMonth.delete(month);
        if (perMonth.size === 0) movements.delete(account);
      }
      return { start: p.start, end: p.end, opening: new Map(openings.get(p.id)!), movements, vouchers, lines };
    }),
  };
}
