// The Fennoa simulator as the notes describe Fennoa: HTTP Basic, the envelope, ledger paging
// with a 500-row limit, Finnish error texts, and 429 over its requests a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FENNOA_TEXTS, FennoaSimulator, generateCompany } from '../../sandbox/index.ts';

describe('the Fennoa simulator', () => {
  const company = generateCompany({ seed: 11, country: 'FI', linesPerYear: 600, years: 1, currentYear: 2026 });
  let sim: FennoaSimulator;
  beforeAll(async () => {
    sim = await FennoaSimulator.start({ company, perSecond: 20 });
  });
  afterAll(() => sim.close());

  const get = async (path: string, key = sim.apiKey) => {
    const res = await fetch(`${sim.baseUrl}/${path}`, { headers: { authorization: `Basic ${Buffer.from(`${sim.apiUser}:${key}`).toString('base64')}` } });
    return { status: res.status, body: (await res.json()) as { status: string; data?: Record<string, unknown>[]; errors?: string[]; pagination?: { page: number; limit: number; pagesCount: number } } };
  };
  const pause = () => new Promise((resolve) => setTimeout(resolve, 1_100));

  it('refuses a wrong key with 401 and its Finnish text', async () => {
    expect(await get('accounting_api/get/periods', 'wrong')).toEqual({ status: 401, body: { status: 'error', errors: [FENNOA_TEXTS.unauthorized] } });
  });

  it("pages the ledger report: every row of the year once, at most 500 a page, debit or credit positive", async () => {
    await pause();
    const year = company.fiscalYears[0]!.fiscal_year;
    const rows: Record<string, unknown>[] = [];
    for (let page = 1; ; page++) {
      const { status, body } = await get(`accounting_api/get/ledger/${year.start_date}/${year.end_date}?page=${page}&limit=250`);
      expect(status).toBe(200);
      rows.push(...body.data!);
      if (page >= body.pagination!.pagesCount) break;
    }
    expect(rows).toHaveLength(company.truth.years[0]!.lineCount);
    expect(rows.every((r) => (r.debit === null) !== (r.credit === null) && ((r.debit as number) ?? (r.credit as number)) >= 0)).toBe(true);
    expect((await get(`accounting_api/get/ledger/${year.start_date}/${year.end_date}?limit=501`)).body.errors).toEqual([FENNOA_TEXTS.badLimit]);
  });

  it('answers 429 past its requests a second', async () => {
    await pause();
    sim.resetStats();
    const statuses = await Promise.all(Array.from({ length: 30 }, () => get('dimension_api/get/types').then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(sim.stats().rateLimited).toBe(10);
  });
});
