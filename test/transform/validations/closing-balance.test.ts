import { describe, expect, it } from 'vitest';
import { readSaft } from '../../../formats/index.ts';
import type { LedgerEvent } from '../../../model/index.ts';
import { AccountMovements, closingMismatch } from '../../../transform/index.ts';
import { referencePath } from '../../helpers/reference.ts';

describe('closing = opening + movements', () => {
  it('holds for every account of the Tøyen example but 1920, 2711 and 2740 (the file\'s own three)', async () => {
    const events: LedgerEvent[] = [];
    for await (const batch of readSaft(referencePath('saf-t', 'examples', 'ExampleFile SAF-T Financial_888888888_20180228235959.xml'))) events.push(...batch);
    const movements = new AccountMovements();
    const opening = new Map<string, bigint>();
    const closing = new Map<string, bigint>();
    for (const e of events) {
      if (e.kind === 'voucher') for (const l of e.voucher.lines) movements.add(l.account_id, l.amount);
      if (e.kind === 'balance') (e.row.balance_type === 'opening' ? opening : closing).set(e.row.account_id, e.row.amount);
    }
    expect(opening.size).toBe(22);
    const off = [...opening.keys()].filter((a) => closingMismatch(opening.get(a)!, movements.of(a), closing.get(a)!) !== null);
    expect(off.sort()).toEqual(['1920', '2711', '2740']);
  });

  it('gives what the closing should be and the stated closing\'s difference from it', () => {
    expect(closingMismatch(1_000n, 250n, 1_250n)).toBeNull();
    expect(closingMismatch(1_000n, 250n, 1_200n)).toEqual({ expected: 1_250n, difference: -50n });
    const m = new AccountMovements();
    m.add('1930', 100n);
    m.add('1930', -30n);
    expect(m.of('1930')).toBe(70n);
    expect(m.of('3000')).toBe(0n);
    expect([...m.accounts()]).toEqual(['1930']);
  });
});
