import type { Provider } from '../model/index.ts';
import { fennoaProvider } from './fennoa/index.ts';
import { fikenProvider } from './fiken/index.ts';
import { fortnoxProvider } from './fortnox/index.ts';
import type { AnyProvider, OrgConfigOf } from './provider.ts';
import { tripletexProvider } from './tripletex/index.ts';

/** The one registry: every provider ledgerhouse can sync, in the order help texts list them. */
export const providers = [tripletexProvider, fikenProvider, fortnoxProvider, fennoaProvider] as const satisfies readonly AnyProvider[];

export type ProviderId = (typeof providers)[number]['id'];

/** An organization's configuration, for whichever provider it names. */
export type ProviderOrgConfig = { [I in keyof typeof providers]: OrgConfigOf<(typeof providers)[I]> }[number];

export const providerIds: readonly ProviderId[] = providers.map((p) => p.id);

/** The descriptor of `id`, or null when no provider has that id. */
export function findProvider(id: string): AnyProvider | null {
  return (providers as readonly AnyProvider[]).find((p) => p.id === id) ?? null;
}

/** The descriptor of a configured organization's provider (the configuration was validated against the registry). */
export function providerOf(org: { provider: Provider }): AnyProvider {
  const provider = findProvider(org.provider);
  if (!provider) throw new Error(`no provider "${org.provider}" is registered in extract/providers.ts.`);
  return provider;
}
