// The Fiken benchmark's organization and its consent, without a person: the parent gives the
// consent once per simulator (the simulator approves at once and redirects to the loopback
// listener of `giveConsent`) and stores the app credentials and tokens in a credential store
// of its own; each sync child opens that store and connects as `ledgerhouse sync` would.

import { connection, giveConsent } from '../pipeline/index.ts';
import { CredentialStore, KEY_ENV, type FikenOrgConfig, type RatePolicy, type Source } from '../extract/index.ts';
import type { FikenEndpoint } from './fiken-sandbox.ts';

export const FIKEN_ORG_ID = 'bench-fiken';
/** The store's key: fixed, it guards nothing but scratch tokens of a local simulator. */
const storeEnv = { [KEY_ENV]: Buffer.alloc(32, 9).toString('base64') };

export function fikenOrg(e: Pick<FikenEndpoint, 'apiBaseUrl' | 'oauthBaseUrl' | 'companySlug'>): FikenOrgConfig {
  return { provider: 'fiken', country: 'NO', keepYears: 3, fiken: { companySlug: e.companySlug, apiBaseUrl: e.apiBaseUrl, oauthBaseUrl: e.oauthBaseUrl } };
}

/** The consent, through the simulator, into a credential store at `dir`. */
export async function connectFiken(e: FikenEndpoint, dir: string): Promise<void> {
  const app = { clientId: e.clientId, clientSecret: e.clientSecret };
  // The person "opens" the URL: the simulator approves and redirects to the loopback listener.
  const tokens = await giveConsent(fikenOrg(e), app, { orgId: FIKEN_ORG_ID, mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
  const store = await CredentialStore.open(dir, storeEnv);
  await store.set(FIKEN_ORG_ID, { ...app, ...tokens });
}

/** The source `ledgerhouse sync` would build from that store, paced by `rate`. */
export async function fikenBenchSource(e: Pick<FikenEndpoint, 'apiBaseUrl' | 'oauthBaseUrl' | 'companySlug'>, dir: string, rate: RatePolicy): Promise<Source> {
  const store = await CredentialStore.open(dir, storeEnv);
  return (await connection(FIKEN_ORG_ID, fikenOrg(e), store, { rate })).source();
}
