// Fortnox as the conformance suite sees it, and the one place the tests build a Fortnox source:
// the sandbox simulator, a consent given through its OAuth server, a source on the stored
// tokens, the configuration `ledgerhouse sync` reads, changes at the source and the official spec.
import { join } from 'node:path';
import { expect } from 'vitest';
import { CredentialStore, type FortnoxOrgConfig, type FortnoxSource, type RetryPolicy } from '../../extract/index.ts';
import { connection, credentialsDir, giveConsent, saveConfig } from '../../pipeline/index.ts';
import { FortnoxSimulator, type GeneratedCompany } from '../../sandbox/index.ts';
import type { Clock } from '../../model/index.ts';
import { fortnoxPathTemplate, validateFortnoxResponse } from './fortnox-openapi.ts';
import type { ConnectedSource, SourceSubject, VoucherChange } from './source-conformance.ts';

// Faster than Fortnox's 25 per 5 s: the simulator here is started with a looser limit.
export const fortnoxTestRate = { concurrency: 4, requestsPerInterval: 100, intervalMs: 100 };
const retry = { baseDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 15_000 };

export interface FortnoxConnection extends ConnectedSource {
  org: FortnoxOrgConfig;
  store: CredentialStore;
  source(retry?: Partial<RetryPolicy>): Promise<FortnoxSource>;
}

/** The simulator with a limit the test rate never reaches (the 25 per 5 s is tested on its own). */
export const startFortnox = (companies: GeneratedCompany[], clock: Clock, more: Partial<Parameters<typeof FortnoxSimulator.start>[0]> = {}) =>
  FortnoxSimulator.start({ companies, clock, rateLimit: { limit: 1_000, windowMs: 100 }, documents: 10, ...more });

/** The organization's configuration pointing at the simulator as reached at `origin`. */
export function fortnoxOrg(origin: string, more: Partial<FortnoxOrgConfig['fortnox']> = {}): FortnoxOrgConfig {
  return { provider: 'fortnox', country: 'SE', keepYears: 3, fortnox: { accountType: 'user', apiBaseUrl: `${origin}/3`, oauthBaseUrl: `${origin}/oauth-v1`, ...more } };
}

/** Configuration, app credentials and a consent given through the simulator (it approves at once). */
export async function connectFortnox(sim: FortnoxSimulator, { origin, orgId, dir, env, clock }: { origin: string; orgId: string; dir: string; env: NodeJS.ProcessEnv; clock: Clock }): Promise<FortnoxConnection> {
  const org = fortnoxOrg(origin);
  const configPath = join(dir, 'ledgerhouse.json');
  await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations: { [orgId]: org } });
  const app = { clientId: sim.clientId, clientSecret: sim.clientSecret };
  const tokens = await giveConsent(org, app, { orgId, mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
  const store = await CredentialStore.open(credentialsDir(configPath), env);
  await store.set(orgId, { ...app, ...tokens });
  return {
    org,
    store,
    configPath,
    source: async (overrides: Partial<RetryPolicy> = {}) => (await connection(orgId, org, store, { rate: fortnoxTestRate, retry: { ...retry, ...overrides }, clock })).source() as FortnoxSource,
  };
}

export const fortnoxSubject: SourceSubject<FortnoxSimulator, FortnoxConnection> = {
  provider: 'fortnox',
  country: 'SE',
  start: (companies, clock) => startFortnox(companies, clock),
  origin: (sim) => new URL(sim.apiBaseUrl).origin,
  connect: (sim, at) => connectFortnox(sim, at),
  // Fortnox never edits or deletes a booked voucher: both are a correction (its rows struck and
  // entered anew), which changes the voucher. The simulator changes the newest year only.
  mutate(sim, plan) {
    const truth = sim.truth(0);
    const newest = truth.years.at(-1)!;
    if (plan.fiscalYearStart !== newest.start) return [];
    const report = sim.mutate(0, { add: plan.add ?? 0, correct: (plan.edit ?? 0) + (plan.delete ?? 0), seed: plan.seed });
    const startOf = (id: number) => truth.years[truth.ids.indexOf(id)]!.start;
    const id = (r: { year: number; series: string; number: number }) => `${startOf(r.year).slice(0, 4)}/${r.series}/${r.number}`;
    const added = new Set(report.added.map(id));
    // A voucher added and corrected between two syncs is new to the warehouse: inserted.
    return [...[...added].map((voucher) => ({ voucher, change: 'inserted' as const })), ...report.corrected.map(id).filter((v) => !added.has(v)).map((voucher) => ({ voucher, change: 'updated' as const }))];
  },
  changes: (warehouse, runId) => warehouse.all<VoucherChange>('SELECT voucher_id AS voucher, change FROM change_log WHERE run_id = $1', [runId]),
  voucherPath: /^\/3\/(sie\/4|vouchers)/,
  expireCredentials: async (sim) => sim.expireAccessTokens(),
  afterFaults(sim) {
    // One refresh for the expired token, however many requests were in flight when it lapsed.
    expect(sim.stats().refreshes).toBe(1);
    expect(sim.stats().rateLimited).toBe(0);
  },
  spec: {
    basePath: '/3',
    files: /^\/(sie\/|archive\/|invoices\/[^/]+\/preview$)/,
    // A lapsed token gets Fortnox's gateway answer {"message":"unauthorized"}, outside the spec's ErrorInformation.
    // The spec's paths keep the /3 the suite strips.
    validate: (method, path, status, body) => (status === 401 ? [] : validateFortnoxResponse(method, fortnoxPathTemplate(method, `/3${path}`) ?? `/3${path}`, status, body)),
  },
};
