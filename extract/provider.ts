import type { z } from 'zod';
import type { Clock, Country, Provider } from '../model/index.ts';
import type { CredentialStore, Secrets } from './credential-store.ts';
import type { RatePolicy, RetryPolicy } from './http/http-client.ts';
import type { OAuth2App } from './oauth2/index.ts';
import type { Source } from './source.ts';

/** How a provider's API is reached: long-lived tokens, a user and password, or an OAuth2 consent. */
export type AuthKind = 'tokens' | 'basic' | 'oauth2';

/** One secret a provider needs: its key in the store, the variable that may carry it, its name for a person. */
export interface SecretField {
  key: string;
  env: string;
  label: string;
}

/** An `org add` option that sets one of the provider's settings. */
export interface OrgAddOption {
  /** Without the dashes: `client-company-id`. */
  name: string;
  /** The setting it fills: `clientCompanyId`. */
  setting: string;
  /** Its value in the help text: `<n>`, `production|test`. */
  value: string;
  /** Given as text, stored as a number. */
  numeric?: boolean;
  /** Shown without brackets in the help (the schema decides what is required). */
  required?: boolean;
}

/** A company the credentials reach, as `companies` lists it. */
export interface ReachableCompany {
  /** What the configuration names it by: a company id, a slug. */
  ref: string;
  name: string;
  organizationNumber: string | null;
  /** Why it cannot be synced, when it cannot. */
  blocked: string | null;
  /** The configured organization points at this one. */
  configured: boolean;
  note: string;
}

/** What a connection built from the configuration and the stored secrets offers. */
export interface ProviderConnection {
  source(): Source;
  companies(): Promise<ReachableCompany[]>;
  /** Why the configured company is not among `companies`, in a sentence. */
  missingCompany: string;
}

/** How requests are logged and paced; tests pace faster against a simulator with a higher limit. */
export interface ConnectionOptions {
  log?: (line: string) => void;
  rate?: RatePolicy;
  retry?: Partial<RetryPolicy>;
  /** Shared with whatever the connection talks to; the system's by default. */
  clock?: Clock;
}

export interface ConnectContext<Settings> {
  orgId: string;
  country: Country;
  /** The provider's settings, from under the key of its name in the configuration. */
  settings: Settings;
  /** Every field of `secrets` is present; an OAuth2 provider's tokens may be too. */
  secrets: Secrets;
  /** Where an OAuth2 session keeps its refreshed tokens. */
  store: CredentialStore;
  options: ConnectionOptions;
}

export type ProviderAuth<Settings> =
  | { kind: 'tokens' }
  | { kind: 'basic' }
  | {
      kind: 'oauth2';
      /** The app (its secrets `clientId` and `clientSecret`) and the provider's OAuth2 server. */
      app(settings: Settings, client: { clientId: string; clientSecret: string }): OAuth2App;
    };

/**
 * A provider: everything the configuration, the commands and the sync need to know of it.
 * Its settings sit in the configuration under the key of its id (`"fiken": {…}`).
 */
export interface ProviderDescriptor<Id extends Provider = Provider, Settings = unknown> {
  id: Id;
  /** Its name for a person: `Tripletex`. */
  label: string;
  /** The settings under the key of its id, validated strictly. */
  settings: z.ZodType<Settings>;
  /** The countries it keeps books for; the first is the default. */
  countries: readonly [Country, ...Country[]];
  /** What `connect` stores, read from the environment or asked for. */
  secrets: readonly SecretField[];
  auth: ProviderAuth<Settings>;
  /** `org add` options beyond --provider, --country and --keep-years. */
  orgAddOptions: readonly OrgAddOption[];
  /** Where its API is reached, in a few words: `test, client company 12345`. */
  describeTarget(settings: Settings): string;
  connect(context: ConnectContext<Settings>): ProviderConnection;
}

/** Any descriptor, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProvider = ProviderDescriptor<Provider, any>;

/** An organization's configuration for provider `P`, as ledgerhouse.json holds it. */
export type OrgConfigOf<P> =
  P extends ProviderDescriptor<infer Id, infer Settings> ? { provider: Id; country: Country; keepYears: number } & { [K in Id]: Settings } : never;

/** Keeps `Id` and `Settings` precise, so the configuration's type follows the descriptor. */
export function defineProvider<Id extends Provider, Settings>(descriptor: ProviderDescriptor<Id, Settings>): ProviderDescriptor<Id, Settings> {
  return descriptor;
}
