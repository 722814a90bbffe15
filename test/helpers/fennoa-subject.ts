// Fennoa as the conformance suite sees it, and the one place the tests build a Fennoa source:
// the sandbox simulator, the configuration `ledgerhouse sync` reads with the API user and key
// stored, mutations at the source, and the shapes of the engineering notes (Fennoa publishes
// no spec: §2.1–2.5 are what answers are checked against).
import { join } from 'node:path';
import { expect } from 'vitest';
import { CredentialStore, type FennoaOrgConfig, type RetryPolicy } from '../../extract/index.ts';
import { connection, credentialsDir, saveConfig } from '../../pipeline/index.ts';
import { FennoaSimulator, type StatementKey } from '../../sandbox/index.ts';
import type { ConnectedSource, SourceSubject } from './source-conformance.ts';

// The tests are about correctness under faults, not about waiting: short backoffs, a generous limit.
const rate = { concurrency: 10, requestsPerInterval: 1_000, intervalMs: 100 };
const retry = { baseDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 15_000 };

/** How change_log names a Fennoa statement: the period's first year, the series, the number. */
export const fennoaVoucherId = (k: StatementKey) => `${k.year}/${k.series}/${k.no}`;

export interface FennoaConnection extends ConnectedSource {
  org: FennoaOrgConfig;
  store: CredentialStore;
}

export async function connectFennoa(sim: FennoaSimulator, { origin, orgId, dir, env }: { origin: string; orgId: string; dir: string; env: NodeJS.ProcessEnv }, clock?: import('../../model/index.ts').Clock): Promise<FennoaConnection> {
  const org: FennoaOrgConfig = {
    provider: 'fennoa',
    country: 'FI',
    keepYears: 3,
    fennoa: { baseUrl: `${origin}/api`, companyName: sim.companyName, ...(sim.businessId ? { businessId: sim.businessId } : {}) },
  };
  const configPath = join(dir, 'ledgerhouse.json');
  await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations: { [orgId]: org } });
  const store = await CredentialStore.open(credentialsDir(configPath), env);
  await store.set(orgId, { apiUser: sim.apiUser, apiKey: sim.apiKey });
  return {
    org,
    store,
    configPath,
    source: async (overrides: Partial<RetryPolicy> = {}) => (await connection(orgId, org, store, { rate, retry: { ...retry, ...overrides }, clock })).source(),
  };
}

export const fennoaSubject: SourceSubject<FennoaSimulator, FennoaConnection> = {
  provider: 'fennoa',
  country: 'FI',
  start: (companies, clock) => FennoaSimulator.start({ company: companies[0]!, perSecond: 10_000, clock }),
  origin: (sim) => sim.origin,
  connect: (sim, at) => connectFennoa(sim, at, at.clock),
  mutate(sim, plan) {
    const report = sim.mutate(plan);
    return [
      ...report.added.map((k) => ({ voucher: fennoaVoucherId(k), change: 'inserted' as const })),
      ...report.edited.map((k) => ({ voucher: fennoaVoucherId(k), change: 'updated' as const })),
      ...report.deleted.map((k) => ({ voucher: fennoaVoucherId(k), change: 'deleted' as const })),
    ];
  },
  voucherPath: /accounting_api\/get\/ledger/,
  // An API key does not expire: it works until it is revoked (see the connector tests for that).
  expireCredentials: async () => undefined,
  afterFaults(sim) {
    // Only the injected 429s: the client stayed within the limit.
    expect(sim.stats().rateLimited).toBe(0);
  },
  spec: { basePath: '/api', validate: validateFennoaAnswer },
};

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isAmount = (v: unknown) => v === null || (typeof v === 'number' && v >= 0 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6);

/** An answer against the notes: the envelope (§2.4), errors (§2.1), paging (§2.2) and the rows of §2.3 and §2.5. */
export function validateFennoaAnswer(method: string, path: string, status: number, body: unknown): string[] {
  const problems: string[] = [];
  if (method !== 'GET') return [`${method}: the connector only reads`];
  const b = body as { status?: unknown; data?: unknown; errors?: unknown; pagination?: Record<string, unknown> } | undefined;
  if (!b || typeof b !== 'object') return ['no JSON object'];
  if (typeof b.status !== 'string' || !/^(ok|error)$/i.test(b.status)) problems.push(`status ${JSON.stringify(b.status)} is not ok/error`);
  if (status >= 400) {
    if (![400, 401, 403, 404, 405, 429, 500, 503].includes(status)) problems.push(`status ${status} is not one Fennoa documents`);
    if (b.errors === undefined) problems.push('an error without "errors"');
    return problems;
  }
  if (!Array.isArray(b.data)) return [...problems, '"data" is not a list'];
  const rows = b.data as Record<string, unknown>[];
  const need = (fields: string[]) => {
    for (const [i, r] of rows.entries()) for (const f of fields) if (r[f] === undefined) problems.push(`row ${i + 1} lacks ${f}`);
  };
  if (/^\/accounting_api\/get\/ledger\/\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/.test(path)) {
    const p = b.pagination;
    if (!p || typeof p.page !== 'number' || typeof p.limit !== 'number' || typeof p.pagesCount !== 'number') problems.push('pagination is not {page, limit, pagesCount}');
    else if ((p.limit as number) > 500) problems.push(`limit ${String(p.limit)} is over 500`);
    need(['statement_series_code', 'statement_no', 'entry_date', 'account', 'debit', 'credit']);
    for (const r of rows) {
      if (!isDate(r.entry_date)) problems.push(`entry_date ${JSON.stringify(r.entry_date)}`);
      if (!isAmount(r.debit) || !isAmount(r.credit)) problems.push('debit/credit not positive amounts with two decimals');
      if ((r.debit === null) === (r.credit === null)) problems.push('a row with both or neither of debit and credit');
    }
  } else if (path === '/accounting_api/get/periods') need(['id', 'start_date', 'end_date']);
  else if (path === '/accounting_api/get/accounts') need(['code', 'name_fi', 'name_en', 'name_sv', 'is_active']);
  else if (path === '/accounting_api/get/vatcodes') need(['id']);
  else if (/^\/accounting_api\/get\/opening_balances\/\d+$/.test(path)) need(['account']);
  else if (path === '/dimension_api/get/types') need(['id', 'name_fi', 'name_en', 'name_sv']);
  else if (path === '/dimension_api' || path === '/dimension_api/') need(['id', 'code', 'name_fi', 'name_en', 'name_sv', 'description', 'is_active', 'active_after']);
  else problems.push('a path the notes do not list');
  return problems;
}
