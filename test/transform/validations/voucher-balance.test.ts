import { describe, expect, it } from 'vitest';
import { readSie } from '../../../formats/index.ts';
import type { Voucher } from '../../../model/index.ts';
import { unbalancedVoucherMessage, voucherBalance } from '../../../transform/index.ts';
import { referencePath } from '../../helpers/reference.ts';

describe('voucherBalance', () => {
  it('every voucher of a real SIE file balances, with its sides equal', async () => {
    const vouchers: Voucher[] = [];
    for await (const e of readSie(referencePath('sie', 'examples', 'SIE4_Exempelfil.SE'))) if (e.kind === 'voucher') vouchers.push(e.voucher);
    expect(vouchers).toHaveLength(295);
    for (const v of vouchers) {
      const b = voucherBalance(v.lines);
      expect(b.difference).toBe(0n);
      expect(b.debit).toBe(b.credit);
      expect(b.debit).toBe(v.lines.filter((l) => l.amount > 0n).reduce((s, l) => s + l.amount, 0n));
    }
  });

  it('gives the sides and the difference, exact to the øre', () => {
    expect(voucherBalance([{ amount: 10_000n }, { amount: -9_999n }, { amount: 0n }])).toEqual({ debit: 10_000n, credit: 9_999n, difference: 1n });
    expect(voucherBalance([])).toEqual({ debit: 0n, credit: 0n, difference: 0n });
  });

  it('says it in the words of the source', () => {
    const b = voucherBalance([{ amount: 150n }, { amount: -100n }]);
    expect(unbalancedVoucherMessage('voucher 2024/A/2', b)).toBe('voucher 2024/A/2 does not balance: its lines sum to 0.50 instead of 0.00.');
    expect(unbalancedVoucherMessage('voucher B 7 (2023-01-05)', b, { rows: '#TRANS rows' })).toBe('voucher B 7 (2023-01-05) does not balance: its #TRANS rows sum to 0.50 instead of 0.00.');
    expect(unbalancedVoucherMessage('journal GL transaction 17', b, 'sides')).toBe('journal GL transaction 17 does not balance: debit 1.50, credit 1.00, difference 0.50.');
  });
});
