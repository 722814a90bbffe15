// The Fennoa streams: each an async generator of ledger-event pages for one slice. Every page
// first carries the fields the run has newly found missing (once per run, see fennoa-fields.ts).
import { addDays, addMonths, monthStart, type FiscalYearRow, type SourceLocation } from '../../model/index.ts';
import type { SourceStream, StreamEvent } from '../source.ts';
import { fiscalYearStream, inOrder, listStream } from '../stream-kit.ts';
import type { FennoaClient } from './fennoa-client.ts';
import { readRows, type ReadRow, type RowShape } from './fennoa-fields.ts';
import { accountRow, dimensionRow, journalRow, money, shapes, STATEMENT_SERIES, statements, taxCodeRow } from './fennoa-mapping.ts';

const at = (path: string): SourceLocation => ({ file: 'fennoa', path });

/** What the streams read through: the client, and the dimension types (asked for once per run). */
export interface FennoaStreamContext {
  client: FennoaClient;
  dimensionTypes: () => Promise<Map<string, string>>;
}

/** One unpaged list, read and checked against its shape. */
export async function readList(client: FennoaClient, path: string, shape: RowShape): Promise<ReadRow[]> {
  const where = `GET ${path}`;
  return readRows((await client.get(path, {}, where)).data, shape, client.report, where);
}

/** A master-data stream over one unpaged list. */
function list(name: string, path: string, shape: RowShape, toEvents: (row: ReadRow, ctx: FennoaStreamContext) => StreamEvent[] | Promise<StreamEvent[]>) {
  return (ctx: FennoaStreamContext): SourceStream =>
    listStream<StreamEvent[]>({
      name,
      pages: async function* () {
        const rows = await readList(ctx.client, path, shape);
        const events: StreamEvent[] = [];
        for (const row of rows) events.push(...(await toEvents(row, ctx)));
        yield { values: [[...ctx.client.report.drain(), ...events]], estimatedTotal: rows.length };
      },
      toEvents: (events) => events,
    });
}

export const accounts = list('accounts', 'accounting_api/get/accounts', shapes.accounts, (r) => {
  const row = accountRow(r);
  return [{ kind: 'account', row, location: at(`accounting_api/get/accounts/${row.account_id}`) }];
});

export const taxCodes = list('tax_codes', 'accounting_api/get/vatcodes', shapes.vatcodes, (r) => {
  const row = taxCodeRow(r);
  return [{ kind: 'tax_code', row, location: at(`accounting_api/get/vatcodes/${row.tax_code}`) }];
});

export const dimensions = list('dimensions', 'dimension_api', shapes.dimensions, async (r, ctx) => {
  const row = dimensionRow(r, await ctx.dimensionTypes());
  return [{ kind: 'dimension', row, location: at(`dimension_api/${String(r.row.id ?? row.dimension_id)}`) }];
});

/** The statement series Fennoa documents; no endpoint lists them, so no request is made. */
export function journals(ctx: FennoaStreamContext): SourceStream {
  return listStream<StreamEvent[]>({
    name: 'journals',
    pages: async function* () {
      yield { values: [[...ctx.client.report.drain(), ...STATEMENT_SERIES.map((s): StreamEvent => ({ kind: 'journal', row: journalRow(s), location: at(`statement_series/${s.code}`) }))]], estimatedTotal: null };
    },
    toEvents: (events) => events,
  });
}

/** A period's opening balance per account, as Fennoa states it. */
export function openingBalances({ client }: FennoaStreamContext): SourceStream {
  return fiscalYearStream({
    name: 'opening_balances',
    replaces: 'balances',
    async *read(year, slice) {
      const path = `accounting_api/get/opening_balances/${encodeURIComponent(year.source_year_ref)}`;
      const rows = await readList(client, path, shapes.openingBalances);
      slice.onPage?.({ rows: rows.length, estimatedTotal: rows.length });
      const events: StreamEvent[] = rows.map(({ row }) => {
        const account = String(row.account);
        const amount = money(row.balance, `GET ${path}, account ${account}`, 'balance') ?? 0n;
        return {
          kind: 'balance',
          row: { account_id: account, balance_type: 'opening', as_of: year.start_date, dimension_type: null, dimension_id: null, amount },
          location: at(`${path}/${account}`),
        };
      });
      yield [...client.report.drain(), ...events];
      return null;
    },
  });
}

/** Windows read at once: enough for the rate limit, not the round trips, to set the pace. */
const WINDOWS_IN_FLIGHT = 6;

/**
 * A period's ledger rows, a month at a time (`start_date`/`end_date` inclusive) and page by
 * page, as statements with their rows. Fennoa documents no changed-since filter, so a year is
 * read whole and the slice commit keeps only what changed.
 */
export function vouchers(ctx: FennoaStreamContext): SourceStream {
  const { client } = ctx;
  return fiscalYearStream({
    name: 'vouchers',
    replaces: 'vouchers',
    async *read(year, slice) {
      const types = await ctx.dimensionTypes();
      let rowsRead = 0;
      async function* windowEvents([from, to]: [string, string]): AsyncGenerator<StreamEvent[]> {
        const path = `accounting_api/get/ledger/${from}/${to}`;
        const rows: ReadRow[] = [];
        for await (const page of client.pages(path)) rows.push(...readRows(page.data, shapes.ledger, client.report, page.where));
        yield statements(rows, types, `GET ${path}`).map(({ voucher }) => ({
          kind: 'voucher',
          voucher,
          location: at(`${path}#${voucher.journal_id}/${voucher.voucher_number}`),
        }));
      }
      for await (const events of inOrder(monthWindows(year), WINDOWS_IN_FLIGHT, windowEvents)) {
        for (const e of events) if (e.kind === 'voucher') rowsRead += e.voucher.lines.length;
        slice.onPage?.({ rows: rowsRead, estimatedTotal: null });
        yield [...client.report.drain(), ...events];
      }
      return null;
    },
  });
}

/** `[first day, last day]` of each month of the year, both inclusive as Fennoa's ledger takes them. */
export function monthWindows(year: FiscalYearRow): [string, string][] {
  const windows: [string, string][] = [];
  for (let from = year.start_date; from <= year.end_date; ) {
    const next = addMonths(monthStart(from), 1);
    const last = addDays(next, -1) < year.end_date ? addDays(next, -1) : year.end_date;
    windows.push([from, last]);
    from = next;
  }
  return windows;
}
