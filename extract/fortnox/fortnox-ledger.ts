// The ledger of a fiscal year: Fortnox's SIE 4 export of the year (one request for every
// voucher with its rows, and the year's #IB/#UB/#RES), or, between full reads, the vouchers
// changed since the last run, fetched one by one when that costs fewer requests (see
// fortnox-read-plan.ts). The balances the export states are kept for the balances stream,
// so a year read in full costs one export, not two.
import { Transform, type Readable } from 'node:stream';
import { readSie } from '../../formats/index.ts';
import type { Clock, SourceBalance, SourceLocation } from '../../model/index.ts';
import type { SourceFiscalYear, SourceStream, StreamEvent, StreamSlice } from '../source.ts';
import { ProviderHttpError } from '../http/provider-error.ts';
import { fiscalYearStream, inOrder } from '../stream-kit.ts';
import type { FortnoxClient } from './fortnox-client.ts';
import { voucher, type FxVoucher, type FxVoucherListItem } from './fortnox-mapping.ts';
import { decodeCursor, encodeCursor, fetchOneByOne, lastModifiedSince, type LedgerCursor } from './fortnox-read-plan.ts';

/** Single vouchers in flight at once: the client's window keeps them within the 25 per 5 s. */
const VOUCHERS_IN_FLIGHT = 4;
/** Events per page handed to the engine. */
const PAGE_EVENTS = 500;

/** What the ledger streams of one source share: the client, the clock, and what one read left for the next. */
export interface FortnoxLedgerContext {
  client: FortnoxClient;
  clock: Clock;
  /** The balances of a year's export, by the year's Fortnox id, until the balances stream takes them. */
  exportBalances: Map<string, { row: SourceBalance; location: SourceLocation }[]>;
  /** The years whose ledger this source read (their charts are read by the accounts stream). */
  yearsRead: Map<string, SourceFiscalYear>;
  /** How the last read of each year went, for tests and the debug log. */
  plans: Map<string, LedgerReadPlan>;
  log?: (line: string) => void;
  /** The API refused a SIE 1 export once: ask for type 4 from then on. */
  noSie1?: boolean;
}

export type LedgerReadPlan = { kind: 'export'; reason: 'first read' | 'full read' | 'cheaper than one by one'; changed: number | null } | { kind: 'one-by-one'; changed: number };

const at = (path: string): SourceLocation => ({ file: 'fortnox', path });

export function ledger(ctx: FortnoxLedgerContext): SourceStream {
  return fiscalYearStream({
    name: 'vouchers',
    replaces: 'vouchers',
    incremental: true,
    async *read(year, slice) {
      const readAt = ctx.clock.now();
      ctx.yearsRead.set(year.source_year_ref, year);
      const cursor = decodeCursor(slice.cursor);
      if (cursor) {
        const topUp = yield* changedVouchers(ctx, year, slice, cursor);
        if (topUp) return encodeCursor({ readAt, exportBytes: cursor.exportBytes });
        // The export is cheaper: it reads the whole year, so the commit replaces the whole year.
        slice.readWhole?.();
      } else {
        ctx.plans.set(year.source_year_ref, { kind: 'export', reason: slice.cursor === null ? 'first read' : 'full read', changed: null });
      }
      const exportBytes = yield* exportedYear(ctx, year, slice);
      return encodeCursor({ readAt, exportBytes });
    },
  });
}

/**
 * The vouchers changed since `cursor`, one by one, when that is cheaper than an export;
 * false (having yielded nothing) when it is not.
 */
async function* changedVouchers(ctx: FortnoxLedgerContext, year: SourceFiscalYear, slice: StreamSlice, cursor: LedgerCursor): AsyncGenerator<StreamEvent[], boolean> {
  const ref = year.source_year_ref;
  const list = ctx.client.pages<FxVoucherListItem>('vouchers', 'Vouchers', { financialyear: ref, lastmodified: lastModifiedSince(cursor) });
  const first = await list.next();
  const firstPage = first.done ? { values: [], estimatedTotal: 0, totalPages: 1 } : first.value;
  const changed = firstPage.estimatedTotal ?? firstPage.values.length;
  if (!fetchOneByOne({ changed, listPages: firstPage.totalPages ?? 1, exportBytes: cursor.exportBytes, rate: ctx.client.rate })) {
    await list.return(undefined);
    ctx.plans.set(ref, { kind: 'export', reason: 'cheaper than one by one', changed });
    ctx.log?.(`[fortnox] financial year ${year.label}: ${changed} vouchers changed; a new SIE export costs fewer requests than fetching them one by one`);
    return false;
  }
  ctx.plans.set(ref, { kind: 'one-by-one', changed });
  const items = [...firstPage.values];
  for await (const page of list) items.push(...page.values);
  let rows = 0;
  let events: StreamEvent[] = [];
  const fetched = inOrder(items, VOUCHERS_IN_FLIGHT, async function* (item) {
    const path = `vouchers/${encodeURIComponent(item.VoucherSeries)}/${encodeURIComponent(String(item.VoucherNumber))}`;
    const body = await ctx.client.get<{ Voucher: FxVoucher }>(path, { financialyear: ref });
    yield { v: body.Voucher, path };
  });
  for await (const { v, path } of fetched) {
    events.push({ kind: 'voucher', voucher: voucher(v), location: at(path) });
    rows++;
    if (events.length >= 50) {
      slice.onPage?.({ rows, estimatedTotal: changed });
      yield events;
      events = [];
    }
  }
  slice.onPage?.({ rows, estimatedTotal: changed });
  if (events.length) yield events;
  return true;
}

