import { osloToday, systemClock, type Clock, type OrganizationInfo } from '../../model/index.ts';
import type { Source, SourceFiscalYear } from '../source.ts';
import { FortnoxClient, type FortnoxClientOptions } from './fortnox-client.ts';
import { documents } from './fortnox-documents.ts';
import { balances, ledger, type FortnoxLedgerContext, type LedgerReadPlan } from './fortnox-ledger.ts';
import { fiscalYears, type FxCompanyInformation, type FxFinancialYear } from './fortnox-mapping.ts';
import * as streams from './fortnox-streams.ts';

/** The client's options, with the API's base address under the name the settings give it. */
export interface FortnoxSourceOptions extends Omit<FortnoxClientOptions, 'baseUrl'> {
  apiBaseUrl: string;
  /** Fortnox's dates are Sweden's (the same zone as Oslo's): today is that date of this clock's. */
  clock?: Clock;
}

/** A Fortnox source, and how it read each year's ledger (for tests and the debug log). */
export interface FortnoxSource extends Source {
  readonly plans: ReadonlyMap<string, LedgerReadPlan>;
}

export function fortnoxClient(options: FortnoxSourceOptions): FortnoxClient {
  return new FortnoxClient({ baseUrl: options.apiBaseUrl, session: options.session, consentKey: options.consentKey, orgId: options.orgId, rate: options.rate, retry: options.retry, log: options.log });
}

/** The company a consent reaches (a Fortnox consent reaches exactly one). */
export async function companyInformation(client: FortnoxClient): Promise<FxCompanyInformation> {
  return (await client.get<{ CompanyInformation: FxCompanyInformation }>('companyinformation')).CompanyInformation;
}

/** The Fortnox connector: the one company of the consent, and its streams. */
export function fortnoxSource(options: FortnoxSourceOptions): FortnoxSource {
  const client = fortnoxClient(options);
  const clock = options.clock ?? systemClock;
  let company: Promise<FxCompanyInformation> | null = null;
  let years: Promise<SourceFiscalYear[]> | null = null;
  const allYears = () => (years ??= client.all<FxFinancialYear>('financialyears', 'FinancialYears').then((ys) => fiscalYears(ys, osloToday(clock))));
  const context: FortnoxLedgerContext = { client, clock, exportBalances: new Map(), yearsRead: new Map(), plans: new Map(), log: options.log };
  // The charts of the years read this run; when none was read, the current year's.
  const chartYears = async () => {
    if (context.yearsRead.size) return [...context.yearsRead.values()].sort((a, b) => a.start_date.localeCompare(b.start_date));
    const today = osloToday(clock);
    const all = await allYears();
    return all.filter((y) => y.start_date <= today).slice(-1);
  };

  return {
    provider: 'fortnox',
    plans: context.plans,
    async organization(): Promise<OrganizationInfo> {
      const c = await (company ??= companyInformation(client));
      return { name: c.CompanyName, country: 'SE', org_number: c.OrganizationNumber || null, base_currency: 'SEK', source_company_ref: c.DatabaseNumber == null ? null : String(c.DatabaseNumber) };
    },
    fiscalYears: allYears,
    streams: [
      ledger(context),
      streams.accounts(client, chartYears),
      ...[streams.voucherSeries, streams.costCenters, streams.projects, streams.customers, streams.suppliers].map((s) => s(client)),
      balances(context),
      documents(client),
    ],
    close: () => client.close(),
  };
}
