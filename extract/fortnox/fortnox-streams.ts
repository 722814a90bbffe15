// The Fortnox master-data streams: the chart of each year read, voucher series → journals,
// cost centres and projects → dimensions, customers and suppliers → parties.
import type { SourceLocation } from '../../model/index.ts';
import type { SourceFiscalYear, SourceStream, StreamEvent } from '../source.ts';
import { listStream } from '../stream-kit.ts';
import type { FortnoxClient } from './fortnox-client.ts';
import { accountRow, costCenterRow, journalRow, partyRow, projectRow, type FxAccount } from './fortnox-mapping.ts';

const at = (path: string): SourceLocation => ({ file: 'fortnox', path });

/** A list of the company's: every page of it, mapped to events. */
function list<T>(name: string, path: string, key: string, toEvents: (row: T) => StreamEvent[]): (client: FortnoxClient) => SourceStream {
  return (client) => listStream<T>({ name, pages: () => client.pages<T>(path, key), toEvents });
}

export const voucherSeries = list<{ Code: string; Description?: string; Manual?: boolean }>('journals', 'voucherseries', 'VoucherSeriesCollection', (s) => [
  { kind: 'journal', row: journalRow(s), location: at(`voucherseries/${s.Code}`) },
]);

export const costCenters = list<{ Code: string; Description?: string; Active?: boolean }>('cost_centers', 'costcenters', 'CostCenters', (c) => [
  { kind: 'dimension', row: costCenterRow(c), location: at(`costcenters/${c.Code}`) },
]);

export const projects = list<{ ProjectNumber: string; Description?: string; Status?: string }>('projects', 'projects', 'Projects', (p) => [
  { kind: 'dimension', row: projectRow(p), location: at(`projects/${p.ProjectNumber}`) },
]);

export const customers = list<{ CustomerNumber: string; Name: string; OrganisationNumber?: string }>('customers', 'customers', 'Customers', (c) => {
  const row = partyRow('customer', c);
  return row ? [{ kind: 'party', row, location: at(`customers/${c.CustomerNumber}`) }] : [];
});

export const suppliers = list<{ SupplierNumber: string; Name: string; OrganisationNumber?: string; CountryCode?: string }>('suppliers', 'suppliers', 'Suppliers', (s) => {
  const row = partyRow('supplier', s);
  return row ? [{ kind: 'party', row, location: at(`suppliers/${s.SupplierNumber}`) }] : [];
});

/**
 * The chart is per financial year in Fortnox: the charts of the years whose ledger this run
 * read (the warehouse keeps one row per account; the newest year's name wins), or the
 * current year's when none was read.
 */
export function accounts(client: FortnoxClient, years: () => Promise<SourceFiscalYear[]>): SourceStream {
  return {
    name: 'accounts',
    scope: 'organization',
    replaces: 'masters',
    incremental: false,
    async *read(slice) {
      const chart = new Map<string, StreamEvent>();
      let rows = 0;
      for (const year of await years()) {
        for await (const page of client.pages<FxAccount>('accounts', 'Accounts', { financialyear: year.source_year_ref })) {
          for (const a of page.values) chart.set(String(a.Number), { kind: 'account', row: accountRow(a), location: at(`accounts/${a.Number}?financialyear=${year.source_year_ref}`) });
          rows += page.values.length;
          slice.onPage?.({ rows, estimatedTotal: null });
        }
      }
      yield [...chart.values()];
      return null;
    },
  };
}
