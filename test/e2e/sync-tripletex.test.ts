// What only Tripletex does; what every connector does is in tripletex-conformance.test.ts.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOrganization } from '../../pipeline/index.ts';
import { ProviderAuthError } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { generateCompany, type TripletexSimulator } from '../../sandbox/index.ts';
import { expectGeneratorTruth } from '../helpers/ledger-truth.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { tripletexSubject } from '../helpers/tripletex-subject.ts';

// One clock for the simulators, the client and the engine: what each calls today agrees.
const clock = new FixedClock('2026-11-22');
const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
const connect = (sim: TripletexSimulator) => tripletexSubject.connect(sim, { origin: tripletexSubject.origin(sim), orgId: 'acme', dir: tempDir(), env, clock });

describe('syncing a Tripletex company over HTTP', () => {
  const company = generateCompany({ seed: 11, country: 'NO', linesPerYear: 1_000, currentYear: 2026 });
  let sim: TripletexSimulator;
  beforeAll(async () => {
    sim = await tripletexSubject.start([company], clock);
  });
  afterAll(() => sim.close());

  it('goes on with the other streams when one fails, and ends partial naming it', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      sim.faults.inject({ kind: 'status', status: 500, count: 10_000, path: /ledger\/vatType/ });
      const summary = await syncOrganization(warehouse, await (await connect(sim)).source({ maxRetryTimeMs: 300 }), { orgId: 'acme', clock });
      sim.faults.clear();
      expect(summary.status).toBe('partial');
      expect(summary.streams.filter((s) => s.status === 'failed').map((s) => s.stream)).toEqual(['tax_codes']);
      const run = await warehouse.one<{ status: string; error: string }>('SELECT status, error FROM sync_run WHERE run_id = $1', [summary.runId]);
      expect(run?.status).toBe('partial');
      expect(run?.error).toMatch(/^tax_codes organization: tripletex: GET \/v2\/ledger\/vatType answered 500: it still failed after \d+ attempts/);
      await expectGeneratorTruth(warehouse, company, 'acme');
      const accounts = await warehouse.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM account WHERE org_id = 'acme'");
      expect(accounts?.n).toBe(company.fiscalYears[0]!.accounts.length);
      // Voucher types keep the names their own stream gave them; the vouchers only name them by id.
      const journals = await warehouse.all<{ journal_id: string; name: string }>("SELECT journal_id, name FROM journal WHERE org_id = 'acme' ORDER BY name");
      expect(journals.map((j) => j.name)).toEqual(company.fiscalYears[0]!.journals.map((j) => j.name).sort());
    } finally {
      sim.faults.clear();
      warehouse.close();
    }
  });

  it('ends the run with what to do when the employee token is revoked', async () => {
    const local = await tripletexSubject.start([company], clock);
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      local.revokeEmployeeToken();
      const failure = await syncOrganization(warehouse, await (await connect(local)).source(), { orgId: 'acme', clock }).catch((e: unknown) => e);
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

  it('holds back a year the API answers empty, committing the other slices, and empties it with --accept-deletions', async () => {
    const local = await tripletexSubject.start([company], clock);
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const connected = await connect(local);
      const first = await syncOrganization(warehouse, await connected.source(), { orgId: 'acme', clock });
      const year = first.years.at(-1)!;
      const held = local.truth(0).years.find((y) => y.start === year.start_date)!.vouchers;
      const vouchersOf = async () => (await warehouse.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM voucher WHERE org_id = $1 AND fiscal_year_start = $2', ['acme', year.start_date]))!.n;
      expect(await vouchersOf()).toBe(held);
      // Every voucher of the year gone at the source: its postings answer an empty page.
      local.mutate(0, { delete: held, fiscalYearStart: year.start_date, seed: 3 });

      const refused = await syncOrganization(warehouse, await connected.source(), { orgId: 'acme', clock, full: true });
      expect(refused.status).toBe('partial');
      const failed = refused.streams.filter((s) => s.status === 'failed');
      expect(failed.map((s) => `${s.stream} ${s.slice}`)).toEqual([`vouchers ${year.label}`]);
      expect(failed[0]!.note).toBe(
        `tripletex vouchers ${year.label} would delete ${held} of the ${held} vouchers of fiscal year ${year.label} (100%, leaving 0) of organization "acme", far more than usual (a file cut short, an empty answer), so nothing of it was committed; if they really were deleted at the source, run it again with --accept-deletions.`,
      );
      expect(await vouchersOf()).toBe(held);

      const accepted = await syncOrganization(warehouse, await connected.source(), { orgId: 'acme', clock, full: true, acceptDeletions: true });
      expect(accepted.status).toBe('succeeded');
      expect(await vouchersOf()).toBe(0);
      const run = await warehouse.one<{ stats: string }>('SELECT stats FROM sync_run WHERE run_id = $1', [accepted.runId]);
      expect(JSON.parse(run!.stats).accept_deletions).toBe(true);
    } finally {
      warehouse.close();
      await local.close();
    }
  });
});

