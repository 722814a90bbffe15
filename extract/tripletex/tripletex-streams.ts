// The Tripletex streams: each an async generator of ledger-event pages for one slice.
import type { FiscalYearRow, SourceLocation } from '../../model/index.ts';
import type { SourceStream, StreamEvent } from '../source.ts';
import { fiscalYearStream, inOrder, listStream, mappedPages, type ListPage } from '../stream-kit.ts';
import type { TripletexClient } from './tripletex-client.ts';
import { addDays, addMonths, monthStart, osloDateTime } from '../../model/index.ts';
import {
  accountRow,
  departmentRow,
  journalRow,
  money,
  partyRow,
  projectRow,
  taxCodeRow,
  voucher,
  type TxAccount,
  type TxVoucher,
} from './tripletex-mapping.ts';

const at = (path: string): SourceLocation => ({ file: 'tripletex', path });

/** A master-data stream: every row of one list, mapped and paged through. */
function masterStream<T>(
  name: string,
  path: string,
  fields: string,
  toEvent: (row: T) => StreamEvent | null,
  incremental?: { query: (since: string) => Record<string, string> },
): (client: TripletexClient) => SourceStream {
  return (client) =>
    listStream<T>({
      name,
      pages: (cursor) => client.pages<T>(path, { fields, ...(incremental && cursor ? incremental.query(cursor) : {}) }),
      toEvents: (row) => {
        const event = toEvent(row);
        return event ? [event] : [];
      },
      nextCursor: incremental && (() => new Date(client.clock.now()).toISOString()),
    });
}

/** Changes are re-read from an hour behind the cursor: our clock and Tripletex's need not agree. */
const OVERLAP_MS = 3_600_000;
/** Tripletex reads `changedSince` as Norwegian local time, to the second. */
const changedSince = (cursor: string) => ({ changedSince: osloDateTime(Date.parse(cursor) - OVERLAP_MS).slice(0, 19) });

export const accounts = masterStream<TxAccount>('accounts', 'ledger/account', 'id,number,name,type,isInactive,vatType(number),saftCode,groupingCode', (a) => ({
  kind: 'account',
  row: accountRow(a),
  location: at(`ledger/account/${a.id}`),
}));

export const journals = masterStream<{ id: number; name: string }>('journals', 'ledger/voucherType', 'id,name', (t) => ({
  kind: 'journal',
  row: journalRow(t),
  location: at(`ledger/voucherType/${t.id}`),
}));

export const taxCodes = masterStream<{ id: number; number?: string; name?: string; percentage?: number }>('tax_codes', 'ledger/vatType', 'id,number,name,percentage', (v) => {
  const row = taxCodeRow(v);
  return row && { kind: 'tax_code', row, location: at(`ledger/vatType/${v.id}`) };
});

export const departments = masterStream<{ id: number; departmentNumber?: string; name?: string; isInactive?: boolean }>(
  'departments', 'department', 'id,departmentNumber,name,isInactive', (d) => {
    const row = departmentRow(d);
    return row && { kind: 'dimension', row, location: at(`department/${d.id}`) };
  },
);

export const projects = masterStream<{ id: number; number?: string; name?: string; isClosed?: boolean }>('projects', 'project', 'id,number,name,isClosed', (p) => {
  const row = projectRow(p);
  return row && { kind: 'dimension', row, location: at(`project/${p.id}`) };
});

export const customers = masterStream<{ id: number; customerNumber?: number; name?: string; organizationNumber?: string }>(
  'customers', 'customer', 'id,customerNumber,name,organizationNumber', (c) => {
    const row = partyRow('customer', c);
    return row && { kind: 'party', row, location: at(`customer/${c.id}`) };
  },
  { query: changedSince },
);

export const suppliers = masterStream<{ id: number; supplierNumber?: number; name?: string; organizationNumber?: string }>(
  'suppliers', 'supplier', 'id,supplierNumber,name,organizationNumber', (s) => {
    const row = partyRow('supplier', s);
    return row && { kind: 'party', row, location: at(`supplier/${s.id}`) };
  },
  { query: changedSince },
);

const voucherFields =
  'id,number,tempNumber,year,date,description,voucherType(id),' +
  'postings(id,row,description,amount,amountCurrency,currency(code),account(number),customer(customerNumber),supplier(supplierNumber),department(departmentNumber),project(number),vatType(number))';

/** Months fetched at once: enough to keep the rate limit, not the round trips, the bottleneck. */
const MONTHS_IN_FLIGHT = 4;

/**
 * Vouchers with their postings, a month at a time (`dateTo` is exclusive) so no request hits
 * "result set too large". Postings have no changed-since filter, so a year is read whole:
 * the slice commit then keeps only what changed. Months are fetched a few at a time; their
 * pages are yielded in order, each as soon as the pages before it are.
 */
export function vouchers(client: TripletexClient, baseCurrency: () => string): SourceStream {
  // A month's total is not the year's: progress counts the rows read.
  async function* monthPages([from, to]: [string, string]): AsyncGenerator<ListPage<TxVoucher>> {
    for await (const page of client.pages<TxVoucher>('ledger/voucher', { dateFrom: from, dateTo: to, fields: voucherFields })) yield { values: page.values, estimatedTotal: null };
  }
  return fiscalYearStream({
    name: 'vouchers',
    replaces: 'vouchers',
    async *read(year, slice) {
      yield* mappedPages(inOrder(monthWindows(year), MONTHS_IN_FLIGHT, monthPages), slice, (v) => [
        { kind: 'voucher', voucher: voucher(v, baseCurrency()), location: at(`ledger/voucher/${v.id}`) },
      ]);
      return null;
    },
  });
}

/** Opening and closing balance per account, as Tripletex's balance sheet states them. */
export function balances(client: TripletexClient): SourceStream {
  type Row = { account?: { number?: number } | null; balanceIn?: number; balanceOut?: number };
  return fiscalYearStream({
    name: 'opening_balances',
    replaces: 'balances',
    async *read(year, slice) {
      const query = {
        dateFrom: year.start_date,
        dateTo: addDays(year.end_date, 1),
        includeActiveAccountsWithoutMovements: 'true',
        fields: 'account(number),balanceIn,balanceOut',
      };
      yield* mappedPages(client.pages<Row>('balanceSheet', query), slice, (r): StreamEvent[] => {
        const account = r.account?.number;
        if (account == null) return [];
        const location = at(`balanceSheet/${account}`);
        const common = { account_id: String(account), dimension_type: null, dimension_id: null };
        return [
          { kind: 'balance', row: { ...common, balance_type: 'opening', as_of: year.start_date, amount: money(r.balanceIn ?? 0, `balanceSheet ${year.label}, account ${account}, balanceIn`) }, location },
          { kind: 'balance', row: { ...common, balance_type: 'closing', as_of: year.end_date, amount: money(r.balanceOut ?? 0, `balanceSheet ${year.label}, account ${account}, balanceOut`) }, location },
        ];
      });
      return null;
    },
  });
}

/** `[first day, first day of the next month)` windows covering the year. */
export function monthWindows(year: FiscalYearRow): [string, string][] {
  const windows: [string, string][] = [];
  for (let from = year.start_date; from <= year.end_date; ) {
    const next = addMonths(monthStart(from), 1);
    const to = next > addDays(year.end_date, 1) ? addDays(year.end_date, 1) : next;
    windows.push([from, to]);
    from = to;
  }
  return windows;
}
