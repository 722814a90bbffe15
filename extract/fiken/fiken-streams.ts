// The Fiken streams: each an async generator of ledger-event pages for one slice.
import type { IsoDate, SourceLocation } from '../../model/index.ts';
import type { SourceStream, StreamEvent } from '../source.ts';
import { fiscalYearStream, listStream, mappedPages } from '../stream-kit.ts';
import { addDays } from '../../model/index.ts';
import type { FikenClient } from './fiken-client.ts';
import { accountRow, carriesOver, partyRows, projectRow, splitAccount, voucher, type FxContact, type FxJournalEntry } from './fiken-mapping.ts';

/** What every Fiken stream reads through: the client, the company's path and Oslo's today. */
export interface FikenStreamContext {
  client: FikenClient;
  /** `companies/<slug>` */
  company: string;
  today: () => IsoDate;
}

const at = (path: string): SourceLocation => ({ file: 'fiken', path });

/** Entries changed on the cursor's day may have been read before they changed: re-read a day back. */
const OVERLAP_DAYS = 1;

/** A master-data stream: every page of one of the company's lists. */
function list<T>(name: string, path: string, toEvents: (row: T) => StreamEvent[]): (ctx: FikenStreamContext) => SourceStream {
  return ({ client, company }) => listStream<T>({ name, pages: () => client.pages<T>(`${company}/${path}`), toEvents });
}

export const accounts = list<{ code: string; name: string }>('accounts', 'accounts', (a) =>
  a.code.includes(':') ? [] : [{ kind: 'account', row: accountRow(a.code, a.name), location: at(`accounts/${a.code}`) }],
);

export const projects = list<{ projectId: number; number?: string; name?: string; completed?: boolean }>('projects', 'projects', (p) => [
  { kind: 'dimension', row: projectRow(p), location: at(`projects/${p.projectId}`) },
]);

export const contacts = list<FxContact>('contacts', 'contacts', (c) => partyRows(c).map((row) => ({ kind: 'party', row, location: at(`contacts/${c.contactId}`) })));

/** A year's journal entries; after the first read, those modified since the day before the last. */
export function journalEntries({ client, company, today }: FikenStreamContext): SourceStream {
  return fiscalYearStream({
    name: 'vouchers',
    replaces: 'vouchers',
    incremental: true,
    async *read(year, slice) {
      const readOn = today();
      const query: Record<string, string> = { dateGe: year.start_date, dateLe: year.end_date };
      // Day-granular: re-read from the day before the last read and let the commit keep only real changes.
      if (slice.cursor) query.lastModifiedGe = addDays(slice.cursor, -OVERLAP_DAYS);
      yield* mappedPages(client.pages<FxJournalEntry>(`${company}/journalEntries`, query), slice, (e) => [
        { kind: 'voucher', voucher: voucher(e), location: at(`journalEntries/${e.journalEntryId}`) },
      ]);
      return readOn;
    },
  });
}

/** A year's opening and closing balance per account, from Fiken's balances on two dates. */
export function balances({ client, company }: FikenStreamContext): SourceStream {
  return fiscalYearStream({
    name: 'opening_balances',
    replaces: 'balances',
    async *read(year, slice) {
      // Fiken states closing balances for a date; the day before the year gives its opening.
      for (const [type, date] of [['opening', addDays(year.start_date, -1)], ['closing', year.end_date]] as const) {
        const totals = new Map<string, { name: string; amount: bigint }>();
        for await (const page of client.pages<{ code: string; name: string; balance: number }>(`${company}/accountBalances`, { date })) {
          for (const b of page.values) {
            const { account } = splitAccount(b.code);
            const t = totals.get(account) ?? { name: b.name, amount: 0n };
            if (!Number.isSafeInteger(b.balance)) throw new Error(`fiken: accountBalances on ${date}, account ${b.code}: balance ${JSON.stringify(b.balance)} is not a whole number of øre.`);
            t.amount += BigInt(b.balance);
            if (b.code === account) t.name = b.name;
            totals.set(account, t);
          }
          slice.onPage?.({ rows: totals.size, estimatedTotal: page.estimatedTotal });
        }
        const events: StreamEvent[] = [];
        for (const [account, t] of totals) {
          const location = at(`accountBalances?date=${date}`);
          // The chart is served for the current year only: older years' accounts come from here.
          if (type === 'closing') events.push({ kind: 'account', row: accountRow(account, t.name), location });
          const amount = type === 'opening' && !carriesOver(account) ? 0n : t.amount;
          events.push({ kind: 'balance', row: { account_id: account, balance_type: type, as_of: type === 'opening' ? year.start_date : year.end_date, dimension_type: null, dimension_id: null, amount }, location });
        }
        yield events;
      }
      return null;
    },
  });
}
