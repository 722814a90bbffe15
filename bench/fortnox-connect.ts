// The Fortnox benchmark's organization and its consent, without a person: the parent gives the
// consent once per simulator (the simulator approves at once and redirects to the loopback
// listener of `giveConsent`) and stores the app credentials and tokens in a credential store
// of its own; each sync child opens that store and connects as `ledgerhouse sync` would.

import { connection, giveConsent } from '../pipeline/index.ts';
import { CredentialStore, KEY_ENV, type FortnoxOrgConfig, type RatePolicy, type Source } from '../extract/index.ts';
import type { FortnoxEndpoint } from './fortnox-sandbox.ts';

export const FORTNOX_ORG_ID = 'bench-fortnox';
/** The store's key: fixed, it guards nothing but scratch tokens of a local simulator. */
const storeEnv = { [KEY_ENV]: Buffer.alloc(32, 11).toString('base64') };

export function fortnoxOrg(e: Pick<FortnoxEndpoint, 'apiBaseUrl' | 'oauthBaseUrl'>): FortnoxOrgConfig {
  return { provider: 'fortnox', country: 'SE', keepYears: 3, fortnox: { accountType: 'user', apiBaseUrl: e.apiBaseUrl, oauthBaseUrl: e.oauthBaseUrl } };
}

/** The consent, through the simulator, into a credential store at `dir`. */
export async function connectFortnox(e: FortnoxEndpoint, dir: string): Promise<void> {
  const app = { clientId: e.clientId, clientSecret: e.clientSecret };
  const tokens = await giveConsent(fortnoxOrg(e), app, { orgId: FORTNOX_ORG_ID, mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
  const store = await CredentialStore.open(dir, storeEnv);
  await store.set(FORTNOX_ORG_ID, { ...app, ...tokens });
}

/** The source `ledgerhouse sync` would build from that store, paced by `rate`. */
export async function fortnoxBenchSource(e: Pick<FortnoxEndpoint, 'apiBaseUrl' | 'oauthBaseUrl'>, dir: string, rate: RatePolicy): Promise<Source> {
  const store = await CredentialStore.open(dir, storeEnv);
  return (await connection(FORTNOX_ORG_ID, fortnoxOrg(e), store, { rate })).source();
}
