// Budget: a plan made before the year, from the same expectations the simulation uses (last
// year's actuals, or for the first year the plan's estimates), with its own random stream.
import type { BudgetRow } from '../model/index.ts';
import { PURCHASE_SHARE, SALE_SHARE, type Setup } from './company-setup.ts';
import { SEASON, type YearCalendar } from './fiscal-calendar.ts';
import { Random, deriveSeed, tag } from './random.ts';

export function buildBudget(s: Setup, cal: YearCalendar, seed: number, previous: Float64Array | null): BudgetRow[] {
  const rng = new Random(deriveSeed(seed, tag('budget'), cal.index));
  const rows: BudgetRow[] = [];
  const n = s.accountIds.length;
  // Expected annual amount per P&L account: last year's actuals grown 5 %, or for the first
  // year the plan's revenue estimate spread by the chart's weights.
  const annual = new Float64Array(n);
  if (previous) {
    for (let i = 0; i < n; i++) annual[i] = previous[i]! * 1.05;
  } else {
    const R = s.plan.revenueEstimate;
    const revTotal = s.revenueCum[s.revenueCum.length - 1]!;
    s.revenueAcc.forEach((a, i) => (annual[a]! -= (R * ((s.revenueCum[i]! - (i > 0 ? s.revenueCum[i - 1]! : 0)) / revTotal))));
    const kinds = s.profile.supplierKinds;
    const kindTotal = s.supplierKindCum[s.supplierKindCum.length - 1]!;
    const avgMedian = kinds.reduce((sum, k) => sum + k.median * k.weight, 0) / kindTotal;
    const purchases = R * (PURCHASE_SHARE / SALE_SHARE) * (1.25 * avgMedian * s.plan.purchaseScale) / (1.6 * s.plan.saleMedian);
    kinds.forEach((k, ki) => {
      const lines = s.supplierLines[ki]!;
      const share = (k.weight * k.median) / (avgMedian * kindTotal);
      const lineTotal = lines.cum[lines.cum.length - 1]!;
      lines.acc.forEach((a, i) => (annual[a]! += (purchases * share * (lines.cum[i]! - (i > 0 ? lines.cum[i - 1]! : 0))) / lineTotal));
    });
    const payroll = s.plan.payrollMonthly * 12;
    annual[s.payroll.salary]! += payroll;
    for (const c of s.payroll.contributions) annual[c.expense]! += payroll * c.rate;
    if (s.payroll.holiday) annual[s.payroll.holiday.expense]! += payroll * s.payroll.holiday.rate;
    s.assets.forEach((a) => (annual[a.expense]! += (s.opening[a.asset]! / a.lifeMonths) * 12));
    annual[s.r.bankFees]! += 12 * 200_00 * s.profile.amountScale;
    annual[s.r.interestExpense]! += -s.opening[s.r.loan]! * 0.06;
  }
  const seasonTotal = SEASON.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    if (!s.isPnl[i] || i === s.r.yearResultPnl || annual[i] === 0) continue;
    const seasonal = s.profile.accounts[i]!.type === 'income';
    for (let m = 0; m < 12; m++) {
      const calMonth = Number(cal.monthKeys[m]!.slice(5, 7));
      const weight = seasonal ? SEASON[calMonth - 1]! / seasonTotal : 1 / 12;
      const amount = Math.round((annual[i]! * weight * (1 + 0.03 * rng.normal())) / 100_00) * 100_00;
      if (amount === 0) continue;
      rows.push({ account_id: s.accountIds[i]!, month: `${cal.monthKeys[m]}-01`, dimension_type: null, dimension_id: null, amount: BigInt(amount) });
    }
  }
  return rows;
}
