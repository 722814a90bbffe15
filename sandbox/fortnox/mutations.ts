// Changes to a Fortnox company between two syncs, as its users make them: new manual vouchers
// in the newest year (series A, numbered next, dated today within the year), and corrections.
// Fortnox never edits a booked voucher in place: a correction strikes its rows (kept,
// `Removed: true`) and adds the corrected ones; the voucher's `lastmodified` moves to now.
import { osloToday, type Clock } from '../../model/index.ts';
import type { FortnoxCompany, FxVoucher } from './fortnox-company.ts';

export interface FortnoxMutationPlan {
  /** New balanced vouchers in the newest year. */
  add?: number;
  /** Vouchers of the newest year corrected (rows struck and re-entered with a changed amount). */
  correct?: number;
  /** Which vouchers are corrected; default 1. */
  seed?: number;
}

export interface VoucherRef {
  /** Fortnox financial-year id. */
  year: number;
  series: string;
  number: number;
}

export interface FortnoxMutationReport {
  added: VoucherRef[];
  corrected: VoucherRef[];
}

export function mutateCompany(c: FortnoxCompany, plan: FortnoxMutationPlan, clock: Clock): FortnoxMutationReport {
  const add = plan.add ?? 0;
  const correct = plan.correct ?? 0;
  for (const [name, n] of [['add', add], ['correct', correct]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Fortnox mutation: ${name} must be a non-negative integer, got ${n}`);
  }
  const y = c.years[c.years.length - 1]!;
  const now = clock.now();
  const today = osloToday(clock);
  const date = today < y.from ? y.from : today > y.to ? y.to : today;
  const report: FortnoxMutationReport = { added: [], corrected: [] };
  // Corrections touch vouchers that existed before this change: a new one is only added.
  const candidates = c.vouchers[y.index]!.filter((v) => v.rows.length >= 2 && !v.rows.some((r) => r.removed));
  for (let i = 0; i < add; i++) {
    const number = c.nextNumber(y.index, 'A');
    const amount = BigInt(10_000 + ((c.revision * 7_919 + i * 104_729) % 900_000));
    const v: FxVoucher = {
      year: y.index,
      series: 'A',
      number,
      date,
      description: `Kontorsmaterial ${number}`,
      referenceType: 'MANUAL',
      referenceNumber: '',
      modifiedAt: now,
      party: null,
      rows: [
        { account: 6110, amount, costCenter: '', project: '', description: '', removed: false },
        { account: 1930, amount: -amount, costCenter: '', project: '', description: '', removed: false },
      ],
    };
    c.addVoucher(v);
    report.added.push({ year: y.id, series: 'A', number });
  }
  const seed = plan.seed ?? 1;
  for (let i = 0; i < Math.min(correct, candidates.length); i++) {
    const v = candidates[(seed * 2_654_435 + i * 40_503) % candidates.length]!;
    if (v.rows.some((r) => r.removed)) continue;
    const kept = v.rows.map((r) => ({ ...r }));
    for (const r of v.rows) r.removed = true;
    // The first two rows trade 1.00 kr: still balanced, other balances on those accounts.
    kept[0]!.amount += 100n;
    kept[1]!.amount -= 100n;
    v.rows.push(...kept);
    v.modifiedAt = now;
    report.corrected.push({ year: y.id, series: v.series, number: v.number });
  }
  c.revision++;
  return report;
}
