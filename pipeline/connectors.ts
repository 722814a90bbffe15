import { providerOf, type ConnectionOptions, type CredentialStore, type ProviderConnection, type ReachableCompany } from '../extract/index.ts';
import type { OrganizationConfig } from './config.ts';
import { UsageError } from './usage-error.ts';

export type { ConnectionOptions, ReachableCompany };

/** The provider's settings of a configured organization: under the key of its id. */
export function providerSettings(org: OrganizationConfig): unknown {
  return (org as unknown as Record<string, unknown>)[org.provider];
}

export async function connection(orgId: string, org: OrganizationConfig, store: CredentialStore | null, tuning: ConnectionOptions = {}): Promise<ProviderConnection> {
  const secrets = store ? await store.get(orgId) : null;
  if (!store || !secrets) throw new UsageError(`Organization "${orgId}" has no stored credentials; run "ledgerhouse connect ${orgId}" first.`);
  const provider = providerOf(org);
  if (provider.secrets.some((field) => !secrets[field.key])) {
    throw new UsageError(`The stored credentials of "${orgId}" are incomplete; run "ledgerhouse connect ${orgId}" again.`);
  }
  return provider.connect({ orgId, country: org.country, settings: providerSettings(org), secrets, store, options: tuning });
}

/** One line saying which company the credentials reach, or an error saying why not. */
export async function verifyConnection(orgId: string, org: OrganizationConfig, store: CredentialStore, tuning: ConnectionOptions = {}): Promise<string> {
  const link = await connection(orgId, org, store, tuning);
  const company = (await link.companies()).find((c) => c.configured);
  if (!company) throw new Error(`${link.missingCompany}; "ledgerhouse companies ${orgId}" lists the ones it reaches.`);
  if (company.blocked) throw new Error(`${company.name}: ${company.blocked}.`);
  return `reached ${company.name}${company.organizationNumber ? ` (${company.organizationNumber})` : ''}, company ${company.ref}`;
}
