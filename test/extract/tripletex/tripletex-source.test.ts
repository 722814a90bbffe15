import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOrganization } from '../../../pipeline/index.ts';
import { ProviderAuthError, TripletexClient, tripletexCompanies, tripletexSource } from '../../../extract/index.ts';
import { Warehouse } from '../../../load/index.ts';
import { FixedClock } from '../../../model/index.ts';
import { generateCompany, TripletexSimulator } from '../../../sandbox/index.ts';
import { movementsOf, warehouseMovements } from '../../helpers/ledger-truth.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const rate = { concurrency: 2, requestsPerInterval: 100, intervalMs: 100 };
const retry = { baseDelayMs: 5, maxDelayMs: 50, maxRetryTimeMs: 5_000 };

describe('the Tripletex client and connector against the simulator', () => {
  const own = generateCompany({ seed: 21, country: 'NO', linesPerYear: 800, years: 2, currentYear: 2026 });
  const client = generateCompany({ seed: 22, country: 'NO', linesPerYear: 800, years: 2, currentYear: 2026 });
  // One clock for the client, the simulators and the engine: what each calls today agrees.
  const clock = new FixedClock('2026-11-22');
  let sim: TripletexSimulator;
  let firm: TripletexSimulator;
  beforeAll(async () => {
    sim = await TripletexSimulator.start({ companies: [own], clock });
    firm = await TripletexSimulator.start({ companies: [own, client], accountant: true, clock });
  });
  afterAll(async () => {
    await sim.close();
    await firm.close();
  });
  const credentials = (s: TripletexSimulator) => ({ consumerToken: s.consumerToken, employeeToken: s.employeeToken });

  it('mints a session with a future expiry and a new one the day before it lapses', async () => {
    const tripletex = new TripletexClient({ baseUrl: sim.baseUrl, credentials: credentials(sim), rate, retry, clock });
    try {
      sim.resetStats();
      await tripletex.get('token/session/>whoAmI');
      await tripletex.get('token/session/>whoAmI');
      expect(sim.stats().byPath['/token/session/:create']).toBe(1);
      clock.set('2026-11-28'); // the session made on the 22nd runs to the 29th: renewed a day early
      await tripletex.get('token/session/>whoAmI');
      expect(sim.stats().byPath['/token/session/:create']).toBe(2);
    } finally {
      await tripletex.close();
      clock.set('2026-11-22');
    }
    // Closing ends the session instead of leaving it valid for a week.
    const deletes = Object.keys(sim.stats().byPath).filter((p) => /^\/token\/session\/(?!:create|>whoAmI)/.test(p));
    expect(deletes).toHaveLength(1);
  });

  it("reaches an accountant's client companies by their id, and refuses the firm's own ledger", async () => {
    const reachable = await tripletexCompanies({ baseUrl: firm.baseUrl, credentials: credentials(firm), rate, retry });
    expect(reachable.filter((c) => c.access === 'client').map((c) => c.id)).toEqual(firm.companyIds);

    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const source = tripletexSource({ baseUrl: firm.baseUrl, credentials: credentials(firm), clientCompanyId: firm.companyIds[1]!, rate, retry, clock });
      const summary = await syncOrganization(warehouse, source, { orgId: 'client', clock });
      expect(summary.status).toBe('succeeded');
      expect(summary.organization.name).toBe(client.organization.name);
      const start = client.truth.years[1]!.fiscal_year.start_date;
      expect(await warehouseMovements(warehouse, 'client', start)).toEqual(movementsOf(client.truth.movements(start)));

      const firmItself = tripletexSource({ baseUrl: firm.baseUrl, credentials: credentials(firm), rate, retry, clock });
      const refused = await syncOrganization(warehouse, firmItself, { orgId: 'firm', clock }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ProviderAuthError);
      expect((refused as ProviderAuthError).status).toBe(403);
    } finally {
      warehouse.close();
    }
  });

  it("gives each fiscal year Tripletex's own id for it, its annualAccount id", async () => {
    const source = tripletexSource({ baseUrl: sim.baseUrl, credentials: credentials(sim), rate, retry, clock });
    const tripletex = new TripletexClient({ baseUrl: sim.baseUrl, credentials: credentials(sim), rate, retry, clock });
    try {
      const annual = await tripletex.all<{ id: number; year: number }>('ledger/annualAccount', { fields: 'id,year' });
      const years = await source.fiscalYears();
      expect(years.map((y) => [y.label, y.source_year_ref])).toEqual(annual.map((a) => [String(a.year), String(a.id)]));
      expect(years.length).toBeGreaterThan(0);
    } finally {
      await tripletex.close();
      await source.close();
    }
  });

  it('reads customers and suppliers changed since the last sync, an hour behind the cursor', async () => {
    const local = await TripletexSimulator.start({ companies: [own], clock });
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const sync = () => syncOrganization(warehouse, tripletexSource({ baseUrl: local.baseUrl, credentials: credentials(local), rate, retry, clock }), { orgId: 'acme', clock });
      const first = await sync();
      const parties = own.fiscalYears[0]!.parties.length;
      expect(first.streams.filter((s) => s.stream === 'customers' || s.stream === 'suppliers').reduce((n, s) => n + s.rows, 0)).toBe(parties);

      const report = local.mutate(0, { parties: 2, seed: 3 });
      const second = await sync();
      // Only what changed (the renamed parties) comes back, not every party again.
      const reread = second.streams.filter((s) => s.stream === 'customers' || s.stream === 'suppliers').reduce((n, s) => n + s.rows, 0);
      expect(reread).toBeGreaterThanOrEqual(2);
      expect(reread).toBeLessThan(parties);
      expect(report.renamedParties).toHaveLength(2);
      for (const renamed of report.renamedParties) {
        const before = own.fiscalYears[0]!.parties.find((p) => p.party_type === renamed.kind && p.party_id === String(renamed.number))!;
        const row = await warehouse.one<{ name: string }>('SELECT name FROM party WHERE org_id = $1 AND party_type = $2 AND party_id = $3', ['acme', renamed.kind, before.party_id]);
        expect(row?.name).toBeTruthy();
        expect(row?.name).not.toBe(before.name);
      }
    } finally {
      warehouse.close();
      await local.close();
    }
  });
});
