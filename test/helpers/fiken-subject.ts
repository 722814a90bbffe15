// Fiken as the conformance suite sees it, and the one place the tests build a Fiken source:
// the sandbox simulator, an OAuth consent given through it, a source on the stored tokens, the
// configuration `ledgerhouse sync` reads, mutations at the source and the official spec.
import { join } from 'node:path';
import { expect } from 'vitest';
import { CredentialStore, type FikenOrgConfig, type RetryPolicy } from '../../extract/index.ts';
import { connection, credentialsDir, giveConsent, saveConfig } from '../../pipeline/index.ts';
import { FikenSimulator } from '../../sandbox/index.ts';
import { fikenPathTemplate, validateFikenResponse } from './fiken-openapi.ts';
import type { ConnectedSource, SourceSubject, VoucherChange } from './source-conformance.ts';

// One request at a time, as Fiken demands, but faster than its 4 a second: the simulators here allow it.
const rate = { concurrency: 1, requestsPerInterval: 100, intervalMs: 100 };
const retry = { baseDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 15_000 };

export interface FikenConnection extends ConnectedSource {
  org: FikenOrgConfig;
  store: CredentialStore;
}

export const fikenSubject: SourceSubject<FikenSimulator, FikenConnection> = {
  provider: 'fiken',
  country: 'NO',
  start: (companies, clock) => FikenSimulator.start({ companies, perSecond: 1_000, clock }),
  origin: (sim) => new URL(sim.apiBaseUrl).origin,
  /** Configuration, app credentials and a consent given through the simulator (it approves at once). */
  async connect(sim, { origin, orgId, dir, env, clock }): Promise<FikenConnection> {
    const org: FikenOrgConfig = {
      provider: 'fiken',
      country: 'NO',
      keepYears: 3,
      fiken: { companySlug: sim.companySlugs[0]!, apiBaseUrl: origin + new URL(sim.apiBaseUrl).pathname, oauthBaseUrl: origin },
    };
    const configPath = join(dir, 'ledgerhouse.json');
    await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations: { [orgId]: org } });
    const app = { clientId: sim.clientId, clientSecret: sim.clientSecret };
    // The person "opens" the URL: the simulator approves and redirects to our loopback listener.
    const tokens = await giveConsent(org, app, { orgId, mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
    const store = await CredentialStore.open(credentialsDir(configPath), env);
    await store.set(orgId, { ...app, ...tokens });
    return {
      org,
      store,
      configPath,
      source: async (overrides: Partial<RetryPolicy> = {}) => (await connection(orgId, org, store, { rate, retry: { ...retry, ...overrides }, clock })).source(),
    };
  },
  // A cancellation is Fiken's deletion: the entry is kept, flagged, and a reversing entry added.
  mutate(sim, plan) {
    const report = sim.mutate(0, plan);
    return [
      ...[...report.added, ...report.reversals].map((k) => ({ voucher: String(k.journalEntryId), change: 'inserted' as const })),
      ...[...report.edited, ...report.deleted].map((k) => ({ voucher: String(k.journalEntryId), change: 'updated' as const })),
    ];
  },
  // Journal entries are named by Fiken's id (none is ever deleted, so each is still in `voucher`);
  // a row without its voucher keeps its voucher_id, so it shows up as unexpected.
  changes: (warehouse, runId) =>
    warehouse.all<VoucherChange>(
      `SELECT coalesce(json_extract_string(v.extra, '$.fiken_id'), c.voucher_id) AS voucher, c.change FROM change_log c
       LEFT JOIN voucher v USING (org_id, voucher_id) WHERE c.run_id = $1`,
      [runId],
    ),
  voucherPath: /journalEntries/,
  expireCredentials: async (sim) => sim.expireAccessTokens(),
  afterFaults(sim) {
    expect(sim.stats().refreshes).toBe(1);
    expect(sim.stats().concurrentRejected).toBe(0);
  },
  spec: {
    basePath: '/api/v2',
    // Fiken documents no error body (the spec declares none), so only successes are checked.
    validate: (method, path, status, body) => (status >= 400 ? [] : validateFikenResponse(method, fikenPathTemplate(method, path) ?? path, status, body)),
  },
};
