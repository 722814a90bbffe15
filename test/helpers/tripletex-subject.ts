// Tripletex as the conformance suite sees it, and the one place the tests build a Tripletex
// source: the sandbox simulator, a source on it, the configuration `ledgerhouse sync` reads,
// mutations at the source and the official spec.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CredentialStore, tripletexSource, type RetryPolicy } from '../../extract/index.ts';
import { credentialsDir } from '../../pipeline/index.ts';
import { TripletexSimulator, type VoucherKey } from '../../sandbox/index.ts';
import { pathTemplate, validateResponse } from './openapi.ts';
import type { ConnectedSource, SourceSubject } from './source-conformance.ts';

// The tests are about correctness under faults, not about waiting: short backoffs, a generous limit.
const retry = { baseDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 15_000 };
const rate = { concurrency: 4, requestsPerInterval: 100, intervalMs: 100 };

/** How change_log names a Tripletex voucher: year, voucher type, number. */
export const tripletexVoucherId = (k: VoucherKey) => `${k.year}/${k.voucherTypeId ?? 'none'}/${k.number}`;

export const tripletexSubject: SourceSubject<TripletexSimulator> = {
  provider: 'tripletex',
  country: 'NO',
  start: (companies, clock) => TripletexSimulator.start({ companies, clock, rateLimit: { limit: 10_000, windowMs: 1_000 } }),
  origin: (sim) => new URL(sim.baseUrl).origin,
  async connect(sim, { origin, orgId, dir, env, clock }): Promise<ConnectedSource> {
    const baseUrl = origin + new URL(sim.baseUrl).pathname;
    const configPath = join(dir, 'ledgerhouse.json');
    writeFileSync(configPath, JSON.stringify({ version: 1, organizations: { [orgId]: { provider: 'tripletex', tripletex: { baseUrl } } } }));
    const credentials = { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken };
    await (await CredentialStore.open(credentialsDir(configPath), env)).set(orgId, credentials);
    return {
      configPath,
      source: async (overrides: Partial<RetryPolicy> = {}) => tripletexSource({ baseUrl, credentials, country: 'NO', rate, retry: { ...retry, ...overrides }, clock }),
    };
  },
  mutate(sim, plan) {
    const report = sim.mutate(0, plan);
    return [
      ...report.added.map((k) => ({ voucher: tripletexVoucherId(k), change: 'inserted' as const })),
      ...report.edited.map((k) => ({ voucher: tripletexVoucherId(k), change: 'updated' as const })),
      ...report.deleted.map((k) => ({ voucher: tripletexVoucherId(k), change: 'deleted' as const })),
    ];
  },
  voucherPath: /ledger\/voucher/,
  // A session exists once the source has asked who it is; then every session expires.
  async expireCredentials(sim, source) {
    await source.organization();
    sim.expireSessions();
  },
  afterFaults(sim) {
    // The expired session was replaced by a new one, not worked around.
    expect(sim.stats().byPath['/token/session/:create']).toBeGreaterThanOrEqual(2);
  },
  spec: { basePath: '/v2', validate: (method, path, status, body) => validateResponse(method, pathTemplate(method, path) ?? path, status, body) },
};
