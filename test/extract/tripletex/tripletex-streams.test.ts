import { describe, expect, it } from 'vitest';
import { inOrder } from '../../../extract/tripletex/tripletex-streams.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inOrder', () => {
  it("yields every item's values in item order, however the items' work interleaves", async () => {
    // Later items finish first: item i waits (4 - i) × 5 ms between its values.
    const work = async function* (i: number) {
      for (let v = 0; v < 3; v++) {
        await tick((4 - i) * 5);
        yield `${i}.${v}`;
      }
    };
    const got: string[] = [];
    for await (const v of inOrder([0, 1, 2, 3], 2, work)) got.push(v);
    expect(got).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1', '1.2', '2.0', '2.1', '2.2', '3.0', '3.1', '3.2']);
  });

  it('keeps at most `limit` items in flight', async () => {
    let running = 0;
    let most = 0;
    const work = async function* (i: number) {
      running++;
      most = Math.max(most, running);
      await tick(5);
      yield i;
      running--;
    };
    for await (const _ of inOrder([0, 1, 2, 3, 4, 5], 3, work)) void _;
    expect(most).toBe(3);
  });

  it("passes an item's failure on after the values before it", async () => {
    const work = async function* (i: number) {
      yield i;
      if (i === 1) throw new Error('month 1 failed');
    };
    const got: number[] = [];
    await expect((async () => {
      for await (const v of inOrder([0, 1, 2], 2, work)) got.push(v);
    })()).rejects.toThrow('month 1 failed');
    expect(got).toEqual([0, 1]);
  });
});
