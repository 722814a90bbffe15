import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetSyncStates, readSyncStates, Warehouse, writeSyncState } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

async function withWarehouse(work: (warehouse: Warehouse) => Promise<void>): Promise<void> {
  const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
  try {
    await work(warehouse);
  } finally {
    warehouse.close();
  }
}

describe('sync state', () => {
  it("keeps each slice's cursor with the instant the caller's clock gave, to the millisecond", async () => {
    await withWarehouse(async (warehouse) => {
      // A day far from the machine's: the stored time is the clock's, not DuckDB's now().
      const clock = new FixedClock('2031-03-04T05:06:07.089Z');
      await writeSyncState(warehouse, 'acme', { stream: 'tripletex:vouchers', slice: '2030-01-01', cursor: null, committedAt: clock.now() });
      await writeSyncState(warehouse, 'acme', { stream: 'tripletex:customers', slice: 'organization', cursor: '2031-03-04T05:00:00.000Z', committedAt: clock.now() });
      await writeSyncState(warehouse, 'other', { stream: 'tripletex:vouchers', slice: '2030-01-01', cursor: 'x', committedAt: clock.now() });
      const states = await readSyncStates(warehouse, 'acme');
      expect(states.get('tripletex:vouchers', '2030-01-01')).toEqual({ stream: 'tripletex:vouchers', slice: '2030-01-01', cursor: null, committedAt: Date.parse('2031-03-04T05:06:07.089Z') });
      expect(states.get('tripletex:customers', 'organization')?.cursor).toBe('2031-03-04T05:00:00.000Z');
      expect(states.get('tripletex:vouchers', '2029-01-01')).toBeUndefined();
      // Stored in UTC, whatever the machine's zone.
      expect(await warehouse.one("SELECT strftime(updated_at, '%Y-%m-%d %H:%M:%S') AS t FROM sync_state WHERE org_id = 'acme' AND slice = '2030-01-01'")).toEqual({ t: '2031-03-04 05:06:07' });
    });
  });

  it('replaces a slice’s state on the next commit, and forgets a year’s slices as a whole', async () => {
    await withWarehouse(async (warehouse) => {
      const clock = new FixedClock('2026-01-10');
      await writeSyncState(warehouse, 'acme', { stream: 'fiken:vouchers', slice: '2024-01-01', cursor: '2026-01-09', committedAt: clock.now() });
      await writeSyncState(warehouse, 'acme', { stream: 'fiken:opening_balances', slice: '2024-01-01', cursor: null, committedAt: clock.now() });
      await writeSyncState(warehouse, 'acme', { stream: 'fiken:vouchers', slice: '2025-01-01', cursor: '2026-01-09', committedAt: clock.now() });
      clock.advance(7 * 86_400_000);
      await writeSyncState(warehouse, 'acme', { stream: 'fiken:vouchers', slice: '2025-01-01', cursor: '2026-01-17', committedAt: clock.now() });
      let states = await readSyncStates(warehouse, 'acme');
      expect(states.get('fiken:vouchers', '2025-01-01')).toMatchObject({ cursor: '2026-01-17', committedAt: Date.parse('2026-01-17T12:00:00Z') });

      await forgetSyncStates(warehouse, 'acme', '2024-01-01');
      states = await readSyncStates(warehouse, 'acme');
      expect(states.get('fiken:vouchers', '2024-01-01')).toBeUndefined();
      expect(states.get('fiken:opening_balances', '2024-01-01')).toBeUndefined();
      expect(states.get('fiken:vouchers', '2025-01-01')).toBeDefined();
    });
  });

  it("is written in the caller's transaction: a slice that fails keeps the previous state", async () => {
    await withWarehouse(async (warehouse) => {
      await writeSyncState(warehouse, 'acme', { stream: 'sie:ledger', slice: '2024-01-01', cursor: 'sha-1', committedAt: Date.parse('2026-01-01T00:00:00Z') });
      await expect(
        warehouse.transaction(async () => {
          await writeSyncState(warehouse, 'acme', { stream: 'sie:ledger', slice: '2024-01-01', cursor: 'sha-2', committedAt: Date.parse('2026-02-01T00:00:00Z') });
          throw new Error('the slice failed after its state was written');
        }),
      ).rejects.toThrow('the slice failed');
      expect((await readSyncStates(warehouse, 'acme')).get('sie:ledger', '2024-01-01')).toMatchObject({ cursor: 'sha-1', committedAt: Date.parse('2026-01-01T00:00:00Z') });
    });
  });

  it('refuses an instant that is not one', async () => {
    await withWarehouse(async (warehouse) => {
      await expect(writeSyncState(warehouse, 'acme', { stream: 's', slice: 'organization', cursor: null, committedAt: Number.NaN })).rejects.toThrow(RangeError);
    });
  });
});
