import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMarts, MappingFileError, martTables, Warehouse, type MartsSummary } from '../../load/index.ts';
import { generateCompany, type GeneratedCompany } from '../../sandbox/index.ts';
import { cents, dumpMarts, importCompany, importReferenceFiles, suiteDir, type ReferenceGolden } from '../helpers/mart-fixtures.ts';

const mappingsDir = join(import.meta.dirname, '..', '..', 'load', 'mappings');

/** The generated companies: one per country, Finland with July–June fiscal years. */
const generated = [
  { orgId: 'gen-no', country: 'NO', format: 'saft', fiscalYearStartMonth: 1 },
  { orgId: 'gen-se', country: 'SE', format: 'sie', fiscalYearStartMonth: 1 },
  { orgId: 'gen-fi', country: 'FI', format: 'saft', fiscalYearStartMonth: 7 },
] as const;

type Row = Record<string, unknown>;

describe('marts over generated companies and the reference files', () => {
  const dir = suiteDir();
  const companies = new Map<string, GeneratedCompany>();
  let references: ReferenceGolden[] = [];
  let warehouse: Warehouse;
  let summary: MartsSummary;

  beforeAll(async () => {
    warehouse = await Warehouse.open(join(dir.path, 'marts.duckdb'));
    for (const g of generated) {
      const company = generateCompany({ seed: 17, country: g.country, linesPerYear: 1_500, currentYear: 2026, fiscalYearStartMonth: g.fiscalYearStartMonth });
      companies.set(g.orgId, company);
      await importCompany(warehouse, dir.path, company, g.format, g.orgId);
    }
    references = await importReferenceFiles(warehouse);
    summary = await buildMarts(warehouse);
  });
  afterAll(() => {
    warehouse?.close();
    dir.remove();
  });

  const generatedOrgs = generated.map((g) => g.orgId);
  const fileOf = (orgId: string) => references.find((r) => r.orgId === orgId)?.file ?? orgId;
  const orgOf = (file: string) => references.find((r) => r.file === file)!.orgId;

  it('maps every account of the generated charts, with the account type the chart gives it', async () => {
    const quality = await warehouse.all<Row>('SELECT org_id, unmapped_accounts, status FROM mart_data_quality WHERE org_id LIKE $1 ORDER BY org_id', ['gen-%']);
    expect(quality).toEqual([...generatedOrgs].sort().map((org_id) => ({ org_id, unmapped_accounts: '0', status: 'ok' })));
    expect(await warehouse.all("SELECT * FROM mart_data_quality_unmapped_account WHERE org_id LIKE 'gen-%'")).toEqual([]);
    for (const [orgId, company] of companies) {
      const classified = await warehouse.all<{ account_id: string; account_type: string }>(
        'SELECT account_id, account_type FROM mart_account_classification WHERE org_id = $1',
        [orgId],
      );
      const types = new Map(classified.map((c) => [c.account_id, c.account_type]));
      for (const account of company.fiscalYears[0]!.accounts) expect(types.get(account.account_id), `${orgId} ${account.account_id}`).toBe(account.account_type);
    }
    // The roles the statements and KPIs rely on.
    const roles = await warehouse.all<Row>(
      `SELECT org_id, account_id, statement_line, kpi_group, mapped_by FROM mart_account_classification
       WHERE (org_id, account_id) IN (('gen-no', '1500'), ('gen-no', '2400'), ('gen-no', '8800'), ('gen-no', '6010'), ('gen-se', '1510'), ('gen-se', '2440'),
                                      ('gen-se', '8999'), ('gen-se', '7832'), ('gen-fi', '1700'), ('gen-fi', '2870'), ('gen-fi', '9990'), ('gen-fi', '1910'))
       ORDER BY org_id, account_id`,
    );
    expect(roles).toEqual([
      { org_id: 'gen-fi', account_id: '1700', statement_line: 'current_assets', kpi_group: 'trade_receivables', mapped_by: 'account_number' },
      { org_id: 'gen-fi', account_id: '1910', statement_line: 'current_assets', kpi_group: 'cash', mapped_by: 'account_number' },
      { org_id: 'gen-fi', account_id: '2870', statement_line: 'short_term_liabilities', kpi_group: 'trade_payables', mapped_by: 'account_number' },
      { org_id: 'gen-fi', account_id: '9990', statement_line: 'result_allocation', kpi_group: null, mapped_by: 'account_number' },
      { org_id: 'gen-no', account_id: '1500', statement_line: 'current_assets', kpi_group: 'trade_receivables', mapped_by: 'saft_grouping' },
      { org_id: 'gen-no', account_id: '2400', statement_line: 'short_term_liabilities', kpi_group: 'trade_payables', mapped_by: 'saft_grouping' },
      { org_id: 'gen-no', account_id: '6010', statement_line: 'depreciation', kpi_group: null, mapped_by: 'saft_grouping' },
      { org_id: 'gen-no', account_id: '8800', statement_line: 'result_allocation', kpi_group: null, mapped_by: 'saft_grouping' },
      { org_id: 'gen-se', account_id: '1510', statement_line: 'current_assets', kpi_group: 'trade_receivables', mapped_by: 'account_number' },
      { org_id: 'gen-se', account_id: '2440', statement_line: 'short_term_liabilities', kpi_group: 'trade_payables', mapped_by: 'account_number' },
      { org_id: 'gen-se', account_id: '7832', statement_line: 'depreciation', kpi_group: null, mapped_by: 'account_number' },
      { org_id: 'gen-se', account_id: '8999', statement_line: 'result_allocation', kpi_group: null, mapped_by: 'account_number' },
    ]);
  });

  it('carries every account through every month of every fiscal year, July–June years included', async () => {
    const shape = await warehouse.all<Row>(
      `SELECT org_id, fiscal_year_start::VARCHAR AS fy, count(DISTINCT month)::INT AS months, min(month)::VARCHAR AS first, max(month)::VARCHAR AS last,
              count(*)::INT AS cells, count(DISTINCT account_id)::INT AS accounts
       FROM mart_monthly_trial_balance WHERE org_id = 'gen-fi' GROUP BY ALL ORDER BY fy`,
    );
    const accounts = companies.get('gen-fi')!.fiscalYears[0]!.accounts.length;
    expect(shape).toEqual([
      { org_id: 'gen-fi', fy: '2024-07-01', months: 12, first: '2024-07-01', last: '2025-06-01', cells: 12 * accounts, accounts },
      { org_id: 'gen-fi', fy: '2025-07-01', months: 12, first: '2025-07-01', last: '2026-06-01', cells: 12 * accounts, accounts },
      { org_id: 'gen-fi', fy: '2026-07-01', months: 12, first: '2026-07-01', last: '2027-06-01', cells: 12 * accounts, accounts },
    ]);
    // Each month opens where the one before closed.
    const breaks = await warehouse.one<{ n: number }>(
      `SELECT count(*)::INT AS n FROM (
         SELECT opening, lag(closing) OVER (PARTITION BY org_id, fiscal_year_start, account_id ORDER BY month) AS previous
         FROM mart_monthly_trial_balance) WHERE previous IS NOT NULL AND previous <> opening`,
    );
    expect(breaks).toEqual({ n: 0 });
  });

  it('gives the generator’s truth: openings, movements per month and closings per account', async () => {
    for (const [orgId, company] of companies) {
      for (const year of company.truth.years) {
        const start = year.fiscal_year.start_date;
        const rows = await warehouse.all<{ account_id: string; month: string; opening: string; movement: string; closing: string }>(
          `SELECT account_id, strftime(month, '%Y-%m') AS month, opening::VARCHAR AS opening, movement::VARCHAR AS movement, closing::VARCHAR AS closing
           FROM mart_monthly_trial_balance WHERE org_id = $1 AND fiscal_year_start = $2::DATE ORDER BY account_id, month`,
          [orgId, start],
        );
        const months = [...new Set(rows.map((r) => r.month))];
        const first = months[0]!;
        const last = months.at(-1)!;
        const at = (month: string) => new Map(rows.filter((r) => r.month === month).map((r) => [r.account_id, r]));
        const opening = new Map([...at(first)].map(([a, r]) => [a, cents(r.opening)]));
        const closing = new Map([...at(last)].map(([a, r]) => [a, cents(r.closing)]));
        expect(opening, `${orgId} ${start} opening`).toEqual(year.opening);
        expect(closing, `${orgId} ${start} closing`).toEqual(year.closing);
        const movements = new Map<string, Map<string, bigint>>();
        for (const r of rows) {
          const amount = cents(r.movement);
          if (amount === 0n) continue;
          if (!movements.has(r.account_id)) movements.set(r.account_id, new Map());
          movements.get(r.account_id)!.set(r.month, amount);
        }
        expect(movements, `${orgId} ${start} movements`).toEqual(year.movements);
      }
    }
  });

  it('sums the trial balance to zero every month, and to the source’s own opening difference where the source’s openings do not balance', async () => {
    const generatedSums = await warehouse.all<Row>(
      `SELECT org_id, month::VARCHAR AS month, sum(opening)::VARCHAR AS opening, sum(movement)::VARCHAR AS movement, sum(closing)::VARCHAR AS closing
       FROM mart_monthly_trial_balance WHERE org_id LIKE 'gen-%' GROUP BY ALL HAVING sum(opening) <> 0 OR sum(movement) <> 0 OR sum(closing) <> 0`,
    );
    expect(generatedSums).toEqual([]);
    // Reference files: movements balance every month; the closing sum is whatever the
    // file's opening balances leave over, which the data-quality mart states per year.
    const referenceSums = await warehouse.all<Row>(
      `SELECT tb.org_id, tb.month::VARCHAR AS month
       FROM mart_monthly_trial_balance tb JOIN mart_data_quality_year q USING (org_id, fiscal_year_start)
       WHERE tb.org_id LIKE 'ref-%'
       GROUP BY tb.org_id, tb.month, q.opening_total HAVING sum(tb.movement) <> 0 OR sum(tb.closing) <> any_value(q.opening_total)`,
    );
    expect(referenceSums).toEqual([]);
    const unbalancedOpenings = await warehouse.all<{ org_id: string }>('SELECT org_id FROM mart_data_quality_year WHERE opening_total <> 0 ORDER BY org_id');
    expect(unbalancedOpenings.map((r) => fileOf(r.org_id)).sort()).toEqual([
      'BLBLOV_SIE4_UTF_8_1.SE',
      'ExampleFile SAF-T Financial_888888888_20180228235959.xml',
      'Fortnox_Bokforing_2.0.0_Sie4.si',
      'SIE_exempelfil_Specter.se',
      'SIE_with_long_voucher_series_number.SE',
    ]);
  });

  it('gives each reference file’s golden closing balances', async () => {
    expect(references.length).toBeGreaterThan(10);
    for (const ref of references) {
      const rows = await warehouse.all<{ account_id: string; closing: string }>(
        `SELECT account_id, closing::VARCHAR AS closing FROM mart_monthly_trial_balance
         WHERE org_id = $1 QUALIFY month = max(month) OVER ()`,
        [ref.orgId],
      );
      const actual = new Map(rows.map((r) => [r.account_id, cents(r.closing)]));
      for (const [account, amount] of ref.closing) expect(actual.get(account), `${ref.file} ${account}`).toBe(amount);
      for (const [account, amount] of actual) if (!ref.closing.has(account)) expect(amount, `${ref.file} ${account} (not in the golden)`).toBe(0n);
    }
  });

  it('ties the warehouse out against the sources’ own balances', async () => {
    const tieOut = await warehouse.all<{ org_id: string; balance_type: string; checked: number; differences: number }>(
      `SELECT org_id, balance_type, count(*)::INT AS checked, count(*) FILTER (WHERE difference <> 0)::INT AS differences
       FROM mart_data_quality_tie_out GROUP BY ALL ORDER BY ALL`,
    );
    for (const orgId of generatedOrgs) {
      const rows = tieOut.filter((t) => t.org_id === orgId);
      expect(rows.map((r) => r.balance_type).sort(), orgId).toEqual(['closing', 'opening']);
      for (const r of rows) expect(r.differences, `${orgId} ${r.balance_type}`).toBe(0);
    }
    // Reference files: each stated closing balance against the golden closing (opening +
    // postings, recorded independently of the marts). Where a file contradicts itself
    // (the importer's closing_mismatch warnings), the difference is the file's own.
    for (const ref of references) {
      const rows = await warehouse.all<{ account_id: string; source_amount: string; difference: string }>(
        `SELECT account_id, source_amount::VARCHAR AS source_amount, difference::VARCHAR AS difference
         FROM mart_data_quality_tie_out WHERE org_id = $1 AND balance_type = 'closing'`,
        [ref.orgId],
      );
      for (const r of rows) expect(cents(r.difference), `${ref.file} ${r.account_id}`).toBe(cents(r.source_amount) - (ref.closing.get(r.account_id) ?? 0n));
    }
    const toyen = tieOut.find((t) => fileOf(t.org_id) === 'ExampleFile SAF-T Financial_888888888_20180228235959.xml' && t.balance_type === 'closing');
    expect(toyen?.differences).toBe(3); // the file's three closing_mismatch warnings
    expect(summary.tieOutDifferences).toBe(tieOut.reduce((sum, t) => sum + t.differences, 0));
  });

  it('balances assets against equity and liabilities at every month end', async () => {
    const sides = await warehouse.all<Row>(
      `SELECT org_id, month::VARCHAR AS month,
              sum(amount) FILTER (WHERE side = 'assets')::VARCHAR AS assets,
              sum(amount) FILTER (WHERE side = 'equity_and_liabilities')::VARCHAR AS equity_and_liabilities
       FROM mart_balance_sheet GROUP BY ALL HAVING assets <> equity_and_liabilities`,
    );
    expect(sides).toEqual([]);
    // Generated books are sound: no difference line, nothing unmapped, so assets equal
    // equity (the year's result included) plus untaxed reserves and liabilities.
    const generatedExtras = await warehouse.all<Row>(
      "SELECT org_id, month, statement_line, amount FROM mart_balance_sheet WHERE org_id LIKE 'gen-%' AND statement_line IN ('balance_difference', 'unmapped') AND amount <> 0",
    );
    expect(generatedExtras).toEqual([]);
    // Reference files whose openings do not balance carry exactly that on the difference line.
    const differences = await warehouse.all<Row>(
      `SELECT b.org_id, b.month FROM mart_balance_sheet b JOIN mart_data_quality_year q USING (org_id, fiscal_year_start)
       WHERE b.statement_line = 'balance_difference' AND b.amount <> q.opening_total + q.movement_total`,
    );
    expect(differences).toEqual([]);
  });

  it('makes the year’s result the year’s change in equity, with the generator’s year-end transfer kept out of the result', async () => {
    for (const [orgId, company] of companies) {
      for (const year of company.truth.years) {
        const start = year.fiscal_year.start_date;
        const figures = await warehouse.one<Row>(
          `WITH last_month AS (SELECT max(month) AS month FROM mart_profit_and_loss WHERE org_id = $1 AND fiscal_year_start = $2::DATE),
                first_month AS (SELECT min(month) AS month FROM mart_monthly_trial_balance WHERE org_id = $1 AND fiscal_year_start = $2::DATE)
           SELECT
             (SELECT sum(p.ytd) FROM mart_profit_and_loss p JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = p.statement_line
              WHERE p.org_id = $1 AND p.fiscal_year_start = $2::DATE AND p.month = (SELECT month FROM last_month) AND l.in_net_result)::VARCHAR AS net_result,
             (SELECT ytd FROM mart_profit_and_loss WHERE org_id = $1 AND fiscal_year_start = $2::DATE AND month = (SELECT month FROM last_month)
              AND statement_line = 'result_allocation')::VARCHAR AS allocation,
             (SELECT sum(amount) FROM mart_balance_sheet WHERE org_id = $1 AND fiscal_year_start = $2::DATE AND month = (SELECT month FROM last_month)
              AND section = 'equity')::VARCHAR AS closing_equity,
             (SELECT -sum(tb.opening) FROM mart_monthly_trial_balance tb JOIN mart_account_classification c USING (org_id, account_id)
              WHERE tb.org_id = $1 AND tb.fiscal_year_start = $2::DATE AND tb.month = (SELECT month FROM first_month)
              AND (c.statement_line = 'equity' OR c.statement = 'income_statement'))::VARCHAR AS opening_equity,
             (SELECT amount FROM mart_balance_sheet WHERE org_id = $1 AND fiscal_year_start = $2::DATE AND month = (SELECT month FROM last_month)
              AND statement_line = 'current_year_result')::VARCHAR AS unallocated`,
          [orgId, start],
        );
        const label = `${orgId} ${start}`;
        expect(cents(figures!['net_result']), label).toBe(year.result);
        // The transfer is booked: the result sits in equity, nothing is left unallocated.
        expect(cents(figures!['allocation']), label).toBe(-year.result);
        expect(cents(figures!['unallocated']), label).toBe(0n);
        expect(cents(figures!['closing_equity']) - cents(figures!['opening_equity']), label).toBe(year.result);
      }
    }
    const quality = await warehouse.all<{ org_id: string; fiscal_year_start: string; net_result: string }>(
      "SELECT org_id, fiscal_year_start::VARCHAR AS fiscal_year_start, net_result::VARCHAR AS net_result FROM mart_data_quality_year WHERE org_id LIKE 'gen-%'",
    );
    for (const q of quality) expect(cents(q.net_result)).toBe(companies.get(q.org_id)!.truth.year(q.fiscal_year_start).result);
  });

  it('shows the current year’s result in equity before the year-end transfer', async () => {
    // Any month before the last: the unallocated result equals the P&L's net result so far.
    const rows = await warehouse.all<Row>(
      `WITH net AS (
         SELECT p.org_id, p.month, sum(p.ytd) AS ytd FROM mart_profit_and_loss p
         JOIN mart_statement_line l ON l.statement = 'income_statement' AND l.statement_line = p.statement_line AND l.in_net_result
         GROUP BY ALL)
       SELECT b.org_id, b.month FROM mart_balance_sheet b JOIN net USING (org_id, month)
       WHERE b.statement_line = 'current_year_result' AND b.org_id LIKE 'gen-%'
         AND b.month < (SELECT max(month) FROM mart_balance_sheet x WHERE x.org_id = b.org_id AND x.fiscal_year_start = b.fiscal_year_start)
         AND b.amount <> net.ytd`,
    );
    expect(rows).toEqual([]);
  });

  it('reads the P&L the way a finance leader does: year to date, last year, rolling twelve months, budget', async () => {
    const revenue = await warehouse.all<{ month: string; amount: string; ytd: string; last_year: string | null; rolling_12m: string | null }>(
      `SELECT month::VARCHAR AS month, amount::VARCHAR AS amount, ytd::VARCHAR AS ytd, last_year::VARCHAR AS last_year, rolling_12m::VARCHAR AS rolling_12m
       FROM mart_profit_and_loss WHERE org_id = 'gen-fi' AND statement_line = 'revenue' ORDER BY month`,
    );
    expect(revenue).toHaveLength(36);
    const amounts = revenue.map((r) => cents(r.amount));
    expect(amounts.every((a) => a > 0n)).toBe(true); // revenue positive
    revenue.forEach((r, i) => {
      const yearStart = i - (i % 12); // July–June years: the YTD restarts every July
      expect(cents(r.ytd), r.month).toBe(amounts.slice(yearStart, i + 1).reduce((s, a) => s + a, 0n));
      expect(r.last_year === null ? null : cents(r.last_year), r.month).toBe(i >= 12 ? amounts[i - 12] : null);
      expect(r.rolling_12m === null ? null : cents(r.rolling_12m), r.month).toBe(i >= 11 ? amounts.slice(i - 11, i + 1).reduce((s, a) => s + a, 0n) : null);
    });
    expect(revenue[0]!.month).toBe('2024-07-01');
    const costs = await warehouse.one<{ n: number }>(
      "SELECT count(*)::INT AS n FROM mart_profit_and_loss WHERE org_id LIKE 'gen-%' AND statement_line IN ('cost_of_goods', 'payroll') AND ytd >= 0",
    );
    expect(costs).toEqual({ n: 0 }); // costs negative

    // Budgets come with SIE (#PBUDGET); SAF-T carries none, so NO and FI have no budget at all.
    const se = companies.get('gen-se')!;
    for (const ledger of se.fiscalYears) {
      const revenueAccounts = new Set(ledger.accounts.filter((a) => a.account_type === 'income' && a.account_id.startsWith('3')).map((a) => a.account_id));
      const expected = -ledger.budget.filter((b) => revenueAccounts.has(b.account_id)).reduce((s, b) => s + b.amount, 0n);
      const row = await warehouse.one<Row>(
        `SELECT budget_ytd::VARCHAR AS budget_ytd, variance_ytd::VARCHAR AS variance_ytd, ytd::VARCHAR AS ytd FROM mart_profit_and_loss
         WHERE org_id = 'gen-se' AND fiscal_year_start = $1::DATE AND statement_line = 'revenue' ORDER BY month DESC LIMIT 1`,
        [ledger.fiscal_year.start_date],
      );
      expect(cents(row!['budget_ytd'])).toBe(expected);
      expect(cents(row!['variance_ytd'])).toBe(cents(row!['ytd']) - expected);
    }
    expect(await warehouse.one("SELECT count(*)::INT AS n FROM mart_profit_and_loss WHERE org_id IN ('gen-no', 'gen-fi') AND budget IS NOT NULL")).toEqual({ n: 0 });
  });

  it('explains the change in cash by the indirect method, month by month', async () => {
    const broken = await warehouse.all<Row>(
      `SELECT org_id, month FROM mart_cash_flow
       WHERE cash_opening + net_cash_flow <> cash_closing
          OR operating_cash_flow + investing_cash_flow + financing_cash_flow + unclassified_cash_flow + unbalanced_postings <> net_cash_flow
          OR operating_cash_flow <> net_result + depreciation + change_in_untaxed_reserves + change_in_working_capital`,
    );
    expect(broken).toEqual([]);
    for (const [orgId, company] of companies) {
      const bank = { 'gen-no': '1920', 'gen-se': '1930', 'gen-fi': '1910' }[orgId]!;
      for (const year of company.truth.years) {
        const row = await warehouse.one<Row>(
          `SELECT sum(net_cash_flow)::VARCHAR AS flow, sum(unbalanced_postings)::VARCHAR AS unbalanced, sum(unclassified_cash_flow)::VARCHAR AS unclassified,
                  sum(depreciation)::VARCHAR AS depreciation FROM mart_cash_flow WHERE org_id = $1 AND fiscal_year_start = $2::DATE`,
          [orgId, year.fiscal_year.start_date],
        );
        expect(cents(row!['flow'])).toBe(year.closing.get(bank)! - year.opening.get(bank)!);
        expect(cents(row!['unbalanced'])).toBe(0n);
        expect(cents(row!['unclassified'])).toBe(0n);
        expect(cents(row!['depreciation'])).toBeGreaterThan(0n);
      }
    }
  });

  it('computes KPIs as exact decimals, null where the denominator is zero', async () => {
    const kpi = await warehouse.all<Row>("SELECT * FROM mart_kpi WHERE org_id LIKE 'gen-%' ORDER BY org_id, month");
    expect(kpi).toHaveLength(108);
    for (const k of kpi) {
      const label = `${k['org_id']} ${k['month']}`;
      expect(String(k['gross_margin'])).toMatch(/^-?\d+\.\d{4}$/);
      expect(String(k['dso_days']), label).toMatch(/^\d+\.\d$/);
      expect(String(k['dpo_days']), label).toMatch(/^\d+\.\d$/);
      // equity_ratio = equity / total assets, rounded half away from zero to four decimals.
      const equity = cents(k['equity']);
      const assets = cents(k['total_assets']);
      expect(assets > 0n, label).toBe(true);
      const scaled = (2n * (equity < 0n ? -equity : equity) * 10_000n + assets) / (2n * assets);
      expect(BigInt(String(k['equity_ratio']).replace('.', '')), label).toBe(equity < 0n ? -scaled : scaled);
      expect(cents(k['working_capital'])).toBe(cents(k['current_assets']) - cents(k['short_term_liabilities']));
    }
    const pl = await warehouse.all<Row>(
      `SELECT org_id, month, amount FROM mart_profit_and_loss WHERE org_id LIKE 'gen-%' AND statement_line = 'revenue' ORDER BY org_id, month`,
    );
    expect(kpi.map((k) => k['revenue'])).toEqual(pl.map((p) => p['amount']));
    // A month without revenue: margins are null, not a division error.
    const nulls = await warehouse.all<Row>("SELECT gross_margin, operating_margin FROM mart_kpi WHERE revenue = 0 LIMIT 1");
    for (const row of nulls) expect(row).toEqual({ gross_margin: null, operating_margin: null });
    const types = await warehouse.all<Row>(
      "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'mart_kpi' AND column_name IN ('gross_margin', 'current_ratio', 'equity_ratio', 'dso_days', 'revenue') ORDER BY column_name",
    );
    expect(types).toEqual([
      { column_name: 'current_ratio', data_type: 'DECIMAL(18,4)' },
      { column_name: 'dso_days', data_type: 'DECIMAL(18,1)' },
      { column_name: 'equity_ratio', data_type: 'DECIMAL(18,4)' },
      { column_name: 'gross_margin', data_type: 'DECIMAL(18,4)' },
      { column_name: 'revenue', data_type: 'DECIMAL(18,2)' },
    ]);
  });

  it('never holds money as a float in any mart', async () => {
    const floats = await warehouse.all<Row>(
      "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE table_name LIKE 'mart_%' AND data_type IN ('DOUBLE', 'FLOAT', 'REAL')",
    );
    expect(floats).toEqual([]);
  });

  it('splits the P&L by department, cost center and project, each adding up to the P&L', async () => {
    const types = await warehouse.all<Row>("SELECT DISTINCT org_id, dimension_type FROM mart_dimension_profitability WHERE org_id LIKE 'gen-%' ORDER BY ALL");
    expect(types).toEqual([
      { org_id: 'gen-fi', dimension_type: 'department' },
      { org_id: 'gen-fi', dimension_type: 'project' },
      { org_id: 'gen-no', dimension_type: 'department' },
      { org_id: 'gen-no', dimension_type: 'project' },
      { org_id: 'gen-se', dimension_type: 'cost_center' },
      { org_id: 'gen-se', dimension_type: 'project' },
    ]);
    const mismatches = await warehouse.all<Row>(
      `WITH dims AS (SELECT org_id, month, dimension_type, statement_line, sum(amount) AS amount FROM mart_dimension_profitability GROUP BY ALL)
       SELECT d.org_id, d.month, d.dimension_type, d.statement_line FROM dims d
       JOIN mart_profit_and_loss p USING (org_id, month, statement_line) WHERE d.amount <> p.amount`,
    );
    expect(mismatches).toEqual([]);
    const named = await warehouse.one<{ n: number }>(
      "SELECT count(*)::INT AS n FROM mart_dimension_profitability WHERE org_id = 'gen-no' AND dimension_type = 'department' AND dimension_id IS NOT NULL AND dimension_name IS NULL",
    );
    expect(named).toEqual({ n: 0 });
  });

  it('drills from an account and month down to the vouchers and their lines', async () => {
    const cell = await warehouse.one<{ org_id: string; account_id: string; month: string; movement: string }>(
      "SELECT org_id, account_id, month::VARCHAR AS month, movement::VARCHAR AS movement FROM mart_monthly_trial_balance WHERE org_id = 'gen-fi' AND account_id = '3000' AND month = '2025-03-01'",
    );
    const lines = await warehouse.all<{ voucher_id: string; voucher_number: string; amount: string; statement_line: string }>(
      `SELECT voucher_id, voucher_number, amount::VARCHAR AS amount, statement_line FROM mart_voucher_drilldown
       WHERE org_id = $1 AND account_id = $2 AND month = $3::DATE`,
      [cell!.org_id, cell!.account_id, cell!.month],
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.reduce((s, l) => s + cents(l.amount), 0n)).toBe(cents(cell!.movement));
    expect(new Set(lines.map((l) => l.statement_line))).toEqual(new Set(['revenue']));
    expect(lines.every((l) => l.voucher_number !== null)).toBe(true);
  });

  it('reports each organization’s last run, import issues and a status', async () => {
    const rows = await warehouse.all<Row>(
      'SELECT q.org_id, q.last_run_id = r.run_id AS is_last, q.last_run_status FROM mart_data_quality q JOIN (SELECT org_id, arg_max(run_id, started_at) AS run_id FROM sync_run GROUP BY org_id) r USING (org_id)',
    );
    expect(rows.length).toBe(generatedOrgs.length + references.length);
    for (const r of rows) expect(r).toMatchObject({ is_last: true, last_run_status: 'succeeded' });
    const toyen = orgOf('ExampleFile SAF-T Financial_888888888_20180228235959.xml');
    const issues = await warehouse.all<Row>('SELECT severity, code, issue_count::INT AS n FROM mart_data_quality_import_issue WHERE org_id = $1 ORDER BY code', [toyen]);
    expect(issues).toEqual([
      { severity: 'warning', code: 'closing_mismatch', n: 3 },
      { severity: 'warning', code: 'closing_not_balanced', n: 1 },
      { severity: 'warning', code: 'opening_not_balanced', n: 1 },
    ]);
    expect(await warehouse.one('SELECT import_warnings::INT AS n, status FROM mart_data_quality WHERE org_id = $1', [toyen])).toEqual({ n: 5, status: 'warning' });
    expect(summary).toMatchObject({ organizations: generatedOrgs.length + references.length, unbalancedVouchers: 0 });
  });

  it('rebuilds to the same marts', async () => {
    const tables = [...martTables, 'mart_voucher_drilldown'];
    const before = await dumpMarts(warehouse, tables);
    const again = await buildMarts(warehouse);
    expect(again.tables).toEqual(summary.tables);
    expect(await dumpMarts(warehouse, tables)).toEqual(before);
  });
});

