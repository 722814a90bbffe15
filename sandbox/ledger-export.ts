// One fiscal year as a `LedgerExport`: master data and totals now, vouchers replayed lazily
// from the year's start snapshot.
import type { AccountRow, BudgetRow, LedgerExport, Money, Voucher } from '../model/index.ts';
import { cloneCarry, type CarryState } from './carry-state.ts';
import type { Setup } from './company-setup.ts';
import type { YearCalendar } from './fiscal-calendar.ts';
import type { FiscalYearTruth } from './generated-company.ts';
import { VoucherSink } from './voucher-sink.ts';
import { YearRun } from './year-run.ts';

export function makeExport(s: Setup, cal: YearCalendar, startState: CarryState, truth: FiscalYearTruth, budget: BudgetRow[], seed: number): LedgerExport {
  const accounts = s.profile.accounts.map(
    (a): AccountRow & { opening: Money; closing: Money } => ({
      account_id: a.id,
      name: a.name,
      account_type: a.type,
      standard_account_id: a.standardAccountId,
      grouping_category: a.groupingCategory,
      grouping_code: a.groupingCode,
      default_vat_code: a.vatCode,
      is_active: true,
      extra: a.extra,
      opening: truth.opening.get(a.id)!,
      closing: truth.closing.get(a.id)!,
    }),
  );
  return {
    organization: s.organization,
    fiscal_year: cal.row,
    accounts,
    journals: s.profile.journals.rows.map((r) => ({ ...r })),
    dimensions: s.dimensionRows.map((r) => ({ ...r })),
    parties: s.partyRows.map((r) => ({ ...r })),
    tax_codes: s.taxCodeRows.map((r) => ({ ...r })),
    budget,
    totals: { entries: truth.voucherCount, debit: truth.totalDebit, credit: truth.totalCredit },
    vouchers: () => streamYear(s, cal, startState, seed),
  };
}

/** Replays one year from its start snapshot, a day at a time, so memory stays bounded. */
async function* streamYear(s: Setup, cal: YearCalendar, startState: CarryState, seed: number): AsyncGenerator<Voucher> {
  const sink = new VoucherSink(s, cal);
  const run = new YearRun(s, cal, cloneCarry(startState), sink, seed);
  for (let d = 0; d < cal.dayCount; d++) {
    run.day(d);
    for (const v of sink.out) yield v;
    sink.out.length = 0;
  }
}
