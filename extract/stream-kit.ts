// What every connector's streams are made of: list streams of master data, fiscal-year
// streams, pages of rows mapped to events with progress per page, and ordered read-ahead.
import type { SourceFiscalYear, SourceStream, StreamEvent, StreamSlice } from './source.ts';

/** One page of a provider's list: its rows, and the total when the provider estimates one. */
export interface ListPage<T> {
  values: readonly T[];
  estimatedTotal: number | null;
}

/** A stream was asked for a slice it cannot read (a fiscal-year stream given no year). */
export class StreamSliceError extends Error {
  override readonly name = 'StreamSliceError';
  constructor(readonly stream: string, message: string) {
    super(message);
  }
}

/** The year a fiscal-year stream reads; fails, naming the stream, when it was given none. */
export function requireYear(slice: StreamSlice, stream: string): SourceFiscalYear {
  if (!slice.fiscalYear) throw new StreamSliceError(stream, `the ${stream} stream reads one fiscal year at a time; no year was given.`);
  return slice.fiscalYear;
}

/** Pages of rows as pages of events, reporting the rows read so far after every page. */
export async function* mappedPages<T>(
  pages: AsyncIterable<ListPage<T>>,
  slice: StreamSlice,
  toEvents: (row: T) => readonly StreamEvent[],
): AsyncGenerator<StreamEvent[], void> {
  let rows = 0;
  for await (const page of pages) {
    rows += page.values.length;
    slice.onPage?.({ rows, estimatedTotal: page.estimatedTotal });
    yield page.values.flatMap(toEvents);
  }
}

export interface ListStreamSpec<T> {
  name: string;
  /** Every page of the list; an incremental stream gets its cursor (`null`: read it all). */
  pages: (cursor: string | null) => AsyncIterable<ListPage<T>>;
  toEvents: (row: T) => readonly StreamEvent[];
  /**
   * Makes the stream incremental: the cursor to store, taken before the first page is asked
   * for, so whatever changes during the read is read again next time.
   */
  nextCursor?: () => string;
}

/** A master-data stream: every page of one list of the organization, mapped to events. */
export function listStream<T>(spec: ListStreamSpec<T>): SourceStream {
  return {
    name: spec.name,
    scope: 'organization',
    replaces: 'masters',
    incremental: spec.nextCursor !== undefined,
    async *read(slice) {
      const next = spec.nextCursor?.() ?? null;
      yield* mappedPages(spec.pages(spec.nextCursor ? slice.cursor : null), slice, spec.toEvents);
      return next;
    },
  };
}

export interface FiscalYearStreamSpec {
  name: string;
  replaces: 'vouchers' | 'balances' | 'documents';
  /** An incremental stream returns its next cursor from `read`. */
  incremental?: boolean;
  read: (year: SourceFiscalYear, slice: StreamSlice) => AsyncGenerator<StreamEvent[], string | null>;
}

/** A stream read one fiscal year at a time: `read` gets the slice's year. */
export function fiscalYearStream(spec: FiscalYearStreamSpec): SourceStream {
  return {
    name: spec.name,
    scope: 'fiscal_year',
    replaces: spec.replaces,
    incremental: spec.incremental ?? false,
    // A generator of its own, so a missing year fails the read, not the call that starts it.
    async *read(slice) {
      return yield* spec.read(requireYear(slice, spec.name), slice);
    },
  };
}

/**
 * Runs `work` over `items` with at most `limit` generators in flight, yielding their values
 * in input order: an item's values as soon as every earlier item is done.
 */
export async function* inOrder<I, O>(items: readonly I[], limit: number, work: (item: I) => AsyncIterable<O>): AsyncGenerator<O> {
  type Drained = { values: O[]; done: boolean; failure: { error: unknown } | null; wake: (() => void) | null };
  const started: Drained[] = [];
  const start = () => {
    const d: Drained = { values: [], done: false, failure: null, wake: null };
    const item = items[started.length]!;
    started.push(d);
    void (async () => {
      try {
        for await (const value of work(item)) {
          d.values.push(value);
          d.wake?.();
        }
      } catch (error) {
        d.failure = { error };
      }
      d.done = true;
      d.wake?.();
    })();
  };
  for (let i = 0; i < items.length; i++) {
    while (started.length < items.length && started.length < i + limit) start();
    const d = started[i]!;
    for (;;) {
      if (d.values.length > 0) {
        yield d.values.shift()!;
      } else if (d.failure) {
        throw d.failure.error;
      } else if (d.done) {
        break;
      } else {
        await new Promise<void>((resolve) => (d.wake = resolve));
        d.wake = null;
      }
    }
  }
}