/** The year's SIE 4 export, streamed into the SIE reader; returns its size in bytes. */
async function* exportedYear(ctx: FortnoxLedgerContext, year: SourceFiscalYear, slice: StreamSlice): AsyncGenerator<StreamEvent[], number> {
  const body = await ctx.client.stream('sie/4', { financialyear: year.source_year_ref });
  const counted = countBytes(body);
  const balances: { row: SourceBalance; location: SourceLocation }[] = [];
  let rows = 0;
  let events: StreamEvent[] = [];
  for await (const event of readSie({ name: `fortnox sie/4 financial year ${year.label}`, stream: counted.stream })) {
    switch (event.kind) {
      case 'voucher':
        rows++;
        events.push(event);
        break;
      case 'balance':
        if (event.row.as_of >= year.start_date && event.row.as_of <= year.end_date) balances.push({ row: event.row, location: event.location });
        break;
      case 'issue':
        events.push(event);
        break;
      default:
        // The chart, series and objects come from their own streams; the header is the engine's.
        break;
    }
    if (events.length >= PAGE_EVENTS) {
      slice.onPage?.({ rows, estimatedTotal: null });
      yield events;
      events = [];
    }
  }
  slice.onPage?.({ rows, estimatedTotal: null });
  if (events.length) yield events;
  ctx.exportBalances.set(year.source_year_ref, balances);
  return counted.bytes();
}

/**
 * The year's opening and closing balances as Fortnox states them (#IB, #UB, #RES): from the
 * export the ledger stream just read, else from the SIE 1 export (year balances only, small).
 */
export function balances(ctx: FortnoxLedgerContext): SourceStream {
  return fiscalYearStream({
    name: 'opening_balances',
    replaces: 'balances',
    async *read(year, slice) {
      let stated = ctx.exportBalances.get(year.source_year_ref);
      ctx.exportBalances.delete(year.source_year_ref);
      if (!stated) {
        stated = [];
        const { type, body } = await yearBalancesExport(ctx, year);
        for await (const event of readSie({ name: `fortnox sie/${type} financial year ${year.label}`, stream: body })) {
          if (event.kind === 'balance' && event.row.as_of >= year.start_date && event.row.as_of <= year.end_date) stated.push({ row: event.row, location: event.location });
        }
      }
      slice.onPage?.({ rows: stated.length, estimatedTotal: null });
      yield stated.map(({ row, location }) => ({ kind: 'balance', row, location }));
      return null;
    },
  });
}

/**
 * SIE 1 (year balances only) where Fortnox serves it; an API that refuses type 1 (400) gets
 * asked for type 4, once per source, and the balances are read from it.
 */
async function yearBalancesExport(ctx: FortnoxLedgerContext, year: SourceFiscalYear): Promise<{ type: 1 | 4; body: Readable }> {
  if (!ctx.noSie1) {
    try {
      return { type: 1, body: await ctx.client.stream('sie/1', { financialyear: year.source_year_ref }) };
    } catch (error) {
      if (!(error instanceof ProviderHttpError) || error.status !== 400) throw error;
      ctx.noSie1 = true;
      ctx.log?.('[fortnox] the API does not export SIE type 1; year balances come from the SIE 4 export');
    }
  }
  return { type: 4, body: await ctx.client.stream('sie/4', { financialyear: year.source_year_ref }) };
}

function countBytes(body: Readable): { stream: Readable; bytes: () => number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  body.on('error', (error) => counter.destroy(error));
  return { stream: body.pipe(counter), bytes: () => bytes };
}
