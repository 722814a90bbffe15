import type { Country, OrganizationInfo } from '../../model/index.ts';
import type { Source, SourceFiscalYear } from '../source.ts';
import { TripletexClient, type TripletexClientOptions } from './tripletex-client.ts';
import { fiscalYearRows, type TxPeriod } from './tripletex-mapping.ts';
import * as streams from './tripletex-streams.ts';

interface WhoAmI {
  companyId: number;
  company?: { name?: string; organizationNumber?: string; currency?: { code?: string } | null } | null;
}

/** The Tripletex connector: one company (own, or an accountant's client) and its streams. */
export function tripletexSource(options: TripletexClientOptions & { country?: Country | null }): Source {
  const client = new TripletexClient(options);
  let baseCurrency = 'NOK';
  return {
    provider: 'tripletex',
    async organization(): Promise<OrganizationInfo> {
      const companyId = options.clientCompanyId ?? (await client.get<{ value: WhoAmI }>('token/session/>whoAmI', { fields: 'companyId' })).value.companyId;
      const { value: company } = await client.get<{ value: NonNullable<WhoAmI['company']> }>(`company/${companyId}`, { fields: 'name,organizationNumber,currency(code)' });
      baseCurrency = company.currency?.code ?? baseCurrency;
      return {
        name: company.name ?? `Tripletex company ${companyId}`,
        country: options.country ?? 'NO',
        org_number: company.organizationNumber || null,
        base_currency: baseCurrency,
        source_company_ref: String(companyId),
      };
    },
    async fiscalYears(): Promise<SourceFiscalYear[]> {
      const years = await client.all<{ id: number; year: number; start: string; end: string }>('ledger/annualAccount', { fields: 'id,year,start,end' });
      const periods = await client.all<TxPeriod>('ledger/accountingPeriod', { fields: 'start,end,isClosed' });
      return fiscalYearRows(years, periods);
    },
    streams: [
      streams.accounts(client),
      streams.journals(client),
      streams.taxCodes(client),
      streams.departments(client),
      streams.projects(client),
      streams.customers(client),
      streams.suppliers(client),
      streams.balances(client),
      streams.vouchers(client, () => baseCurrency),
    ],
    close: () => client.close(),
  };
}

export interface ReachableCompany {
  id: number;
  name: string;
  organizationNumber: string | null;
  /** `own`: the token owner's company (Basic username 0); `client`: an accountant's client. */
  access: 'own' | 'client';
}

/** Every company the token reaches: its own, and an accounting firm's clients. */
export async function tripletexCompanies(options: TripletexClientOptions): Promise<ReachableCompany[]> {
  const client = new TripletexClient({ ...options, clientCompanyId: null });
  try {
    const who = (await client.get<{ value: WhoAmI }>('token/session/>whoAmI', { fields: 'companyId,company(name,organizationNumber)' })).value;
    const clients = await client.all<{ id: number; name?: string; organizationNumber?: string }>('company/>withLoginAccess', { fields: 'id,name,organizationNumber' });
    const own: ReachableCompany = { id: who.companyId, name: who.company?.name ?? `company ${who.companyId}`, organizationNumber: who.company?.organizationNumber || null, access: 'own' };
    return [own, ...clients.filter((c) => c.id !== who.companyId).map((c): ReachableCompany => ({ id: c.id, name: c.name ?? `company ${c.id}`, organizationNumber: c.organizationNumber || null, access: 'client' }))];
  } finally {
    await client.close();
  }
}
