// The Fennoa connector against the simulator over loopback: what a Fennoa user is told when the
// API user is refused, fields the notes do not confirm (missing: said once a run; unknown: kept
// in extra; unreadable: the stream fails naming the request and the field), and the Finnish
// chart classifying every account of a synced company.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fennoaSource, ProviderAuthError, type Source } from '../../extract/index.ts';
import { buildMarts, Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { syncOrganization } from '../../pipeline/index.ts';
import { FennoaSimulator, generateCompany, type FennoaEndpoint, type FennoaSimulatorOptions } from '../../sandbox/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const today = '2026-11-22';
const clock = new FixedClock(today);
const company = generateCompany({ seed: 7, country: 'FI', linesPerYear: 500, currentYear: 2026 });
const retry = { baseDelayMs: 5, maxDelayMs: 50, maxRetryTimeMs: 2_000 };
const sims: FennoaSimulator[] = [];

async function simulator(options: Partial<FennoaSimulatorOptions> = {}): Promise<FennoaSimulator> {
  const sim = await FennoaSimulator.start({ company, clock, ...options });
  sims.push(sim);
  return sim;
}

const sourceOf = (sim: FennoaSimulator, apiKey = sim.apiKey): Source =>
  fennoaSource({ baseUrl: sim.baseUrl, credentials: { apiUser: sim.apiUser, apiKey }, companyName: sim.companyName, retry });

async function synced(sim: FennoaSimulator) {
  const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
  const summary = await syncOrganization(warehouse, sourceOf(sim), { orgId: 'oy', clock });
  return { warehouse, summary };
}

/** Serves `endpoint`'s rows changed by `change`; the others as they are. */
const reshaping = (endpoint: FennoaEndpoint, change: (rows: Record<string, unknown>[]) => unknown): Partial<FennoaSimulatorOptions> => ({
  reshape: (e, rows) => (e === endpoint ? change(rows) : rows),
});

afterAll(async () => {
  for (const sim of sims) await sim.close();
});

describe('a refused Fennoa API user', () => {
  let sim: FennoaSimulator;
  beforeAll(async () => {
    sim = await simulator();
  });

  const refusal = async (source: Source): Promise<ProviderAuthError> => {
    const error = await source.fiscalYears().then(() => null, (e: unknown) => e);
    await source.close();
    expect(error).toBeInstanceOf(ProviderAuthError);
    return error as ProviderAuthError;
  };

  it('is told the key is wrong or revoked, that Fennoa allows one API user per company, and what to do when the key is lost', async () => {
    const error = await refusal(sourceOf(sim, 'not-the-key'));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/the key is wrong or was revoked/);
    expect(error.message).toMatch(/one API user per company.*delete the old API user.*create a new one.*ledgerhouse connect/);
    expect(error.message).not.toContain('not-the-key');
  });

  it('is told when the API user was made by someone without administrator rights', async () => {
    sim.refuse('not-admin');
    try {
      const error = await refusal(sourceOf(sim));
      expect(error.message).toMatch(/lacks administrator rights.*company administrator.*ledgerhouse connect/);
      expect(error.message).not.toContain(sim.apiKey);
    } finally {
      sim.refuse(null);
    }
  });

  it('is told, for "Yritys ei ole Kaikki toiminnot -yritys", that the accounting office must make it an all-functions company', async () => {
    sim.refuse('not-all-functions');
    try {
      const error = await refusal(sourceOf(sim));
      expect(error.message).toMatch(/"Yritys ei ole Kaikki toiminnot -yritys".*not an all-functions.*accounting office/);
    } finally {
      sim.refuse(null);
    }
  });
});

describe('fields the notes do not confirm', () => {
  it('reports an expected field missing from every ledger row once in the run, by name, and keeps unknown fields in extra', async () => {
    const sim = await simulator(
      reshaping('ledger', (rows) => rows.map(({ description: _gone, ...row }) => ({ ...row, approved_by: 'MK' }))),
    );
    const { warehouse, summary } = await synced(sim);
    try {
      expect(summary.status).toBe('succeeded');
      const issues = await warehouse.all<{ code: string; message: string; path: string }>('SELECT code, message, path FROM import_issue WHERE run_id = $1', [summary.runId]);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.code).toBe('fennoa_missing_field');
      expect(issues[0]!.message).toMatch(/accounting_api\/get\/ledger lack the field "description"/);
      const extras = await warehouse.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ledger_line WHERE org_id = 'oy' AND json_extract_string(extra, '$.approved_by') = 'MK'`);
      const lines = company.truth.years.reduce((n, y) => n + y.lineCount, 0);
      expect(extras[0]!.n).toBe(lines);
    } finally {
      warehouse.close();
    }
  });

  it('reports a field it has no column for once in the run, by name, where the table has no extra', async () => {
    const sim = await simulator(reshaping('dimensions', (rows) => rows.map((row) => ({ ...row, colour: 'blue' }))));
    const { warehouse, summary } = await synced(sim);
    try {
      expect(summary.status).toBe('succeeded');
      const issues = await warehouse.all<{ code: string; message: string }>('SELECT code, message FROM import_issue WHERE run_id = $1', [summary.runId]);
      expect(issues.map((i) => i.code)).toEqual(['fennoa_unread_field']);
      expect(issues[0]!.message).toMatch(/dimension_api carry a field "colour" .* it is not stored/);
    } finally {
      warehouse.close();
    }
  });

  it("fails only the stream whose answer it cannot read, with a sentence naming the request and the field", async () => {
    const sim = await simulator(reshaping('accounts', (rows) => ({ accounts: rows })));
    const { warehouse, summary } = await synced(sim);
    try {
      expect(summary.status).toBe('partial');
      const failed = summary.streams.filter((s) => s.status === 'failed');
      expect(failed.map((s) => s.stream)).toEqual(['accounts']);
      expect(failed[0]!.note).toMatch(/GET accounting_api\/get\/accounts cannot be read: its "data" is an object, not a list of rows/);
      // The other streams were read and committed.
      expect(summary.streams.filter((s) => s.stream === 'vouchers').every((s) => s.status === 'succeeded')).toBe(true);
    } finally {
      warehouse.close();
    }
  });

  it('fails the vouchers stream when ledger rows lack a field it needs, naming it', async () => {
    const sim = await simulator(reshaping('ledger', (rows) => rows.map(({ account: _gone, ...row }) => row)));
    const { warehouse, summary } = await synced(sim);
    try {
      const failed = summary.streams.filter((s) => s.status === 'failed');
      expect(new Set(failed.map((s) => s.stream))).toEqual(new Set(['vouchers']));
      expect(failed[0]!.note).toMatch(/GET accounting_api\/get\/ledger\/\S+ cannot be read: row 1 has no field "account"/);
    } finally {
      warehouse.close();
    }
  });
});

describe('the Finnish chart', () => {
  it('classifies every account of a generated Finnish company synced from Fennoa', async () => {
    const sim = await simulator();
    const { warehouse, summary } = await synced(sim);
    try {
      expect(summary.status).toBe('succeeded');
      await buildMarts(warehouse);
      const accounts = await warehouse.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM account WHERE org_id = 'oy'`);
      expect(accounts!.n).toBeGreaterThan(30);
      expect(await warehouse.all(`SELECT account_id FROM mart_data_quality_unmapped_account WHERE org_id = 'oy'`)).toEqual([]);
      expect(await warehouse.one(`SELECT unmapped_accounts::INTEGER AS n FROM mart_data_quality WHERE org_id = 'oy'`)).toEqual({ n: 0 });
    } finally {
      warehouse.close();
    }
  });
});
