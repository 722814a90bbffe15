import { describe, expect, it } from 'vitest';
import { ReadAheadBudget, ReadAhead } from '../../pipeline/index.ts';

/** A source of `n` pages that records how far it was pulled and whether it was closed. */
function pagesOf(n: number, failAt?: number) {
  const seen = { pulled: 0, closed: false };
  async function* source(): AsyncGenerator<number, string> {
    try {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error(`page ${i} failed`);
        seen.pulled++;
        yield i;
      }
      return 'cursor';
    } finally {
      seen.closed = true;
    }
  }
  return { source: source(), seen };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('ReadAhead', () => {
  it('gives every page in order, then the return value', async () => {
    const { source } = pagesOf(5);
    const ahead = new ReadAhead(source, new ReadAheadBudget(2));
    const got: number[] = [];
    for (let r = await ahead.next(); ; r = await ahead.next()) {
      if (r.done) {
        expect(r.value).toBe('cursor');
        break;
      }
      got.push(r.value);
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads ahead no more pages than the budget shared by every open source', async () => {
    const budget = new ReadAheadBudget(3);
    const first = pagesOf(10);
    let firstDone = false;
    new ReadAhead(first.source, budget, () => (firstDone = true));
    await settle();
    expect(first.seen.pulled).toBe(3);
    const second = pagesOf(10);
    new ReadAhead(second.source, budget);
    await settle();
    expect(second.seen.pulled).toBe(0);
    expect(firstDone).toBe(false);
  });

  it('hands back what it buffered and closes the source when abandoned', async () => {
    const budget = new ReadAheadBudget(3);
    const first = pagesOf(10);
    let done = false;
    const ahead = new ReadAhead(first.source, budget, () => (done = true));
    expect(await ahead.next()).toEqual({ value: 0, done: false });
    ahead.abandon();
    await settle();
    expect(first.seen.closed).toBe(true);
    expect(done).toBe(true);
    const second = pagesOf(10);
    new ReadAhead(second.source, budget);
    await settle();
    expect(second.seen.pulled).toBe(3);
  });

  it("passes the source's failure on after the pages before it, and reports it done", async () => {
    const { source } = pagesOf(5, 2);
    let done = false;
    const ahead = new ReadAhead(source, new ReadAheadBudget(8), () => (done = true));
    expect(await ahead.next()).toEqual({ value: 0, done: false });
    expect(await ahead.next()).toEqual({ value: 1, done: false });
    await expect(ahead.next()).rejects.toThrow('page 2 failed');
    expect(done).toBe(true);
  });
});
