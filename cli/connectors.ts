import { TRIPLETEX_BASE_URLS, tripletexCompanies, tripletexSource, type ReachableCompany, type Secrets, type Source } from '../extract/index.ts';
import type { OrganizationConfig } from './config.ts';
import { UsageError } from './usage-error.ts';

/** What each provider's connection needs from the configuration and the credential store. */
export interface Connection {
  source(): Source;
  /** Every company the credentials reach. */
  companies(): Promise<ReachableCompany[]>;
}

export function connection(orgId: string, org: OrganizationConfig, secrets: Secrets | null, log?: (line: string) => void): Connection {
  if (!secrets) throw new UsageError(`Organization "${orgId}" has no stored credentials; run "ledgerhouse connect ${orgId}" first.`);
  switch (org.provider) {
    case 'tripletex': {
      const { consumerToken, employeeToken } = secrets;
      if (!consumerToken || !employeeToken) throw new UsageError(`The stored Tripletex credentials of "${orgId}" are incomplete; run "ledgerhouse connect ${orgId}" again.`);
      const options = {
        baseUrl: org.tripletex.baseUrl ?? TRIPLETEX_BASE_URLS[org.tripletex.environment],
        credentials: { consumerToken, employeeToken },
        clientCompanyId: org.tripletex.clientCompanyId ?? null,
        log,
      };
      return {
        source: () => tripletexSource({ ...options, country: org.country }),
        companies: () => tripletexCompanies(options),
      };
    }
  }
}

/** One line saying which company the credentials reach, or the provider's error. */
export async function verifyConnection(orgId: string, org: OrganizationConfig, secrets: Secrets): Promise<string> {
  const companies = await connection(orgId, org, secrets).companies();
  const wanted = org.provider === 'tripletex' ? (org.tripletex.clientCompanyId ?? null) : null;
  const company = companies.find((c) => (wanted === null ? c.access === 'own' : c.id === wanted));
  if (!company) {
    throw new Error(`the token does not reach company ${wanted}; "ledgerhouse companies ${orgId}" lists the ones it reaches.`);
  }
  return `reached ${company.name}${company.organizationNumber ? ` (${company.organizationNumber})` : ''}, company ${company.id}`;
}
