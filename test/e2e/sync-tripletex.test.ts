import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsDir, syncOrganization, type SyncSummary } from '../../pipeline/index.ts';
import { CredentialStore, ProviderAuthError, tripletexSource } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { generateCompany, TripletexSimulator, type VoucherKey } from '../../sandbox/index.ts';
import { expectGeneratorTruth, movementsOf, warehouseMovements } from '../helpers/ledger-truth.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';
import { expectCrashSafeSync } from '../helpers/sync-crash.ts';

// One clock for the simulators, the client and the engine: what each calls today agrees.
const clock = new FixedClock('2026-11-22');
// The tests are about correctness under faults, not about waiting: short backoffs, a generous limit.
const retry = { baseDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 15_000 };
const rate = { concurrency: 4, requestsPerInterval: 100, intervalMs: 100 };
const secretKey = Buffer.alloc(32, 7).toString('base64');

function source(sim: TripletexSimulator, overrides: Partial<typeof retry> = {}) {
  return tripletexSource({
    baseUrl: sim.baseUrl,
    credentials: { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken },
    country: 'NO',
    rate,
    retry: { ...retry, ...overrides },
    clock,
  });
}

async function sync(warehouse: Warehouse, sim: TripletexSimulator, options: { full?: boolean; fiscalYear?: string; orgId?: string } = {}): Promise<SyncSummary> {
  return syncOrganization(warehouse, source(sim), { orgId: options.orgId ?? 'acme', clock, full: options.full, fiscalYear: options.fiscalYear });
}

const voucherId = (k: VoucherKey) => `${k.year}/${k.voucherTypeId ?? 'none'}/${k.number}`;