describe('marts over books that need looking at', () => {
  const dir = suiteDir();
  let warehouse: Warehouse;
  let company: GeneratedCompany;

  beforeAll(async () => {
    warehouse = await Warehouse.open(join(dir.path, 'small.duckdb'));
    company = generateCompany({ seed: 4, country: 'NO', linesPerYear: 400, years: 2, currentYear: 2026 });
    await importCompany(warehouse, dir.path, company, 'saft', 'small');
  });
  afterAll(() => {
    warehouse?.close();
    dir.remove();
  });

  /** A balanced pair of lines (or not) on an account the charts do not have. */
  async function postVoucher(voucherId: string, date: string, lines: [account: string, amount: string][]): Promise<void> {
    const fiscalYearStart = `${date.slice(0, 4)}-01-01`;
    await warehouse.run(
      `INSERT INTO voucher (org_id, voucher_id, journal_id, voucher_number, voucher_date, fiscal_year_start, source, run_id, content_hash)
       VALUES ('small', $1, 'DIV', $1, $2::DATE, $3::DATE, 'test', 'test-run', 'x')`,
      [voucherId, date, fiscalYearStart],
    );
    for (const [i, [account, amount]] of lines.entries()) {
      await warehouse.run(
        `INSERT INTO ledger_line (org_id, voucher_id, line_no, account_id, amount, fiscal_year_start, voucher_date, run_id)
         VALUES ('small', $1, $2, $3, $4::DECIMAL(18,2), $5::DATE, $6::DATE, 'test-run')`,
        [voucherId, i + 1, account, amount, fiscalYearStart, date],
      );
    }
  }

  it('lists an account no mapping covers, keeps its money on the unmapped line, and maps it once a mapping file says how', async () => {
    await postVoucher('T-unknown', '2025-03-14', [['9500', '1250.00'], ['1920', '-1250.00']]);
    const summary = await buildMarts(warehouse);
    expect(summary.unmappedAccounts).toBe(1);
    expect(await warehouse.all('SELECT org_id, account_id, statement, line_count::INT AS lines, latest_closing::VARCHAR AS closing FROM mart_data_quality_unmapped_account')).toEqual([
      { org_id: 'small', account_id: '9500', statement: 'balance_sheet', lines: 1, closing: '1250.00' },
    ]);
    expect(await warehouse.one('SELECT status, unmapped_accounts::INT AS n FROM mart_data_quality')).toEqual({ status: 'warning', n: 1 });
    const sheet = await warehouse.all<Row>(
      `SELECT statement_line, amount::VARCHAR AS amount FROM mart_balance_sheet WHERE month = '2025-12-01' AND statement_line = 'unmapped'`,
    );
    expect(sheet).toEqual([{ statement_line: 'unmapped', amount: '1250.00' }]);
    const unbalancedSheet = await warehouse.all("SELECT month FROM mart_balance_sheet GROUP BY month HAVING sum(amount) FILTER (WHERE side = 'assets') <> sum(amount) FILTER (WHERE side <> 'assets')");
    expect(unbalancedSheet).toEqual([]);

    // A user's own mapping file maps it.
    const custom = join(dir.path, 'mappings');
    cpSync(mappingsDir, custom, { recursive: true });
    writeFileSync(join(custom, 'no-own-accounts.csv'), 'from_account;to_account;statement_line;account_type;description\n9500;9599;other_operating_expenses;expense;Interne kostnader\n');
    const mapped = await buildMarts(warehouse, { mappingsDir: custom });
    expect(mapped.unmappedAccounts).toBe(0);
    expect(await warehouse.one("SELECT statement_line, mapping_file, mapping_line::INT AS line FROM mart_account_classification WHERE account_id = '9500'")).toEqual({
      statement_line: 'other_operating_expenses',
      mapping_file: 'no-own-accounts.csv',
      line: 2,
    });
  });

  it('refuses a mapping file it cannot read, naming the line, and leaves the marts as they were', async () => {
    const before = await warehouse.all('SELECT * FROM mart_account_classification ORDER BY ALL');
    const bad = join(dir.path, 'bad-mappings');
    cpSync(mappingsDir, bad, { recursive: true });
    writeFileSync(join(bad, 'no-typo.csv'), 'from_account,to_account,statement_line,account_type\n9500,9599,operating_costs,expense\n');
    const error = await buildMarts(warehouse, { mappingsDir: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MappingFileError);
    expect((error as MappingFileError).message).toMatch(/no-typo\.csv line 2: statement_line "operating_costs" is not one of revenue, /);
    expect(await warehouse.all('SELECT * FROM mart_account_classification ORDER BY ALL')).toEqual(before);
  });

  it('finds unbalanced vouchers even when two of them cancel out on the same day', async () => {
    await postVoucher('T-half-a', '2025-05-20', [['1920', '100.00'], ['3000', '-60.00']]);
    await postVoucher('T-half-b', '2025-05-20', [['1920', '-40.00'], ['4300', '-0.00']]);
    // The day sums to zero; only the per-voucher check can tell.
    const summary = await buildMarts(warehouse);
    expect(summary.unbalancedVouchers).toBe(2);
    expect(await warehouse.all('SELECT voucher_id, difference::VARCHAR AS difference FROM mart_data_quality_unbalanced_voucher ORDER BY voucher_id')).toEqual([
      { voucher_id: 'T-half-a', difference: '40.00' },
      { voucher_id: 'T-half-b', difference: '-40.00' },
    ]);
    expect(await warehouse.one('SELECT status, unbalanced_vouchers::INT AS n FROM mart_data_quality')).toEqual({ status: 'error', n: 2 });
    await warehouse.run("DELETE FROM ledger_line WHERE voucher_id LIKE 'T-half-%'");
    await warehouse.run("DELETE FROM voucher WHERE voucher_id LIKE 'T-half-%'");
  });

  it('opens a year without opening balances at the previous year’s closing', async () => {
    const [first, second] = company.truth.years;
    await warehouse.run("DELETE FROM ledger_line WHERE voucher_id = 'T-unknown'");
    await warehouse.run("DELETE FROM voucher WHERE voucher_id = 'T-unknown'");
    await warehouse.run('DELETE FROM opening_balance WHERE fiscal_year_start = $1::DATE', [second!.fiscal_year.start_date]);
    await buildMarts(warehouse);
    const rows = await warehouse.all<{ account_id: string; opening: string }>(
      'SELECT account_id, opening::VARCHAR AS opening FROM mart_monthly_trial_balance WHERE fiscal_year_start = $1::DATE AND month = $1::DATE',
      [second!.fiscal_year.start_date],
    );
    const opening = new Map(rows.map((r) => [r.account_id, cents(r.opening)]));
    // NO books the result straight to 2050, so next year's opening is this year's closing
    // for balance-sheet accounts, and zero for the closed income statement.
    expect(opening).toEqual(second!.opening);
    expect(first!.closing.get('1920')).toBe(second!.opening.get('1920'));
    expect(await warehouse.one('SELECT has_opening_balances FROM mart_data_quality_year WHERE fiscal_year_start = $1::DATE', [second!.fiscal_year.start_date])).toEqual({
      has_opening_balances: false,
    });
  });
});
