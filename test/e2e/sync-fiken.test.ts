import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsDir, saveConfig, connection, giveConsent, syncOrganization, type SyncSummary } from '../../pipeline/index.ts';
import { ConsentError, CredentialStore, fikenApp, OAuth2Session, refreshTokens, tokenSecrets, type FikenOrgConfig, type TokenVault } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { FikenSimulator, generateCompany } from '../../sandbox/index.ts';
import { expectGeneratorTruth, movementsOf, warehouseMovements } from '../helpers/ledger-truth.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';
import { expectCrashSafeSync } from '../helpers/sync-crash.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
// One clock for the simulators, the client and the engine: what each calls today agrees.
const clock = new FixedClock('2026-11-22');
const secretKey = Buffer.alloc(32, 9).toString('base64');
const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: secretKey };
// One request at a time, as Fiken demands, but faster than its 4 a second: the simulators here allow it.
const rate = { concurrency: 1, requestsPerInterval: 100, intervalMs: 100 };
const retry = { baseDelayMs: 5, maxDelayMs: 100, maxRetryTimeMs: 15_000 };

interface Setup {
  sim: FikenSimulator;
  store: CredentialStore;
  org: FikenOrgConfig;
  configPath: string;
}

/** Configuration, app credentials and a consent given through the simulator (it approves at once). */
async function connect(sim: FikenSimulator, dir: string, orgId = 'acme', companyIndex = 0): Promise<Setup> {
  const org: FikenOrgConfig = {
    provider: 'fiken',
    country: 'NO',
    keepYears: 3,
    fiken: { companySlug: sim.companySlugs[companyIndex]!, apiBaseUrl: sim.apiBaseUrl, oauthBaseUrl: sim.apiBaseUrl.replace(/\/api\/v2$/, '') },
  };
  const configPath = join(dir, 'ledgerhouse.json');
  await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations: { [orgId]: org } });
  const app = { clientId: sim.clientId, clientSecret: sim.clientSecret };
  // The person "opens" the URL: the simulator approves and redirects to our loopback listener.
  const tokens = await giveConsent(org, app, { orgId, mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
  const store = await CredentialStore.open(credentialsDir(configPath), env);
  await store.set(orgId, { ...app, ...tokens });
  return { sim, store, org, configPath };
}

async function sync(warehouse: Warehouse, setup: Setup, orgId = 'acme', full = false): Promise<SyncSummary> {
  return syncOrganization(warehouse, (await connection(orgId, setup.org, setup.store, { rate, retry, clock })).source(), { orgId, clock, full });
}

describe('syncing a Fiken company over HTTP, after an OAuth consent', () => {
  const company = generateCompany({ seed: 31, country: 'NO', linesPerYear: 1_500, currentYear: 2026 });
  let sim: FikenSimulator;
  beforeAll(async () => {
    sim = await FikenSimulator.start({ companies: [company], perSecond: 1_000, clock });
  });
  afterAll(() => sim.close());

  it("gives the generator's trial balance to the øre, and a second sync changes nothing", async () => {
    const setup = await connect(sim, tempDir());
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const first = await sync(warehouse, setup);
      expect(first.status).toBe('succeeded');
      expect(first.years.map((y) => y.label)).toEqual(['2024', '2025', '2026']);
      await expectGeneratorTruth(warehouse, company, 'acme');
      const before = await dumpLedger(warehouse);
      const second = await sync(warehouse, setup, 'acme', true);
      expect(second.status).toBe('succeeded');
      expect(await dumpLedger(warehouse)).toEqual(before);
    } finally {
      warehouse.close();
    }
  });

  it('reads only what changed since the last sync, and shows new, edited and cancelled entries', async () => {
    const local = await FikenSimulator.start({ companies: [company], perSecond: 1_000, clock });
    const setup = await connect(local, tempDir());
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await sync(warehouse, setup);
      const report = local.mutate(0, { add: 3, edit: 2, delete: 2, fiscalYearStart: '2026-01-01', seed: 4 });
      const summary = await sync(warehouse, setup);
      expect(summary.status).toBe('succeeded');
      const current = summary.streams.find((s) => s.stream === 'vouchers' && s.slice === '2026')!;
      expect(current.rows).toBeLessThan(100); // an incremental read, not the year again
      const changes = await warehouse.all<{ fiken_id: number; change: string }>(
        `SELECT json_extract(v.extra, '$.fiken_id')::INTEGER AS fiken_id, c.change FROM change_log c
         JOIN voucher v USING (org_id, voucher_id) WHERE c.run_id = $1 ORDER BY fiken_id`,
        [summary.runId],
      );
      const expected = [
        ...[...report.added, ...report.reversals].map((k) => ({ fiken_id: k.journalEntryId, change: 'inserted' })),
        ...[...report.edited, ...report.deleted].map((k) => ({ fiken_id: k.journalEntryId, change: 'updated' })),
      ].sort((a, b) => a.fiken_id - b.fiken_id);
      expect(changes).toEqual(expected);
      const truth = local.truth(0).years.find((y) => y.start === '2026-01-01')!;
      expect(await warehouseMovements(warehouse, 'acme', '2026-01-01')).toEqual(movementsOf(truth.movements));
    } finally {
      warehouse.close();
      await local.close();
    }
  });

  it('survives 429s, 5xx, dropped connections and an expired access token', async () => {
    const setup = await connect(sim, tempDir());
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      sim.resetStats();
      sim.faults.inject({ kind: 'status', status: 429, count: 6 });
      sim.faults.inject({ kind: 'status', status: 503, count: 3, path: /journalEntries/ });
      sim.faults.inject({ kind: 'drop', count: 2, path: /journalEntries/ });
      sim.expireAccessTokens();
      const summary = await sync(warehouse, setup);
      expect(summary.status).toBe('succeeded');
      expect(sim.stats().injected).toBe(6 + 3 + 2);
      expect(sim.stats().refreshes).toBe(1);
      expect(sim.stats().concurrentRejected).toBe(0);
      await expectGeneratorTruth(warehouse, company, 'acme');
    } finally {
      sim.faults.clear();
      warehouse.close();
    }
  });

  it('keeps working when a run died between a token refresh and storing the new tokens', async () => {
    const setup = await connect(sim, tempDir());
    const stored = (await setup.store.get('acme'))!;
    // Another run refreshed, then died before it could store the rotated refresh token.
    await refreshTokens(fikenApp(setup.org.fiken, { clientId: stored.clientId!, clientSecret: stored.clientSecret! }), stored.refreshToken!, 'acme');
    sim.expireAccessTokens();
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      expect((await sync(warehouse, setup)).status).toBe('succeeded');
      expect((await setup.store.get('acme'))!.refreshToken).not.toBe(stored.refreshToken);
    } finally {
      warehouse.close();
    }
  });

  it('refreshes once when two runs find the token expired at the same time', async () => {
    const setup = await connect(sim, tempDir());
    const stored = (await setup.store.get('acme'))!;
    const app = fikenApp(setup.org.fiken, { clientId: stored.clientId!, clientSecret: stored.clientSecret! });
    const vault = (): TokenVault => ({
      read: async () => {
        const s = (await setup.store.get('acme'))!;
        return { accessToken: s.accessToken!, refreshToken: s.refreshToken!, expiresAt: Number(s.expiresAt) };
      },
      write: async (t) => setup.store.set('acme', { ...(await setup.store.get('acme')), ...tokenSecrets(t) }),
      exclusive: (work) => setup.store.exclusive(work),
    });
    sim.resetStats();
    const runs = [new OAuth2Session(app, vault(), 'acme'), new OAuth2Session(app, vault(), 'acme')];
    const tokens = await Promise.all(runs.map((r) => r.refresh(stored.accessToken!)));
    expect(tokens[0]).toBe(tokens[1]);
    expect(sim.stats().refreshes).toBe(1);
  });

  it('ends with "re-consent needed" and the command to run when the consent is revoked', async () => {
    const local = await FikenSimulator.start({ companies: [company], perSecond: 1_000, clock });
    const setup = await connect(local, tempDir());
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      local.revokeConsent();
      const failure = await sync(warehouse, setup).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConsentError);
      expect((failure as Error).message).toMatch(/^fiken: re-consent needed: .*; run "ledgerhouse connect acme" and approve ledgerhouse in Fiken again\.$/);
    } finally {
      warehouse.close();
      await local.close();
    }
  });

  it('never lets a secret into the output of a full run, even with the request log on', async () => {
    const dir = tempDir();
    const setup = await connect(sim, dir);
    sim.expireAccessTokens(); // the run refreshes, so new tokens pass through it too
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'sync', 'acme', '--config', setup.configPath, '--debug'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`sync exited ${code}: ${text}`))));
    });
    expect(output).toMatch(/\[fiken\] GET \/api\/v2\/companies\/.* 200/);
    const secrets = (await setup.store.get('acme'))!;
    for (const key of ['clientSecret', 'accessToken', 'refreshToken'] as const) {
      expect(secrets[key]!.length).toBeGreaterThan(8);
      expect(output).not.toContain(secrets[key]);
    }
  });
});

describe('a Fiken sync killed at any moment', () => {
  it('followed by a new run gives the same warehouse as an uninterrupted run', async () => {
    const dir = tempDir();
    const company = generateCompany({ seed: 32, country: 'NO', linesPerYear: 2_000, currentYear: 2026 });
    const sim = await FikenSimulator.start({ companies: [company], perSecond: 1_000, clock });
    try {
      const setup = await connect(sim, dir, 'crash');
      const cleanPath = await expectCrashSafeSync({ orgId: 'crash', configPath: setup.configPath, dir, env, killAfterMs: [1_500, 3_000, 4_500] });
      const clean = await Warehouse.open(cleanPath);
      await expectGeneratorTruth(clean, company, 'crash');
      clean.close();
    } finally {
      await sim.close();
    }
  }, 120_000);
});
