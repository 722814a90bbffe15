import { describe, expect, it } from 'vitest';
import type { StreamEvent, StreamSlice, SourceFiscalYear, PageProgress } from '../../extract/source.ts';
import { fiscalYearStream, inOrder, listStream, mappedPages, requireYear, StreamSliceError, type ListPage } from '../../extract/stream-kit.ts';

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

const year: SourceFiscalYear = { start_date: '2025-01-01', end_date: '2025-12-31', label: '2025', is_closed: false, source_year_ref: '60001' };

const journal = (id: string): StreamEvent => ({ kind: 'journal', row: { journal_id: id, name: id, journal_type: 'test', extra: null }, location: { file: 'test' } });

async function* pagesOf(...pages: ListPage<string>[]): AsyncGenerator<ListPage<string>> {
  for (const page of pages) yield page;
}

/** Every page a stream yields for the slice, and what it returned. */
async function drain(read: AsyncGenerator<StreamEvent[], string | null | void>) {
  const pages: StreamEvent[][] = [];
  for (;;) {
    const r = await read.next();
    if (r.done) return { pages, returned: r.value };
    pages.push(r.value);
  }
}

describe('mappedPages', () => {
  it('maps every row of every page and reports the rows read so far after each page', async () => {
    const progress: PageProgress[] = [];
    const slice: StreamSlice = { fiscalYear: null, cursor: null, onPage: (p) => progress.push(p) };
    const { pages } = await drain(mappedPages(pagesOf({ values: ['a', 'b'], estimatedTotal: 3 }, { values: ['c'], estimatedTotal: 3 }), slice, (id) => (id === 'b' ? [] : [journal(id)])));
    expect(pages.map((p) => p.map((e) => (e.kind === 'journal' ? e.row.journal_id : e.kind)))).toEqual([['a'], ['c']]);
    expect(progress).toEqual([{ rows: 2, estimatedTotal: 3 }, { rows: 3, estimatedTotal: 3 }]);
  });
});

describe('listStream', () => {
  it('reads a whole list as one organization slice of master data, with no cursor', async () => {
    const asked: (string | null)[] = [];
    const stream = listStream<string>({ name: 'journals', pages: (cursor) => (asked.push(cursor), pagesOf({ values: ['a'], estimatedTotal: null })), toEvents: (id) => [journal(id)] });
    expect({ scope: stream.scope, replaces: stream.replaces, incremental: stream.incremental }).toEqual({ scope: 'organization', replaces: 'masters', incremental: false });
    const { pages, returned } = await drain(stream.read({ fiscalYear: null, cursor: 'stale' }));
    expect(pages).toHaveLength(1);
    expect(asked).toEqual([null]);
    expect(returned).toBeNull();
  });

  it('reads an incremental list from its cursor and returns the cursor taken before the first page', async () => {
    const order: string[] = [];
    let now = 1;
    const stream = listStream<string>({
      name: 'customers',
      pages: (cursor) => {
        order.push(`pages since ${cursor}`);
        return (async function* () {
          now = 2;
          yield { values: ['a'], estimatedTotal: null };
        })();
      },
      toEvents: (id) => [journal(id)],
      nextCursor: () => (order.push('cursor taken'), `t${now}`),
    });
    expect(stream.incremental).toBe(true);
    const { returned } = await drain(stream.read({ fiscalYear: null, cursor: 't0' }));
    expect(order).toEqual(['cursor taken', 'pages since t0']);
    expect(returned).toBe('t1');
  });
});

describe('fiscalYearStream', () => {
  it("gives the slice's year, with the provider's own id for it, to the read", async () => {
    const seen: string[] = [];
    const stream = fiscalYearStream({
      name: 'vouchers',
      replaces: 'vouchers',
      async *read(y) {
        seen.push(`${y.label} ${y.source_year_ref}`);
        yield [];
        return 'cursor';
      },
    });
    expect({ scope: stream.scope, replaces: stream.replaces, incremental: stream.incremental }).toEqual({ scope: 'fiscal_year', replaces: 'vouchers', incremental: false });
    expect((await drain(stream.read({ fiscalYear: year, cursor: null }))).returned).toBe('cursor');
    expect(seen).toEqual(['2025 60001']);
  });

  it('fails the read, not the call that starts it, when given no year', async () => {
    const stream = fiscalYearStream({ name: 'opening_balances', replaces: 'balances', read: async function* () { return null; } });
    const read = stream.read({ fiscalYear: null, cursor: null });
    await expect(read.next()).rejects.toThrow(StreamSliceError);
    await expect(drain(stream.read({ fiscalYear: null, cursor: null }))).rejects.toThrow('the opening_balances stream reads one fiscal year at a time; no year was given.');
  });
});

describe('requireYear', () => {
  it("gives the slice's year, and names the stream when there is none", () => {
    expect(requireYear({ fiscalYear: year, cursor: null }, 'vouchers')).toBe(year);
    expect(() => requireYear({ fiscalYear: null, cursor: null }, 'vouchers')).toThrow(expect.objectContaining({ name: 'StreamSliceError', stream: 'vouchers' }));
  });
});
