import { readFile, stat } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CredentialStore, providerIds, providers as registeredProviders, type AnyProvider, type ProviderId, type ProviderOrgConfig } from '../extract/index.ts';
import { writeFileAtomically, type Country } from '../model/index.ts';
import { ConfigError } from './config-error.ts';
import { describeIssues, urlCredentials } from './config-issues.ts';
import { findJsonSyntaxError } from './json-syntax.ts';
import { UsageError } from './usage-error.ts';

/** Organization ids end up in file names and SQL parameters: the same rule as --org (options.ts). */
export const ORG_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ORG_ID_RULE = 'use letters, digits, "-", "_" or ".", at most 64 characters, starting with a letter or digit';

const orgIdSchema = z.string().regex(ORG_ID_PATTERN, { error: `is not a valid organization id: ${ORG_ID_RULE}` });

/** One member per registered provider, with the provider's own settings under the key of its id. */
function organizationSchemaOf(provider: AnyProvider) {
  const [first, ...more] = provider.countries;
  return z.strictObject({
    provider: z.literal(provider.id),
    country: (more.length === 0 ? z.literal(first) : z.enum(provider.countries as [Country, ...Country[]])).default(first),
    keepYears: z.number().int().min(1).default(3),
    [provider.id]: provider.settings,
  });
}

type OrganizationMember = ReturnType<typeof organizationSchemaOf>;

/**
 * Told apart by `provider`; each keeps its own settings under a key of its name
 * (`<provider>: {…}`). Built from the registry: a new provider needs no line here.
 */
const organizationUnion = z
  .discriminatedUnion('provider', registeredProviders.map(organizationSchemaOf) as unknown as [OrganizationMember, ...OrganizationMember[]])
  .superRefine((org, context) => {
    // Any provider's URL settings, present or future: credentials in a URL are secrets too.
    for (const { path, value } of strings(org)) {
      const found = urlCredentials(value);
      if (found) {
        context.addIssue({
          code: 'custom',
          path,
          input: '',
          message: `holds credentials in its URL (${found}), and secrets never go in the configuration file: remove them and run "ledgerhouse connect <id>", which stores them encrypted`,
        });
      }
    }
  });

/** Every string in a parsed value, with its path. */
function strings(value: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
}

/** Strict at every level: a misspelt key is an error naming it, and a pasted token is refused. */
const configShape = z.strictObject({
  version: z.literal(1),
  /** Relative to the configuration file's folder. */
  warehouse: z.string().min(1).default('warehouse.duckdb'),
  organizations: z.record(orgIdSchema, organizationUnion).default({}),
});

export type OrganizationConfig = ProviderOrgConfig;
export type LedgerhouseConfig = Omit<z.output<typeof configShape>, 'organizations'> & { organizations: Record<string, OrganizationConfig> };
/** The schema parses into the registry's types (zod cannot follow keys computed from the registry). */
export const organizationSchema = organizationUnion as unknown as z.ZodType<OrganizationConfig, z.input<typeof organizationUnion>>;
export const configSchema = configShape as unknown as z.ZodType<LedgerhouseConfig, z.input<typeof configShape>>;
export type Provider = ProviderId;
export const providers: readonly Provider[] = providerIds;

export const CONFIG_ENV = 'LEDGERHOUSE_CONFIG';
const DEFAULT_CONFIG = 'ledgerhouse.json';

/** `--config`, else $LEDGERHOUSE_CONFIG, else ./ledgerhouse.json; absolute. */
export function configPath(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): string {
  const given = values.config;
  if (typeof given === 'string' && given !== '') return resolve(given);
  return resolve(env[CONFIG_ENV] || DEFAULT_CONFIG);
}

export function emptyConfig(): LedgerhouseConfig {
  return configSchema.parse({ version: 1 });
}

/** Reads and validates the configuration; a file that does not exist yet is an empty one. */
export async function loadConfig(path: string): Promise<LedgerhouseConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return emptyConfig();
    throw new ConfigError(path, [`cannot be read (${code ?? (error as Error).message}); check the path and its permissions.`]);
  }
  const input = parseJson(path, text.replace(/^\uFEFF/, ''));
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(path, describeIssues(result.error.issues, input, configSchema));
  return result.data;
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const problem = findJsonSyntaxError(text) ?? { line: 1, column: 1, reason: 'it is not JSON' };
    const { line, column, reason } = problem;
    throw new ConfigError(path, [`not valid JSON at line ${line}, column ${column}: ${reason}.`], { line, column });
  }
}

/**
 * Validated, then written to a temp file in the same folder and renamed over the old one, so
 * a crash or a full disk leaves the previous configuration, never half a file.
 */
export async function saveConfig(path: string, config: LedgerhouseConfig): Promise<void> {
  const checked = configSchema.safeParse(config);
  if (!checked.success) throw new ConfigError(path, describeIssues(checked.error.issues, config, configSchema));
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomically(path, `${JSON.stringify(checked.data, null, 2)}\n`, { mode: 0o644 });
}

/** Where the encrypted secrets live: beside the configuration, never in it. */
export function credentialsDir(configPath: string): string {
  return join(dirname(resolve(configPath)), '.ledgerhouse');
}

/**
 * The credential store beside this configuration, or null when nothing was ever connected.
 * Only reads: opening a store that is not there would create a key file as a side effect.
 */
export async function existingCredentialStore(configPath: string, env: NodeJS.ProcessEnv = process.env): Promise<CredentialStore | null> {
  const dir = credentialsDir(configPath);
  const present = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return present ? CredentialStore.open(dir, env) : null;
}

/** `--warehouse` wins, then $LEDGERHOUSE_WAREHOUSE (as for the other commands), then the configuration's. */
export function resolveWarehouse(configPath: string, config: LedgerhouseConfig, values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): string {
  const given = values.warehouse;
  if (typeof given === 'string' && given !== '') return resolve(given);
  if (env.LEDGERHOUSE_WAREHOUSE) return resolve(env.LEDGERHOUSE_WAREHOUSE);
  return resolve(dirname(resolve(configPath)), config.warehouse);
}

/** An organization id given as an argument (`org add <id>`, `connect <id>`). */
export function orgIdArgument(positionals: string[], example: string): string {
  const [id, ...extra] = positionals;
  if (!id) throw new UsageError(`Give the organization id, e.g. ${example}.`);
  if (extra.length > 0) throw new UsageError(`Give one organization id, not ${positionals.length} ("${positionals.join('", "')}").`);
  if (!ORG_ID_PATTERN.test(id)) throw new UsageError(`"${id}" is not a valid organization id: ${ORG_ID_RULE}.`);
  return id;
}

/**
 * The organization configured under `id`, if any. Own keys only: an id such as `constructor`
 * or `toString` is an organization like any other, never a member of Object's prototype.
 */
export function configuredOrganization(config: LedgerhouseConfig, id: string): OrganizationConfig | undefined {
  return Object.hasOwn(config.organizations, id) ? config.organizations[id] : undefined;
}

/** The configured organization, or a usage error saying how to add it. */
export function requireOrganization(config: LedgerhouseConfig, id: string, path: string): OrganizationConfig {
  const org = configuredOrganization(config, id);
  if (!org) {
    const known = Object.keys(config.organizations);
    throw new UsageError(
      `There is no organization "${id}" in ${path}${known.length ? ` (it has ${known.map((k) => `"${k}"`).join(', ')})` : ''}; add it with "ledgerhouse org add ${id} --provider ${providers[0]}".`,
    );
  }
  return org;
}
