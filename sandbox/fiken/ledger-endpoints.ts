// The general ledger: GET /journalEntries (filters on date, lastModified and createdDate),
// /journalEntries/{journalEntryId} (+ /attachments, always empty here), /transactions
// (filters on lastModified and createdDate; Fiken has no date filter there) and
// /transactions/{transactionId}. Lists run in creation order, which is entry index order.
import { notFound } from './api-error.ts';
import { companyOf, integerParam, ok, type ApiContext, type ApiRoute } from './api-route.ts';
import { dayRange, inRange, isAll, type DayRange } from './date-filter.ts';
import type { FikenCompany } from './fiken-company.ts';
import { pagedResponse } from './paging.ts';
import { journalEntryView, transactionView } from './views.ts';

export function ledgerRoutes(): ApiRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/journalEntries',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const q = ctx.req.query;
        const entries = select(c, { date: dayRange(q, 'date'), modified: dayRange(q, 'lastModified'), created: dayRange(q, 'createdDate') });
        return pagedResponse(q, entries.length, (start, end) => pick(entries, start, end, (e) => journalEntryView(c, e)));
      },
    },
    { method: 'GET', pattern: '/companies/{companySlug}/journalEntries/{journalEntryId}', handle: (ctx) => ok(journalEntryView(companyOf(ctx), journalEntry(ctx))) },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/journalEntries/{journalEntryId}/attachments',
      handle: (ctx) => {
        journalEntry(ctx);
        return ok([]);
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/transactions',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const q = ctx.req.query;
        const entries = select(c, { modified: dayRange(q, 'lastModified'), created: dayRange(q, 'createdDate') });
        return pagedResponse(q, entries.length, (start, end) => pick(entries, start, end, (e) => transactionView(c, e)));
      },
    },
    {
      method: 'GET',
      pattern: '/companies/{companySlug}/transactions/{transactionId}',
      handle: (ctx) => {
        const c = companyOf(ctx);
        const e = c.entryOfTransactionId(integerParam('transactionId', ctx.params.transactionId));
        if (e < 0) throw notFound(`No transaction ${ctx.params.transactionId}.`);
        return ok(transactionView(c, e));
      },
    },
  ];
}

function journalEntry(ctx: ApiContext): number {
  const c = companyOf(ctx);
  const e = c.entryOfJournalEntryId(integerParam('journalEntryId', ctx.params.journalEntryId));
  if (e < 0) throw notFound(`No journal entry ${ctx.params.journalEntryId}.`);
  return e;
}

interface Filters {
  date?: DayRange;
  modified: DayRange;
  created: DayRange;
}

/** Entries in list order: `at(i)` is the entry index of the i-th. */
interface EntryList {
  length: number;
  at(i: number): number;
}

/** Entry indexes matching every filter, in creation order (without filters: all, no copy). */
function select(c: FikenCompany, f: Filters): EntryList {
  const L = c.ledger;
  if ((!f.date || isAll(f.date)) && isAll(f.modified) && isAll(f.created)) return { length: L.count, at: (i) => i };
  const out = new Int32Array(L.count);
  let n = 0;
  for (let e = 0; e < L.count; e++) {
    if (f.date && !inRange(f.date, L.day[e]!)) continue;
    if (!inRange(f.modified, L.modified[e]!) || !inRange(f.created, L.created[e]!)) continue;
    out[n++] = e;
  }
  return { length: n, at: (i) => out[i]! };
}

function pick(entries: EntryList, start: number, end: number, view: (e: number) => unknown): unknown[] {
  const out: unknown[] = [];
  for (let i = start; i < end; i++) out.push(view(entries.at(i)));
  return out;
}