describe('syncing a Tripletex company over HTTP', () => {
  const company = generateCompany({ seed: 11, country: 'NO', linesPerYear: 3_000, currentYear: 2026 });
  let sim: TripletexSimulator;
  beforeAll(async () => {
    sim = await TripletexSimulator.start({ companies: [company], clock, rateLimit: { limit: 10_000, windowMs: 1_000 } });
  });
  afterAll(() => sim.close());

  it("gives the generator's trial balance per account and month, to the øre, and a second sync changes nothing", async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const threads = () => warehouse.one<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t");
      const threadsBefore = await threads();
      const first = await sync(warehouse, sim);
      expect(first.status).toBe('succeeded');
      // The sync leaves DuckDB a core short while it runs, and gives it back.
      expect(await threads()).toEqual(threadsBefore);
      expect(first.years.map((y) => y.label)).toEqual(['2024', '2025', '2026']);
      await expectGeneratorTruth(warehouse, company, 'acme');
      const accounts = await warehouse.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM account WHERE org_id = 'acme'");
      expect(accounts?.n).toBe(company.fiscalYears[0]!.accounts.length);
      const org = await warehouse.one<{ name: string; source: string }>("SELECT name, source FROM organization WHERE org_id = 'acme'");
      expect(org).toEqual({ name: company.organization.name, source: 'tripletex' });
      // Voucher types keep the names their own stream gave them; the vouchers only name them by id.
      const journals = await warehouse.all<{ journal_id: string; name: string }>("SELECT journal_id, name FROM journal WHERE org_id = 'acme' ORDER BY name");
      expect(journals.map((j) => j.name)).toEqual(company.fiscalYears[0]!.journals.map((j) => j.name).sort());

      const before = await dumpLedger(warehouse);
      const second = await sync(warehouse, sim, { full: true });
      expect(second.status).toBe('succeeded');
      expect(second.streams.every((s) => s.changes.inserted + s.changes.updated + s.changes.deleted === 0)).toBe(true);
      expect(await dumpLedger(warehouse)).toEqual(before);
    } finally {
      warehouse.close();
    }
  });

  it('shows exactly the vouchers the source added, edited and deleted, in the tables and the change log', async () => {
    const local = await TripletexSimulator.start({ companies: [company], clock, rateLimit: { limit: 10_000, windowMs: 1_000 } });
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await sync(warehouse, local);
      const report = local.mutate(0, { add: 3, edit: 4, delete: 2, fiscalYearStart: '2026-01-01', seed: 5 });
      const closedReport = local.mutate(0, { edit: 1, fiscalYearStart: '2024-01-01', seed: 6 });
      const summary = await sync(warehouse, local);
      expect(summary.status).toBe('succeeded');
      // The closed year is not re-read within a week…
      expect(summary.streams.filter((s) => s.slice === '2024').map((s) => s.status)).toEqual(['skipped', 'skipped']);
      const changes = await warehouse.all<{ voucher_id: string; change: string }>(
        'SELECT voucher_id, change FROM change_log WHERE run_id = $1 ORDER BY change, voucher_id',
        [summary.runId],
      );
      const expected = [
        ...report.deleted.map((k) => ({ voucher_id: voucherId(k), change: 'deleted' })),
        ...report.added.map((k) => ({ voucher_id: voucherId(k), change: 'inserted' })),
        ...report.edited.map((k) => ({ voucher_id: voucherId(k), change: 'updated' })),
      ].sort((a, b) => a.change.localeCompare(b.change) || a.voucher_id.localeCompare(b.voucher_id));
      expect(changes).toEqual(expected);
      const truth = local.truth(0).years;
      const current = truth.find((y) => y.start === '2026-01-01')!;
      expect(await warehouseMovements(warehouse, 'acme', '2026-01-01')).toEqual(movementsOf(current.movements));
      const gone = await warehouse.all("SELECT voucher_id FROM voucher WHERE list_contains(string_split($1, ','), voucher_id)", [report.deleted.map(voucherId).join(',')]);
      expect(gone).toEqual([]);

      // …but is when asked for.
      const asked = await sync(warehouse, local, { fiscalYear: '2024' });
      const closedChanges = await warehouse.all<{ voucher_id: string; change: string }>('SELECT voucher_id, change FROM change_log WHERE run_id = $1', [asked.runId]);
      expect(closedChanges).toEqual(closedReport.edited.map((k) => ({ voucher_id: voucherId(k), change: 'updated' })));
      const closed = truth.find((y) => y.start === '2024-01-01')!;
      expect(await warehouseMovements(warehouse, 'acme', '2024-01-01')).toEqual(movementsOf(closed.movements));
    } finally {
      warehouse.close();
      await local.close();
    }
  });

  it('survives 429 storms, 5xx bursts, dropped connections and an expired session without losing data', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      sim.resetStats();
      sim.faults.inject({ kind: 'status', status: 429, count: 12 });
      sim.faults.inject({ kind: 'status', status: 503, count: 4, path: /ledger\/voucher/ });
      sim.faults.inject({ kind: 'drop', count: 3, path: /ledger\/voucher/ });
      sim.faults.inject({ kind: 'status', status: 500, count: 2, path: /balanceSheet/ });
      const tripletex = source(sim);
      await tripletex.organization();
      sim.expireSessions();
      const summary = await syncOrganization(warehouse, tripletex, { orgId: 'acme', clock });
      expect(summary.status).toBe('succeeded');
      expect(sim.stats().injected).toBe(12 + 4 + 3 + 2);
      await expectGeneratorTruth(warehouse, company, 'acme');
    } finally {
      sim.faults.clear();
      warehouse.close();
    }
  });

  it('goes on with the other streams when one fails, and ends partial naming it', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      sim.faults.inject({ kind: 'status', status: 500, count: 10_000, path: /ledger\/vatType/ });
      const summary = await syncOrganization(warehouse, source(sim, { maxRetryTimeMs: 300 }), { orgId: 'acme', clock });
      sim.faults.clear();
      expect(summary.status).toBe('partial');
      expect(summary.streams.filter((s) => s.status === 'failed').map((s) => s.stream)).toEqual(['tax_codes']);
      const run = await warehouse.one<{ status: string; error: string }>('SELECT status, error FROM sync_run WHERE run_id = $1', [summary.runId]);
      expect(run?.status).toBe('partial');
      expect(run?.error).toMatch(/^tax_codes organization: tripletex: GET \/v2\/ledger\/vatType answered 500: it still failed after \d+ attempts/);
      await expectGeneratorTruth(warehouse, company, 'acme');
    } finally {
      sim.faults.clear();
      warehouse.close();
    }
  });

  it('ends the run with what to do when the employee token is revoked', async () => {
    const local = await TripletexSimulator.start({ companies: [company], clock });
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      local.revokeEmployeeToken();
      const failure = await sync(warehouse, local).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ProviderAuthError);
      expect((failure as Error).message).toMatch(/credentials were refused; create an employee token .* Integrations add-on/);
      const run = await warehouse.one<{ status: string; error: string }>("SELECT status, error FROM sync_run WHERE org_id = 'acme'");
      expect(run).toEqual({ status: 'failed', error: (failure as Error).message });
      expect(run!.error).not.toContain(local.employeeToken);
    } finally {
      warehouse.close();
      await local.close();
    }
  });
});

describe('a sync killed at any moment', () => {
  it('followed by a new run gives the same warehouse as an uninterrupted run', async () => {
    const dir = tempDir();
    const company = generateCompany({ seed: 12, country: 'NO', linesPerYear: 15_000, currentYear: 2026 });
    const sim = await TripletexSimulator.start({ companies: [company], clock, rateLimit: { limit: 10_000, windowMs: 1_000 } });
    try {
      const config = join(dir, 'ledgerhouse.json');
      writeFileSync(config, JSON.stringify({ version: 1, organizations: { crash: { provider: 'tripletex', tripletex: { baseUrl: sim.baseUrl } } } }));
      const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: secretKey };
      const store = await CredentialStore.open(credentialsDir(config), env);
      await store.set('crash', { consumerToken: sim.consumerToken, employeeToken: sim.employeeToken });
      const cleanPath = await expectCrashSafeSync({ orgId: 'crash', configPath: config, dir, env, killAfterMs: [900, 1_700, 2_600, 3_800] });
      const clean = await Warehouse.open(cleanPath);
      await expectGeneratorTruth(clean, company, 'crash');
      clean.close();
    } finally {
      await sim.close();
    }
  }, 120_000);
});
