import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '../../transform/index.ts';
import { recycleBuffers, sizeClass, takeBuffer } from '../../transform/recycled-buffers.ts';
import { type ColumnSpec } from '../../model/index.ts';

describe('recycled buffers', () => {
  it('serves every size from a class at most a quarter larger', () => {
    for (let bytes = 1; bytes < 1 << 24; bytes = Math.ceil(bytes * 1.07) + 1) {
      const size = sizeClass(bytes);
      expect(size).toBeGreaterThanOrEqual(bytes);
      if (bytes > 4096) expect(size).toBeLessThanOrEqual(bytes * 1.25);
      expect(sizeClass(size)).toBe(size);
    }
  });

  it('hands a returned buffer out again, and keeps none of a size it never hands out', () => {
    const kept = takeBuffer(100_000);
    recycleBuffers([kept, new ArrayBuffer(100_001)]);
    expect(takeBuffer(99_000)).toBe(kept);
    expect(takeBuffer(99_000)).not.toBe(kept);
  });

  it('serves a request from the smallest spare that fits, but not from one over twice its size', () => {
    const big = new ArrayBuffer(1 << 20);
    const bigger = new ArrayBuffer(1.5 * (1 << 20));
    recycleBuffers([bigger, big]);
    expect(takeBuffer(300_000)).not.toBe(big);
    expect(takeBuffer(600_000)).toBe(big);
    expect(takeBuffer(800_000)).toBe(bigger);
  });

  it('builds the same batches from recycled buffers full of junk as from fresh ones', () => {
    const specs: ColumnSpec[] = [
      { name: 'text', kind: 'utf8' },
      { name: 'amount', kind: 'money' },
      { name: 'day', kind: 'date' },
      { name: 'flag', kind: 'bool' },
      { name: 'count', kind: 'int32' },
    ];
    const build = () => {
      const builder = new BatchBuilder(specs);
      const rows = [];
      for (let i = 0; i < 20_000; i++) {
        // Row 0 of each batch has every value: its text starts at the first offset.
        const gap = (n: number) => i % n === n - 1;
        builder.appendRow([gap(7) ? null : `row ${i} ${'ø'.repeat(i % 50)}`, gap(5) ? null : BigInt(i * 101 - 5000), gap(3) ? null : '2025-01-31', gap(11) ? null : i % 2 === 0, gap(13) ? null : i]);
        if (builder.full) rows.push(...builder.flush()!.toArray().map((r) => r.toJSON()));
      }
      rows.push(...builder.flush()!.toArray().map((r) => r.toJSON()));
      return rows;
    };
    const fresh = build();
    const junk = [];
    for (let power = 4096; power <= 1 << 20; power *= 2) {
      for (const size of [power, power * 1.25, power * 1.5, power * 1.75]) junk.push(new Uint8Array(size).fill(0xff).buffer);
    }
    recycleBuffers(junk);
    expect(build()).toEqual(fresh);
  });
});
