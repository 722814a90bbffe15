import { describe, expect, it } from 'vitest';
import { readSaft } from '../../../formats/index.ts';
import type { LedgerEvent } from '../../../model/index.ts';
import { addVoucher, controlTotalMismatches, emptyTotals, sameTotals, type ControlTotals } from '../../../transform/index.ts';
import { referencePath } from '../../helpers/reference.ts';

describe('control totals', () => {
  it('the Tøyen example adds up to the totals it states (53 entries, 9487049.35 each side)', async () => {
    const counted = emptyTotals();
    let stated: ControlTotals | null = null;
    const events: LedgerEvent[] = [];
    for await (const batch of readSaft(referencePath('saf-t', 'examples', 'ExampleFile SAF-T Financial_888888888_20180228235959.xml'))) events.push(...batch);
    for (const e of events) {
      if (e.kind === 'voucher') addVoucher(counted, e.voucher.lines);
      if (e.kind === 'control_totals') stated = { entries: e.number_of_entries, debit: e.total_debit, credit: e.total_credit };
    }
    expect(stated).toEqual({ entries: 53, debit: 948_704_935n, credit: 948_704_935n });
    expect(sameTotals(stated!, counted)).toBe(true);
    expect(controlTotalMismatches(stated!, counted)).toEqual([]);
  });

  it('names each figure that differs, with the echo of other problems', () => {
    const stated = { entries: 2, debit: 100n, credit: 100n };
    const counted = { entries: 1, debit: 100n, credit: 99n };
    expect(controlTotalMismatches(stated, counted, ' (this may follow from the problems above)')).toEqual([
      'NumberOfEntries says 2 transactions but the file holds 1 (this may follow from the problems above).',
      'TotalCredit says 1.00 but the credit lines sum to 0.99 (this may follow from the problems above).',
    ]);
  });
});
