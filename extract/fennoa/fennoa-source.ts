import type { Country, OrganizationInfo } from '../../model/index.ts';
import type { Source, SourceFiscalYear } from '../source.ts';
import { FennoaClient, type FennoaClientOptions } from './fennoa-client.ts';
import { FieldReport } from './fennoa-fields.ts';
import { dimensionTypeNames, fiscalYears, shapes } from './fennoa-mapping.ts';
import * as streams from './fennoa-streams.ts';

export interface FennoaSourceOptions extends FennoaClientOptions {
  country?: Country | null;
  /**
   * Fennoa's API names no company (no company endpoint is documented): the name and business
   * id (Y-tunnus) the organization is shown with come from the configuration.
   */
  companyName?: string | null;
  businessId?: string | null;
}

/** The Fennoa connector: the one company the API user belongs to, and its streams. */
export function fennoaSource(options: FennoaSourceOptions): Source {
  // One report per source, and one source per run: each missing field is said once a run.
  const client = new FennoaClient(options, new FieldReport());
  let types: Promise<Map<string, string>> | null = null;
  const context: streams.FennoaStreamContext = {
    client,
    dimensionTypes: () => (types ??= streams.readList(client, 'dimension_api/get/types', shapes.dimensionTypes).then(dimensionTypeNames)),
  };
  return {
    provider: 'fennoa',
    async organization(): Promise<OrganizationInfo> {
      return {
        name: options.companyName || `Fennoa company of API user ${options.credentials.apiUser}`,
        country: options.country ?? 'FI',
        org_number: options.businessId || null,
        // Finnish books are kept in euros; Fennoa states no currency (notes §2.4).
        base_currency: 'EUR',
        source_company_ref: options.credentials.apiUser,
      };
    },
    async fiscalYears(): Promise<SourceFiscalYear[]> {
      const path = 'accounting_api/get/periods';
      return fiscalYears(await streams.readList(client, path, shapes.periods), `GET ${path}`);
    },
    streams: [streams.accounts, streams.journals, streams.taxCodes, streams.dimensions, streams.openingBalances, streams.vouchers].map((s) => s(context)),
    close: () => client.close(),
  };
}

/** Checks the API user and key at once: the periods answer only a valid, permitted API user. */
export async function checkFennoaAccess(options: FennoaClientOptions): Promise<number> {
  const client = new FennoaClient(options, new FieldReport());
  try {
    return (await streams.readList(client, 'accounting_api/get/periods', shapes.periods)).length;
  } finally {
    await client.close();
  }
}
