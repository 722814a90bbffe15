import type { OrganizationInfo } from '../../model/index.ts';
import type { Source, SourceFiscalYear } from '../source.ts';
import { osloToday, systemClock, type Clock } from '../../model/index.ts';
import { FikenClient } from './fiken-client.ts';
import { fiscalYears } from './fiken-mapping.ts';
import * as streams from './fiken-streams.ts';
import type { FikenStreamContext } from './fiken-streams.ts';
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

/** The Fiken connector: one company of one consent, and its streams. */
export function fikenSource(options: FikenSourceOptions): Source {
  const client = new FikenClient({ baseUrl: options.apiBaseUrl, session: options.session, consentKey: options.consentKey, rate: options.rate, retry: options.retry, log: options.log });
  const today = () => osloToday(options.clock ?? systemClock);
  const company = `companies/${encodeURIComponent(options.companySlug)}`;
  let details: Promise<FxCompany> | null = null;
  const companyDetails = () => (details ??= client.get<FxCompany>(company).then((r) => r.body));

  const context: FikenStreamContext = { client, company, today };

  return {
    provider: 'fiken',
    async organization(): Promise<OrganizationInfo> {
      const c = await companyDetails();
      return { name: c.name, country: 'NO', org_number: c.organizationNumber || null, base_currency: 'NOK', source_company_ref: c.slug };
    },
    async fiscalYears(): Promise<SourceFiscalYear[]> {
      return fiscalYears((await companyDetails()).accountingStartDate, today());
    },
    streams: [streams.accounts, streams.projects, streams.contacts, streams.balances, streams.journalEntries].map((stream) => stream(context)),
    close: () => client.close(),
  };
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
