import { CredentialStoreError, findProvider, providerOf, providers as registry, type AnyProvider } from '../extract/index.ts';
import { configPath, configuredOrganization, existingCredentialStore, loadConfig, organizationSchema, orgIdArgument, providers, providerSettings, saveConfig, type OrganizationConfig, describeIssues, fieldPath, type FieldLabel, UsageError } from '../pipeline/index.ts';
import { requiredString } from './terminal/options.ts';

/** Options every provider's `org add` takes, by the configuration field they set. */
const commonOptions: Record<string, string> = { provider: 'provider', country: 'country', keepYears: 'keep-years' };

/** Options only `org add` takes (index.ts parses one option set for all of `org`): the common ones and every provider's. */
export function orgAddOptionNames(): string[] {
  return [...new Set([...Object.values(commonOptions), ...registry.flatMap((p) => p.orgAddOptions.map((o) => o.name))])];
}

/** Config fields as the options that set them, so a bad value names what the person typed. */
function optionLabel(provider: AnyProvider | null): FieldLabel {
  const optionOf: Record<string, string> = Object.fromEntries(Object.entries(commonOptions).map(([field, option]) => [field, `--${option}`]));
  for (const o of provider?.orgAddOptions ?? []) optionOf[o.setting] = `--${o.name}`;
  return (path) => optionOf[String(path.at(-1))] ?? fieldPath(path);
}

export async function orgCommand(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const [action, ...args] = positionals;
  if (action !== 'add') {
    const misplaced = orgAddOptionNames().find((name) => values[name] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} is an option of "org add" only.`);
  }
  switch (action) {
    case 'add':
      return orgAdd(values, args);
    case 'list':
      if (args.length > 0) throw new UsageError(`"org list" takes no arguments, not "${args.join(' ')}".`);
      return orgList(values);
    case 'remove':
      return orgRemove(values, args);
    default:
      throw new UsageError(
        `${action ? `"org ${action}" is not a command` : 'Say what to do with organizations'}: use "org add <id> --provider ${providers.join('|')}", "org list" or "org remove <id>".`,
      );
  }
}

async function orgAdd(values: Record<string, unknown>, args: string[]): Promise<number> {
  const id = orgIdArgument(args, `ledgerhouse org add acme --provider ${providers[0]}`);
  const provider = requiredString(values, 'provider', `the accounting system the organization keeps its books in: ${providers.join(', ')}`);
  const org = organizationFromOptions(values, provider);
  const path = configPath(values);
  const config = await loadConfig(path);
  if (configuredOrganization(config, id)) {
    throw new UsageError(`Organization "${id}" is already in ${path}; to change it, run "ledgerhouse org remove ${id}" first and add it again.`);
  }
  config.organizations[id] = org;
  await saveConfig(path, config);
  console.log(`Added "${id}" (${describeOrganization(org)}) to ${path}.`);
  console.log(`Next: store its credentials with "ledgerhouse connect ${id}".`);
  return 0;
}

/** Validated by the configuration's own schema, so the options allow exactly what the file allows. */
function organizationFromOptions(values: Record<string, unknown>, providerId: string): OrganizationConfig {
  const provider = findProvider(providerId);
  const settings: Record<string, unknown> = {};
  if (provider) {
    const foreign = orgAddOptionNames().find((name) => values[name] !== undefined && !Object.values(commonOptions).includes(name) && !provider.orgAddOptions.some((o) => o.name === name));
    if (foreign) {
      const takes = [...Object.values(commonOptions).slice(1), ...provider.orgAddOptions.map((o) => o.name)].map((n) => `--${n}`).join(', ');
      throw new UsageError(`--${foreign} is not an option of "org add --provider ${provider.id}"; it takes ${takes}.`);
    }
    for (const o of provider.orgAddOptions) if (values[o.name] !== undefined) settings[o.setting] = o.numeric ? numeric(values[o.name]) : values[o.name];
  }
  const raw: Record<string, unknown> = { provider: providerId, [providerId]: settings };
  if (values.country !== undefined) raw.country = String(values.country).toUpperCase();
  if (values['keep-years'] !== undefined) raw.keepYears = numeric(values['keep-years']);
  const result = organizationSchema.safeParse(raw);
  if (!result.success) throw new UsageError(describeIssues(result.error.issues, raw, organizationSchema, optionLabel(provider)).join('\n'));
  return result.data;
}

/** A numeric option becomes a number, fraction or not; anything else stays text for the schema to refuse by name. */
function numeric(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

async function orgList(values: Record<string, unknown>): Promise<number> {
  const path = configPath(values);
  const config = await loadConfig(path);
  const entries = Object.entries(config.organizations);
  if (entries.length === 0) {
    console.log(`No organizations in ${path}; add one with "ledgerhouse org add <id> --provider ${providers[0]}".`);
    return 0;
  }
  let storeProblem: string | null = null;
  const store = await existingCredentialStore(path).catch((error: unknown) => {
    if (!(error instanceof CredentialStoreError)) throw error;
    storeProblem = error.message;
    return null;
  });
  const rows = [['id', 'provider', 'country', 'keeps', 'reaches', 'credentials']];
  for (const [id, org] of entries) {
    let credentials = storeProblem ? 'unknown' : 'not connected';
    if (store) {
      credentials = await store.get(id).then(
        (secrets) => (secrets ? 'connected' : 'not connected'),
        (error: unknown) => {
          if (!(error instanceof CredentialStoreError)) throw error;
          storeProblem = error.message;
          return 'cannot be opened';
        },
      );
    }
    rows.push([id, org.provider, org.country, `${org.keepYears} years`, describeTarget(org), credentials]);
  }
  console.log(`Organizations in ${path}:`);
  printColumns(rows);
  if (storeProblem) {
    console.error(storeProblem);
    return 1;
  }
  return 0;
}

async function orgRemove(values: Record<string, unknown>, args: string[]): Promise<number> {
  const id = orgIdArgument(args, 'ledgerhouse org remove acme');
  const path = configPath(values);
  const config = await loadConfig(path);
  const configured = configuredOrganization(config, id) !== undefined;
  if (configured) {
    delete config.organizations[id];
    await saveConfig(path, config);
  }
  // The configuration goes first: a store that cannot be opened must not keep the organization
  // configured; its credentials can be forgotten by running remove again once it opens.
  let forgotten: boolean;
  try {
    const store = await existingCredentialStore(path);
    forgotten = store ? await store.exclusive(() => store.forget(id)) : false;
  } catch (error) {
    if (!(error instanceof CredentialStoreError) || !configured) throw error;
    console.log(`Removed "${id}" from ${path}.`);
    console.error(`Its stored credentials could not be forgotten: ${error.message}`);
    return 1;
  }
  if (!configured && !forgotten) {
    throw new UsageError(`There is no organization "${id}" in ${path}, and no stored credentials for it.`);
  }
  if (!configured) console.log(`"${id}" was not in ${path}; forgot its stored credentials.`);
  else console.log(`Removed "${id}" from ${path}${forgotten ? ' and forgot its stored credentials' : ' (it had no stored credentials)'}.`);
  console.log('Its data in the warehouse is kept.');
  return 0;
}

/** Provider, and where its API is reached, in a few words. */
export function describeOrganization(org: OrganizationConfig): string {
  return `${org.provider}, ${describeTarget(org)}, ${org.country}`;
}

function describeTarget(org: OrganizationConfig): string {
  return providerOf(org).describeTarget(providerSettings(org));
}

function printColumns(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) console.log(`  ${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}`);
}
