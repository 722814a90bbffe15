import type { FiscalYearRow, LedgerEvent, OrganizationInfo, SourceLocation } from '../../model/index.ts';
import type { Source, SourceStream, StreamSlice } from '../source.ts';
import { addDays, osloToday, systemClock, type Clock } from '../../model/index.ts';
import { FikenClient, type FikenPage } from './fiken-client.ts';
import {
  accountRow,
  carriesOver,
  fiscalYears,
  partyRows,
  projectRow,
  splitAccount,
  voucher,
  type FxContact,
  type FxJournalEntry,
} from './fiken-mapping.ts';
import type { RatePolicy, RetryPolicy } from '../http/http-client.ts';
import type { OAuth2Session } from '../oauth2/index.ts';

export interface FikenSourceOptions {
  apiBaseUrl: string;
  companySlug: string;
  session: OAuth2Session;
  /** Identifies the consent (the Fiken user): companies of one consent share one request queue. */
  consentKey: string;
  rate?: RatePolicy;
  retry?: Partial<RetryPolicy>;
  log?: (line: string) => void;
  /** Fiken's dates are Norway's: today is the Oslo date of this clock's. */
  clock?: Clock;
}

interface FxCompany {
  name: string;
  slug: string;
  organizationNumber?: string | null;
  accountingStartDate?: string | null;
  hasApiAccess?: boolean | null;
}

/** Entries changed on the cursor's day may have been read before they changed: re-read a day back. */
const OVERLAP_DAYS = 1;

/** The Fiken connector: one company of one consent, and its streams. */
export function fikenSource(options: FikenSourceOptions): Source {
  const client = new FikenClient({ baseUrl: options.apiBaseUrl, session: options.session, consentKey: options.consentKey, rate: options.rate, retry: options.retry, log: options.log });
  const today = () => osloToday(options.clock ?? systemClock);
  const company = `companies/${encodeURIComponent(options.companySlug)}`;
  const at = (path: string): SourceLocation => ({ file: 'fiken', path });
  let details: Promise<FxCompany> | null = null;
  const companyDetails = () => (details ??= client.get<FxCompany>(company).then((r) => r.body));

  /** A stream reading every page of one list and mapping each row to events. */
  const listStream = <T>(name: string, path: string, toEvents: (row: T) => LedgerEvent[]): SourceStream => ({
    name,
    scope: 'organization',
    replaces: 'masters',
    incremental: false,
    async *read(slice) {
      yield* mappedPages(client.pages<T>(`${company}/${path}`), slice, toEvents);
      return null;
    },
  });

  const journalEntries: SourceStream = {
    name: 'vouchers',
    scope: 'fiscal_year',
    replaces: 'vouchers',
    incremental: true,
    async *read(slice) {
      const year = requireYear(slice);
      const readOn = today();
      const query: Record<string, string> = { dateGe: year.start_date, dateLe: year.end_date };
      // Day-granular: re-read from the day before the last read and let the commit keep only real changes.
      if (slice.cursor) query.lastModifiedGe = addDays(slice.cursor, -OVERLAP_DAYS);
      yield* mappedPages(client.pages<FxJournalEntry>(`${company}/journalEntries`, query), slice, (e) => [
        { kind: 'voucher', voucher: voucher(e), location: at(`journalEntries/${e.journalEntryId}`) },
      ]);
      return readOn;
    },
  };

  const balances: SourceStream = {
    name: 'opening_balances',
    scope: 'fiscal_year',
    replaces: 'balances',
    incremental: false,
    async *read(slice) {
      const year = requireYear(slice);
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
          slice.onPage?.({ rows: totals.size, estimatedTotal: page.total });
        }
        const events: LedgerEvent[] = [];
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
  };

  return {
    provider: 'fiken',
    async organization(): Promise<OrganizationInfo> {
      const c = await companyDetails();
      return { name: c.name, country: 'NO', org_number: c.organizationNumber || null, base_currency: 'NOK', source_company_ref: c.slug };
    },
    async fiscalYears(): Promise<FiscalYearRow[]> {
      return fiscalYears((await companyDetails()).accountingStartDate, today());
    },
    streams: [
      listStream<{ code: string; name: string }>('accounts', 'accounts', (a) => (a.code.includes(':') ? [] : [{ kind: 'account', row: accountRow(a.code, a.name), location: at(`accounts/${a.code}`) }])),
      listStream<{ projectId: number; number?: string; name?: string; completed?: boolean }>('projects', 'projects', (p) => [{ kind: 'dimension', row: projectRow(p), location: at(`projects/${p.projectId}`) }]),
      listStream<FxContact>('contacts', 'contacts', (c) => partyRows(c).map((row) => ({ kind: 'party', row, location: at(`contacts/${c.contactId}`) }))),
      balances,
      journalEntries,
    ],
    close: () => client.close(),
  };
}

async function* mappedPages<T>(pages: AsyncGenerator<FikenPage<T>>, slice: StreamSlice, toEvents: (row: T) => LedgerEvent[]): AsyncGenerator<LedgerEvent[]> {
  let rows = 0;
  for await (const page of pages) {
    rows += page.values.length;
    slice.onPage?.({ rows, estimatedTotal: page.total });
    yield page.values.flatMap(toEvents);
  }
}

function requireYear(slice: StreamSlice): FiscalYearRow {
  if (!slice.fiscalYear) throw new Error('this stream reads one fiscal year at a time; no year was given.');
  return slice.fiscalYear;
}

/** Every company the consent reaches, with whether its API add-on is on. */
export async function fikenCompanies(options: Omit<FikenSourceOptions, 'companySlug' | 'clock'>): Promise<{ slug: string; name: string; organizationNumber: string | null; hasApiAccess: boolean }[]> {
  const client = new FikenClient({ baseUrl: options.apiBaseUrl, session: options.session, consentKey: options.consentKey, rate: options.rate, retry: options.retry, log: options.log });
  try {
    const companies = await client.all<FxCompany>('companies');
    return companies.map((c) => ({ slug: c.slug, name: c.name, organizationNumber: c.organizationNumber || null, hasApiAccess: c.hasApiAccess !== false }));
  } finally {
    await client.close();
  }
}
