import { configPath, existingCredentialStore, loadConfig, orgIdArgument, requireOrganization, connection, debugLog } from '../pipeline/index.ts';

/** `ledgerhouse companies <id>`: every company the organization's credentials reach; exit 1 when the configured one is not among them. */
export async function companiesCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const path = configPath(values);
  const config = await loadConfig(path);
  const orgId = orgIdArgument(positionals, 'ledgerhouse companies acme');
  const org = requireOrganization(config, orgId, path);
  const link = await connection(orgId, org, await existingCredentialStore(path), { log: debugLog() });
  const companies = await link.companies();
  if (companies.length === 0) {
    console.log(`The credentials of "${orgId}" reach no company. ${capitalise(link.missingCompany)}.`);
    return 1;
  }
  const width = Math.max(...companies.map((c) => c.ref.length));
  for (const c of companies) {
    const note = [c.note, c.blocked].filter(Boolean).join('; ');
    console.log(`${c.configured ? '*' : ' '} ${c.ref.padStart(width)}  ${c.name}${c.organizationNumber ? ` (${c.organizationNumber})` : ''}${note ? `  ${note}` : ''}`);
  }
  const configured = companies.find((c) => c.configured);
  if (!configured) {
    console.log(`\n${capitalise(link.missingCompany)}.`);
    return 1;
  }
  if (configured.blocked) {
    console.log(`\n${configured.name} cannot be synced: ${configured.blocked}.`);
    return 1;
  }
  return 0;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
