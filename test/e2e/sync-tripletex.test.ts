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
});
