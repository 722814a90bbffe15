// Every SQL query of the Evidence dashboards (reports/evidence), run with native DuckDB
// against a published snapshot of a fixture warehouse: the source queries as Evidence's
// DuckDB connector runs them, their results typed as Evidence's parquet cache keeps them,
// and every page query in the forms the browser sends, with the inputs a reader gets by
// default. Evidence itself is not run: its build needs the internet.
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMarts, publishSnapshot, Warehouse } from '../../load/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import { columnsUsed, compileQuery, dropdownOptionsQuery, evidenceStatements, materializeSources, nordicNumber, readInitializeSql, readPages, readSources, timesHundred, type EvidencePage } from '../helpers/evidence-project.ts';
import { cents, importCompany, suiteDir } from '../helpers/mart-fixtures.ts';

/** One organization per country; Finland with July–June years; SIE (Sweden) brings budgets. */
const fixtureOrgs = [
  { orgId: 'gen-no', country: 'NO', format: 'saft', fiscalYearStartMonth: 1 },
  { orgId: 'gen-se', country: 'SE', format: 'sie', fiscalYearStartMonth: 1 },
  { orgId: 'gen-fi', country: 'FI', format: 'saft', fiscalYearStartMonth: 7 },
] as const;

/** Page queries that may rightly return nothing for sound generated books. */
const mayBeEmpty = new Set([
  'budget.md:budget_lines', // SAF-T carries no budget (checked below: Sweden has one)
  'budget.md:result_against_budget',
  'data-quality.md:unmapped',
  'data-quality.md:unbalanced',
  'data-quality.md:issues',
  'data-quality.md:tie_out',
]);

const expectedPages = [
  'accounts/[account].md',
  'accounts/index.md',
  'balance-sheet.md',
  'budget.md',
  'cash-flow.md',
  'data-quality.md',
  'dimensions.md',
  'index.md',
  'profit-and-loss.md',
  'trial-balance.md',
];

type Row = Record<string, unknown>;

interface RenderedPage {
  inputs: Record<string, string>;
  results: Map<string, { columns: string[]; rows: Row[] }>;
}

/** Money from the browser's float, in cents, for comparing with the marts' exact DECIMAL. */
function floatCents(value: unknown): bigint {
  if (typeof value !== 'number') throw new Error(`expected a number, got ${String(value)}`);
  return BigInt(Math.round(value * 100));
}

