import { configPath, existingCredentialStore, loadConfig, orgIdArgument, requireOrganization } from './config.ts';
import { connection } from './connectors.ts';
import { debugLog } from './debug-log.ts';

/** `ledgerhouse companies <id>`: every company the organization's credentials reach. */
export async function companiesCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const path = configPath(values);
  const config = await loadConfig(path);
  const orgId = orgIdArgument(positionals, 'ledgerhouse companies acme');
  const org = requireOrganization(config, orgId, path);
  const store = await existingCredentialStore(path);
  const companies = await connection(orgId, org, store ? await store.get(orgId) : null, debugLog()).companies();
  if (companies.length === 0) {
    console.log(
      `The credentials of "${orgId}" reach no company. Usual causes: the token was made in the other environment ` +
        '(test tokens start with "test-" and only work against the test server), the user has no API access, ' +
        'or the company lacks the Integrations add-on.',
    );
    return 1;
  }
  const width = Math.max(...companies.map((c) => String(c.id).length));
  for (const c of companies) {
    const chosen = org.provider === 'tripletex' && (org.tripletex.clientCompanyId ?? null) === (c.access === 'own' ? null : c.id);
    const how = c.access === 'own' ? 'own company' : `client: sync it with "org add <id> --provider tripletex --client-company-id ${c.id}"`;
    console.log(`${chosen ? '*' : ' '} ${String(c.id).padStart(width)}  ${c.name}${c.organizationNumber ? ` (${c.organizationNumber})` : ''}  ${how}`);
  }
  return 0;
}