describe('the Evidence dashboards over a published fixture warehouse', () => {
  const dir = suiteDir('ledgerhouse-evidence-');
  const snapshot = join(dir.path, 'published', 'warehouse.duckdb');
  const pages = readPages();
  const sources = readSources();
  let instance: DuckDBInstance;
  /** Reads the snapshot (catalog `ledger`, default) with the source folder's initialize.sql. */
  let source: DuckDBConnection;
  /** Reads only the tables `warehouse.<source>`, as a page in the browser does. */
  let browser: DuckDBConnection;
  const rendered = new Map<string, RenderedPage>();

  const all = async (connection: DuckDBConnection, sql: string): Promise<Row[]> => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
  const page = (path: string): EvidencePage => {
    const found = pages.find((p) => p.path === path);
    if (!found) throw new Error(`no page ${path}`);
    return found;
  };

  beforeAll(async () => {
    const warehouse = await Warehouse.open(join(dir.path, 'warehouse.duckdb'));
    try {
      for (const o of fixtureOrgs) {
        const company = generateCompany({ seed: 23, country: o.country, linesPerYear: 500, currentYear: 2026, fiscalYearStartMonth: o.fiscalYearStartMonth });
        await importCompany(warehouse, dir.path, company, o.format, o.orgId);
      }
      await buildMarts(warehouse);
      // As the ETL does after a successful run: the dashboards read the published copy.
      await publishSnapshot(warehouse, snapshot);
    } finally {
      warehouse.close();
    }
    instance = await DuckDBInstance.create(':memory:');
    source = await instance.connect();
    await source.run(`ATTACH '${snapshot}' AS ledger (READ_ONLY)`);
    await source.run('USE ledger');
    await source.run(readInitializeSql());
    await materializeSources(source, sources, 'memory.warehouse');
    browser = await instance.connect();
  });
  afterAll(() => {
    browser?.closeSync();
    source?.closeSync();
    instance?.closeSync();
    dir.remove();
  });

  /**
   * A page as a reader opens it for `org`: each Dropdown's options queried as the component
   * does, the first option taken (the organization set to `org`), then every query run in
   * the three forms Evidence sends.
   */
  async function render(path: string, org: string, params?: Record<string, string>): Promise<RenderedPage> {
    const p = page(path);
    const inputs: Record<string, string> = {};
    for (const dropdown of p.components.filter((c) => c.tag === 'Dropdown')) {
      const name = dropdown.attributes['name']!;
      const data = compileQuery(dropdown.attributes['data']!, p.queries, { inputs, params });
      const options = await all(browser, dropdownOptionsQuery(dropdown, data));
      expect(options.length, `${path} ${name} options for ${org}`).toBeGreaterThan(0);
      if (name === 'org') {
        expect(options.map((o) => o['value']), `${path} offers ${org}`).toContain(org);
        inputs[name] = org;
      } else {
        inputs[name] = String(options[0]!['value']);
      }
    }
    const results: RenderedPage['results'] = new Map();
    for (const query of p.queries) {
      const sql = compileQuery(query.name, p.queries, { inputs, params });
      const [data, length, describe] = evidenceStatements(query.name, sql);
      const rows = await all(browser, data!);
      const [{ rowCount }] = (await all(browser, length!)) as [{ rowCount: number }];
      expect(Number(rowCount), `${path} ${query.name} row count`).toBe(rows.length);
      const columns = (await all(browser, describe!)).map((c) => String(c['column_name']));
      results.set(query.name, { columns, rows });
    }
    const out = { inputs, results };
    rendered.set(`${path} ${org}`, out);
    return out;
  }

  const result = (path: string, org: string, query: string): Row[] => {
    const r = rendered.get(`${path} ${org}`)?.results.get(query);
    if (!r) throw new Error(`${path} was not rendered for ${org}, or has no query ${query}`);
    return r.rows;
  };
  const line = (rows: Row[], key: string, value: string): Row => {
    const found = rows.find((r) => r[key] === value);
    if (!found) throw new Error(`no row with ${key} = ${value}`);
    return found;
  };

  it('has the pages the dashboards promise, each with queries, reading only the published sources', () => {
    expect(pages.map((p) => p.path)).toEqual(expectedPages);
    for (const p of pages) {
      expect(p.queries.length, p.path).toBeGreaterThan(0);
      expect(new Set(p.queries.map((q) => q.name)).size, `${p.path} query names are unique`).toBe(p.queries.length);
      for (const q of p.queries) {
        // Pages see only what the sources publish; the marts are not in the browser.
        expect(q.sql, `${p.path} ${q.name}`).not.toMatch(/\bmart_\w+/);
        for (const table of q.sql.matchAll(/\bwarehouse\.(\w+)/g)) expect(sources.map((s) => s.name), `${p.path} ${q.name}`).toContain(table[1]);
      }
      for (const c of p.components) {
        const data = c.attributes['data'];
        if (data !== undefined) expect(p.queries.map((q) => q.name), `${p.path} <${c.tag} data={${data}}>`).toContain(data);
      }
    }
    // The statement pages share the organization, fiscal year and period inputs.
    for (const path of ['index.md', 'profit-and-loss.md', 'balance-sheet.md', 'cash-flow.md', 'trial-balance.md', 'dimensions.md', 'budget.md', 'accounts/[account].md']) {
      const names = page(path).components.filter((c) => c.tag === 'Dropdown').map((c) => c.attributes['name']);
      expect(names, path).toEqual(expect.arrayContaining(['org', 'fiscal_year', 'period']));
    }
  });

  it('runs every source query against the snapshot and exposes it as warehouse.<source>', async () => {
    const counts = Object.fromEntries(
      await Promise.all(sources.map(async (s) => [s.name, Number((await all(browser, `SELECT count(*)::INTEGER AS n FROM warehouse.${s.name}`))[0]!['n'])] as const)),
    );
    const alwaysFilled = ['accounts', 'balance_sheet', 'cash_flow', 'data_quality', 'data_quality_years', 'dimension_profitability', 'fiscal_years', 'kpi', 'organizations', 'periods', 'profit_and_loss', 'sync_runs', 'trial_balance', 'voucher_lines'];
    for (const name of alwaysFilled) expect(counts[name], name).toBeGreaterThan(0);
    expect(Object.keys(counts).sort()).toEqual([...alwaysFilled, 'import_issues', 'tie_out_differences', 'unbalanced_vouchers', 'unmapped_accounts'].sort());
    // Three organizations, three fiscal years each, twelve months each.
    expect(await all(browser, 'SELECT org_id, currency FROM warehouse.organizations ORDER BY org_id')).toEqual([
      { org_id: 'gen-fi', currency: 'EUR' },
      { org_id: 'gen-no', currency: 'NOK' },
      { org_id: 'gen-se', currency: 'SEK' },
    ]);
    expect(counts['fiscal_years']).toBe(9);
    expect(counts['periods']).toBe(9 * 12);
    expect(counts['kpi']).toBe(9 * 12);
    // The browser gets money as DOUBLE and dates as timestamps (Evidence's parquet cache).
    const types = await all(browser, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'warehouse' AND table_name = 'kpi' AND column_name IN ('revenue_ytd', 'month', 'period')");
    expect(Object.fromEntries(types.map((t) => [t['column_name'], t['data_type']]))).toEqual({ revenue_ytd: 'DOUBLE', month: 'TIMESTAMP', period: 'VARCHAR' });
  });

  it('keeps money exact in the source queries: DECIMAL, never DOUBLE, and Nordic texts that equal the figures', async () => {
    let checked = 0;
    for (const s of sources) {
      const described = await all(source, `DESCRIBE ${s.sql}`);
      const type = new Map(described.map((c) => [String(c['column_name']), String(c['column_type'])]));
      for (const [column, t] of type) expect(t, `${s.name}.${column}`).not.toMatch(/^(DOUBLE|FLOAT|REAL)$/);
      const pairs = [...type.keys()].filter((c) => c.endsWith('_text')).map((c) => [c, c.slice(0, -'_text'.length)] as const);
      for (const [, base] of pairs) expect(type.has(base), `${s.name}.${base} beside its text`).toBe(true);
      if (pairs.length === 0) continue;
      const rows = await all(source, `SELECT ${pairs.map(([text, base]) => `"${text}", "${base}"::VARCHAR AS "${base}"`).join(', ')} FROM (${s.sql})`);
      for (const row of rows) {
        for (const [text, base] of pairs) {
          const shown = row[text] as string | null;
          const value = row[base] as string | null;
          expect(shown === null, `${s.name}.${text} is null exactly when ${base} is`).toBe(value === null);
          if (shown === null || value === null) continue;
          expect(shown, `${s.name}.${text}`).toMatch(/^-?\d{1,3}( \d{3})*(,\d{1,2})?( %)?$/);
          const places = shown.includes(',') ? shown.replace(/ %$/, '').split(',')[1]!.length : 0;
          const expected = shown.endsWith(' %') ? `${nordicNumber(timesHundred(value), places)} %` : nordicNumber(value, places);
          expect(shown, `${s.name}.${text} for ${value}`).toBe(expected);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    // The macros at their edges: grouping, rounding half away from zero, sign of what rounds to zero.
    expect(
      await all(
        source,
        `SELECT nordic_amount(1234567.89::DECIMAL(18,2)) a, nordic_amount(-0.05::DECIMAL(18,2)) b, nordic_whole(-1234.50::DECIMAL(18,2)) c,
                nordic_whole(-0.40::DECIMAL(18,2)) d, nordic_percent(0.2535::DECIMAL(18,4)) e, nordic_one(-42.25::DECIMAL(18,2)) f,
                nordic_amount(9999999999999999.99::DECIMAL(18,2)) g, ledger_change(-120.00::DECIMAL(18,2), -100.00::DECIMAL(18,2))::VARCHAR h,
                ledger_change(1.00::DECIMAL(18,2), 0::DECIMAL(18,2)) i`,
      ),
    ).toEqual([{ a: '1 234 567,89', b: '-0,05', c: '-1 235', d: '0', e: '25,4 %', f: '-42,3', g: '9 999 999 999 999 999,99', h: '-0.2000', i: null }]);
  });

  it('runs every query of every page, as the browser sends it, for each organization, with the columns its components read', async () => {
    for (const o of fixtureOrgs) {
      for (const p of pages) {
        if (p.path === 'accounts/[account].md') continue; // needs an account: below
        const { results } = await render(p.path, o.orgId);
        for (const [name, r] of results) {
          if (!mayBeEmpty.has(`${p.path}:${name}`)) expect(r.rows.length, `${p.path} ${name} for ${o.orgId}`).toBeGreaterThan(0);
        }
        for (const c of p.components) {
          const data = c.attributes['data'];
          if (data === undefined) continue;
          const columns = results.get(data)!.columns;
          for (const column of columnsUsed(c)) expect(columns, `${p.path} <${c.tag} data={${data}}> reads ${column}`).toContain(column);
        }
      }
      // The drill-down page, for a revenue account with postings in the period the trial balance opens on.
      const tb = rendered.get(`trial-balance.md ${o.orgId}`)!;
      const account = (await all(
        browser,
        `SELECT account_id FROM warehouse.trial_balance WHERE org_id = '${o.orgId}' AND period = '${tb.inputs['period']}' AND statement_line = 'revenue' AND movement <> 0 ORDER BY account_id LIMIT 1`,
      ))[0]!['account_id'] as string;
      const drill = await render('accounts/[account].md', o.orgId, { account });
      for (const [name, r] of drill.results) expect(r.rows.length, `accounts/[account].md ${name} for ${o.orgId} ${account}`).toBeGreaterThan(0);
      for (const c of page('accounts/[account].md').components) {
        const data = c.attributes['data'];
        if (data !== undefined) for (const column of columnsUsed(c)) expect(drill.results.get(data)!.columns, `[account].md ${data} reads ${column}`).toContain(column);
      }
    }
  });

  it('opens on the latest fiscal year and its latest month with postings', async () => {
    for (const o of fixtureOrgs) {
      const { inputs } = rendered.get(`index.md ${o.orgId}`)!;
      const latest = await all(
        source,
        `SELECT strftime(max(fiscal_year_start), '%Y-%m-%d') AS fy FROM mart_kpi WHERE org_id = '${o.orgId}'`,
      );
      expect(inputs['fiscal_year']).toBe(latest[0]!['fy']);
      const lastPosted = await all(
        source,
        `SELECT strftime(max(month), '%Y-%m-%d') AS period FROM mart_monthly_trial_balance
         WHERE org_id = '${o.orgId}' AND fiscal_year_start = '${inputs['fiscal_year']}'::DATE AND movement <> 0`,
      );
      expect(inputs['period']).toBe(lastPosted[0]!['period']);
    }
  });

  it('shows on the overview the KPIs of mart_kpi, with last year beside them', async () => {
    for (const o of fixtureOrgs) {
      const { inputs } = rendered.get(`index.md ${o.orgId}`)!;
      const tiles = result('index.md', o.orgId, 'kpi_series');
      const mart = (await all(
        source,
        `SELECT k.revenue_ytd::VARCHAR AS revenue_ytd, k.net_result_ytd::VARCHAR AS net_result_ytd, k.operating_result_ytd::VARCHAR AS operating_result_ytd,
                ly.revenue_ytd::VARCHAR AS revenue_ytd_last_year, c.cash_closing::VARCHAR AS cash
         FROM mart_kpi k
         LEFT JOIN mart_kpi ly ON ly.org_id = k.org_id AND ly.month = (k.month - INTERVAL 12 MONTH)::DATE
         JOIN mart_cash_flow c ON c.org_id = k.org_id AND c.month = k.month
         WHERE k.org_id = '${o.orgId}' AND k.month = '${inputs['period']}'::DATE`,
      ))[0]!;
      // The tile shows the first row: the selected period.
      expect(tiles[0]!['period']).toBe(inputs['period']);
      expect(floatCents(tiles[0]!['revenue_ytd'])).toBe(cents(mart['revenue_ytd']));
      expect(floatCents(tiles[0]!['net_result_ytd'])).toBe(cents(mart['net_result_ytd']));
      expect(floatCents(tiles[0]!['operating_result_ytd'])).toBe(cents(mart['operating_result_ytd']));
      expect(floatCents(tiles[0]!['cash'])).toBe(cents(mart['cash']));
      expect(floatCents(tiles[0]!['revenue_ytd_last_year'])).toBe(cents(mart['revenue_ytd_last_year']));
      // The trend: every month of the year up to the period.
      expect(tiles.map((t) => t['period'])).toEqual([...tiles.map((t) => t['period'] as string)].sort().reverse());
      const figures = result('index.md', o.orgId, 'key_figures');
      expect(figures.map((f) => f['figure'])).toHaveLength(8);
      expect(figures[0]!['value']).toBe(nordicNumber(mart['revenue_ytd'] as string, 0));
      expect(result('index.md', o.orgId, 'revenue_trend')).toHaveLength(12);
    }
  });

  it('adds the profit and loss up to the results of mart_kpi', async () => {
    for (const o of fixtureOrgs) {
      const { inputs } = rendered.get(`profit-and-loss.md ${o.orgId}`)!;
      const rows = result('profit-and-loss.md', o.orgId, 'income_statement');
      const mart = (await all(
        source,
        `SELECT operating_result_ytd::VARCHAR AS operating, net_result_ytd::VARCHAR AS net, revenue_ytd::VARCHAR AS revenue
         FROM mart_kpi WHERE org_id = '${o.orgId}' AND month = '${inputs['period']}'::DATE`,
      ))[0]!;
      expect(floatCents(line(rows, 'statement_line', 'operating_result')['ytd'])).toBe(cents(mart['operating']));
      expect(floatCents(line(rows, 'statement_line', 'net_result')['ytd'])).toBe(cents(mart['net']));
      expect(floatCents(line(rows, 'statement_line', 'revenue')['ytd'])).toBe(cents(mart['revenue']));
      expect(line(rows, 'statement_line', 'net_result')['ytd_text']).toBe(nordicNumber(mart['net'] as string, 0));
      // Lines first, in the statement's order, the subtotals where they belong.
      const order = rows.map((r) => r['statement_line']);
      expect(order.indexOf('operating_result')).toBeGreaterThan(order.indexOf('depreciation'));
      expect(order.indexOf('net_result')).toBeGreaterThan(order.indexOf('operating_result'));
      expect(result('profit-and-loss.md', o.orgId, 'result_by_month').length).toBe(24);
    }
  });

  it('balances the balance sheet at the period end', () => {
    for (const o of fixtureOrgs) {
      const rows = result('balance-sheet.md', o.orgId, 'balance_sheet');
      const assets = floatCents(line(rows, 'statement_line', 'total_assets')['amount']);
      expect(assets, o.orgId).not.toBe(0n); // the Swedish fixture company runs an overdraft: assets may be negative
      expect(floatCents(line(rows, 'statement_line', 'total_equity_and_liabilities')['amount'])).toBe(assets);
      expect(line(rows, 'statement_line', 'total_assets')['amount_text']).toBe(line(rows, 'statement_line', 'total_equity_and_liabilities')['amount_text']);
    }
  });

  it('explains the change in cash, month and year to date', async () => {
    for (const o of fixtureOrgs) {
      const rows = result('cash-flow.md', o.orgId, 'cash_flow_statement');
      const { inputs } = rendered.get(`cash-flow.md ${o.orgId}`)!;
      for (const column of ['amount', 'ytd']) {
        expect(floatCents(line(rows, 'line', 'cash_opening')[column]) + floatCents(line(rows, 'line', 'net_cash_flow')[column]), column).toBe(
          floatCents(line(rows, 'line', 'cash_closing')[column]),
        );
      }
      const mart = (await all(source, `SELECT cash_closing::VARCHAR AS cash FROM mart_cash_flow WHERE org_id = '${o.orgId}' AND month = '${inputs['period']}'::DATE`))[0]!;
      expect(floatCents(line(rows, 'line', 'cash_closing')['amount'])).toBe(cents(mart['cash']));
      // Sound books: the lines that only show trouble are not shown.
      expect(rows.map((r) => r['line'])).not.toContain('unbalanced_postings');
    }
  });

  it('sums the trial balance to zero every month of the year', () => {
    for (const o of fixtureOrgs) {
      const control = result('trial-balance.md', o.orgId, 'trial_balance_control');
      expect(control).toHaveLength(12);
      for (const month of control) for (const column of ['opening', 'movement', 'closing']) expect(Math.abs(month[column] as number), `${o.orgId} ${String(month['period_label'])} ${column}`).toBeLessThan(0.005);
      const rows = result('trial-balance.md', o.orgId, 'trial_balance');
      expect(rows.reduce((s, r) => s + floatCents(r['closing']), 0n)).toBe(0n);
      expect(rows.every((r) => r['account_link'] === `/accounts/${encodeURIComponent(String(r['account_id']))}`)).toBe(true);
    }
  });

  it('drills from an account and period down to voucher lines that add up to its movement', async () => {
    for (const o of fixtureOrgs) {
      const drill = [...rendered.entries()].find(([key]) => key === `accounts/[account].md ${o.orgId}`)![1];
      const lines = drill.results.get('voucher_lines')!.rows;
      const [total] = drill.results.get('voucher_lines_total')!.rows;
      const month = drill.results.get('account_months')!.rows.find((m) => (m['month'] as string).startsWith(drill.inputs['period']!))!;
      expect(lines.length).toBeGreaterThan(0);
      expect(Number(total!['lines'])).toBe(lines.length);
      expect(floatCents(total!['total'])).toBe(floatCents(month['movement']));
      expect(lines.reduce((s, l) => s + floatCents(l['amount']), 0n)).toBe(floatCents(month['movement']));
      expect(drill.results.get('account')!.rows).toHaveLength(1);
    }
  });

  it('splits the year to date by department, project and cost center, each split adding up to the net result', async () => {
    for (const o of fixtureOrgs) {
      const { inputs } = rendered.get(`dimensions.md ${o.orgId}`)!;
      const netResult = floatCents(line(result('profit-and-loss.md', o.orgId, 'income_statement'), 'statement_line', 'net_result')['ytd']);
      const p = page('dimensions.md');
      const types = (await all(browser, compileQuery('dimension_types', p.queries, { inputs }))).map((t) => t['dimension_type'] as string);
      expect(types.length, o.orgId).toBeGreaterThanOrEqual(2);
      for (const type of types) {
        const rows = await all(browser, compileQuery('by_dimension', p.queries, { inputs: { ...inputs, dimension_type: type } }));
        expect(rows.some((r) => r['dimension_id'] !== null), `${o.orgId} ${type}`).toBe(true);
        expect(rows.reduce((s, r) => s + floatCents(r['result_ytd']), 0n), `${o.orgId} ${type}`).toBe(netResult);
      }
    }
  });

  it('sets budget against actual where the books have a budget, and shows nothing where they do not', () => {
    const se = result('budget.md', 'gen-se', 'budget_lines');
    expect(se.length).toBeGreaterThan(0);
    for (const r of se) expect(floatCents(r['variance_ytd']), String(r['label'])).toBe(floatCents(r['ytd']) - floatCents(r['budget_ytd']));
    expect(result('budget.md', 'gen-se', 'result_against_budget').length).toBeGreaterThan(0);
    for (const org of ['gen-no', 'gen-fi']) expect(result('budget.md', org, 'budget_lines'), org).toEqual([]);
  });

  it('reports each organization’s data quality and its last runs', () => {
    const status = result('data-quality.md', 'gen-no', 'organizations_status');
    expect(status.map((s) => [s['org_id'], s['status'], s['last_run_status']]).sort()).toEqual([
      ['gen-fi', 'ok', 'succeeded'],
      ['gen-no', 'ok', 'succeeded'],
      ['gen-se', 'ok', 'succeeded'],
    ]);
    for (const o of fixtureOrgs) {
      expect(result('data-quality.md', o.orgId, 'runs')).toHaveLength(3); // one import per fiscal year
      expect(result('data-quality.md', o.orgId, 'years')).toHaveLength(3);
    }
  });
});
