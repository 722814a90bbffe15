import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/index.ts';
import { Warehouse } from '../../load/index.ts';
import { csvViewNames, nordicAmount } from '../../reports/pack/index.ts';
import { chromiumPath, requireChromium, skipWithoutChromium } from '../helpers/chromium.ts';
import { parseCsv } from '../helpers/csv-table.ts';
import { suiteDir } from '../helpers/mart-fixtures.ts';
import { buildReportWarehouse, captureConsole, reportCompanies, unmappedPosting } from '../helpers/report-fixtures.ts';

type Row = Record<string, string | null>;

const period = '2026-06';
const month = `${period}-01`;
const pnlColumns = ['amount', 'ytd', 'last_year', 'last_year_ytd', 'rolling_12m', 'budget', 'budget_ytd', 'variance', 'variance_ytd'];
const kpiColumns = ['revenue', 'gross_profit', 'gross_margin', 'ebitda', 'operating_result', 'operating_margin', 'net_result', 'working_capital', 'current_ratio', 'equity_ratio', 'dso_days', 'dpo_days'];
const cashColumns = ['net_result', 'depreciation', 'change_in_untaxed_reserves', 'change_in_working_capital', 'operating_cash_flow', 'investing_cash_flow', 'financing_cash_flow', 'unclassified_cash_flow', 'unbalanced_postings', 'net_cash_flow', 'cash_opening', 'cash_closing'];
const flowColumns = cashColumns.filter((c) => c !== 'cash_opening' && c !== 'cash_closing');
const isZero = (v: string | null | undefined) => v === null || v === undefined || v === '' || /^-?0+(\.0+)?$/.test(v);

/** What the marts say for one organization and the pack's month, queried directly. */
interface MartFigures {
  kpi: Row;
  kpiLastYear: Row;
  pnl: Row[];
  balance: Row[];
  cash: Row;
  cashYtd: Row;
  trialBalance: Row[];
  accountNames: Map<string, string>;
}

async function readMarts(warehouse: Warehouse, orgId: string): Promise<MartFigures> {
  const text = (cols: string[]) => cols.map((c) => `${c}::VARCHAR AS ${c}`).join(', ');
  const kpiAll = [...kpiColumns, 'revenue_ytd', 'net_result_ytd', 'operating_result_ytd'];
  return {
    kpi: (await warehouse.one<Row>(`SELECT ${text(kpiAll)} FROM mart_kpi WHERE org_id = $1 AND month = $2::DATE`, [orgId, month]))!,
    kpiLastYear: (await warehouse.one<Row>(`SELECT ${text(kpiAll)} FROM mart_kpi WHERE org_id = $1 AND month = $2::DATE - INTERVAL 12 MONTH`, [orgId, month]))!,
    pnl: await warehouse.all<Row>(`SELECT statement_line, ${text(pnlColumns)} FROM mart_profit_and_loss WHERE org_id = $1 AND month = $2::DATE ORDER BY sort_order`, [orgId, month]),
    balance: await warehouse.all<Row>(
      `SELECT b.statement_line, b.side, b.amount::VARCHAR AS amount, b.last_year_amount::VARCHAR AS last_year_amount, e.amount::VARCHAR AS last_year_end_amount
       FROM mart_balance_sheet b
       JOIN mart_balance_sheet e ON e.org_id = b.org_id AND e.statement_line = b.statement_line AND e.month = DATE '2025-12-01'
       WHERE b.org_id = $1 AND b.month = $2::DATE ORDER BY b.sort_order`,
      [orgId, month],
    ),
    cash: (await warehouse.one<Row>(`SELECT ${text(cashColumns)} FROM mart_cash_flow WHERE org_id = $1 AND month = $2::DATE`, [orgId, month]))!,
    cashYtd: (await warehouse.one<Row>(
      `SELECT ${flowColumns.map((c) => `sum(${c})::VARCHAR AS ${c}`).join(', ')},
              (SELECT cash_opening::VARCHAR FROM mart_cash_flow WHERE org_id = $1 AND month = DATE '2026-01-01') AS cash_opening,
              (SELECT cash_closing::VARCHAR FROM mart_cash_flow WHERE org_id = $1 AND month = $2::DATE) AS cash_closing
       FROM mart_cash_flow WHERE org_id = $1 AND fiscal_year_start = DATE '2026-01-01' AND month <= $2::DATE`,
      [orgId, month],
    ))!,
    trialBalance: await warehouse.all<Row>(
      `SELECT account_id, opening::VARCHAR AS opening, movement::VARCHAR AS movement, closing::VARCHAR AS closing
       FROM mart_monthly_trial_balance WHERE org_id = $1 AND month = $2::DATE ORDER BY account_id`,
      [orgId, month],
    ),
    accountNames: new Map((await warehouse.all<{ account_id: string; name: string }>('SELECT account_id, name FROM account WHERE org_id = $1', [orgId])).map((a) => [a.account_id, a.name])),
  };
}

const packEntries = (dir: string) => readdirSync(dir).sort();
/** A pack's files: with a PDF wherever Chromium is (always in CI, where its absence fails the browser test). */
const fullPack = skipWithoutChromium ? ['csv', 'index.html'] : ['csv', 'index.html', 'report.pdf'];
/** Temp or old folders the atomic swap left beside a pack (there must be none). */
const leftovers = (out: string) => readdirSync(dirname(out)).filter((e) => e.startsWith(`.${basename(out)}.`));

describe('ledgerhouse report: the month-end pack', () => {
  const dir = suiteDir('ledgerhouse-report-');
  let warehousePath: string;
  const packs = new Map<string, string>();
  const marts = new Map<string, MartFigures>();
  const outputs = new Map<string, string>();

  beforeAll(async () => {
    warehousePath = await buildReportWarehouse(dir.path);
    for (const { orgId } of reportCompanies) {
      const out = join(dir.path, 'packs', `${orgId}-${period}`);
      const io = captureConsole();
      const code = await main(['report', '--org', orgId, '--period', period, '--out', out, '--warehouse', warehousePath]);
      vi.restoreAllMocks();
      expect(code, io.err()).toBe(0);
      packs.set(orgId, out);
      outputs.set(orgId, io.out());
    }
    // The command built the marts; read them as it left them.
    const warehouse = await Warehouse.open(warehousePath);
    try {
      for (const { orgId } of reportCompanies) marts.set(orgId, await readMarts(warehouse, orgId));
    } finally {
      warehouse.close();
    }
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => {
    dir.remove();
  });

  it('writes index.html, one CSV per view and a PDF, and says where', () => {
    for (const [orgId, out] of packs) {
      expect(packEntries(out)).toEqual(fullPack);
      expect(packEntries(join(out, 'csv'))).toEqual(csvViewNames.map((v) => `${v}.csv`).sort());
      expect(leftovers(out)).toEqual([]);
      expect(outputs.get(orgId)).toContain(join(out, 'index.html'));
      if (skipWithoutChromium) continue;
      expect(readFileSync(join(out, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(statSync(join(out, 'report.pdf')).size).toBeGreaterThan(10_000);
      expect(outputs.get(orgId)).toContain(`PDF: ${join(out, 'report.pdf')}`);
    }
  });

  it('keeps index.html self-contained: inline style and SVG, no script, no link to anything outside', () => {
    for (const out of packs.values()) {
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
      expect(html).not.toMatch(/\b(src|href)=/i);
      expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
      expect(html).toMatch(/@media print[\s\S]*break-before: page/);
    }
  });

  it('writes CSVs that parse, with dot decimals and no thousands separators, whose figures equal the marts', () => {
    for (const [orgId, out] of packs) {
      const m = marts.get(orgId)!;
      const csv = (name: string) => {
        const text = readFileSync(join(out, 'csv', `${name}.csv`), 'utf8');
        expect(text.charCodeAt(0), 'no byte-order mark').not.toBe(0xfeff);
        return parseCsv(text);
      };
      const amount = /^-?\d+(\.\d+)?$/;

      const kpi = new Map(csv('kpi').map((r) => [r['kpi']!, r]));
      for (const c of kpiColumns) {
        expect(kpi.get(c)?.['value'], `${orgId} kpi ${c}`).toBe(m.kpi[c] ?? '');
        expect(kpi.get(c)?.['last_year_value'], `${orgId} kpi ${c} last year`).toBe(m.kpiLastYear[c] ?? '');
      }
      expect(kpi.get('revenue')?.['ytd']).toBe(m.kpi['revenue_ytd']);

      const pnl = csv('profit_and_loss');
      expect(pnl.map((r) => r['statement_line'])).toEqual(m.pnl.map((r) => r['statement_line']));
      for (const [i, row] of m.pnl.entries()) for (const c of pnlColumns) expect(pnl[i]![c], `${orgId} P&L ${row['statement_line']} ${c}`).toBe(row[c] ?? '');

      const balance = new Map(csv('balance_sheet').map((r) => [`${r['side']}/${r['statement_line']}`, r]));
      expect(balance.size).toBe(m.balance.length);
      for (const row of m.balance) {
        const got = balance.get(`${row['side']}/${row['statement_line']}`)!;
        expect([got['amount'], got['last_year_amount'], got['last_year_end_amount']], `${orgId} BS ${row['statement_line']}`).toEqual([row['amount'], row['last_year_amount'] ?? '', row['last_year_end_amount']]);
      }

      const cash = new Map(csv('cash_flow').map((r) => [r['item']!, r]));
      for (const c of cashColumns) {
        expect(cash.get(c)?.['month'], `${orgId} cash ${c}`).toBe(m.cash[c]);
        expect(cash.get(c)?.['ytd'], `${orgId} cash ytd ${c}`).toBe(m.cashYtd[c]);
      }

      const tb = csv('trial_balance');
      expect(tb.map((r) => [r['account_id'], r['opening'], r['movement'], r['closing']])).toEqual(m.trialBalance.map((r) => [r['account_id'], r['opening'], r['movement'], r['closing']]));
      // UTF-8 round trip: account names with å, ä, ø come back as the warehouse holds them.
      for (const r of tb) if (m.accountNames.has(r['account_id']!)) expect(r['account_name']).toBe(m.accountNames.get(r['account_id']!));
      for (const r of [...tb, ...pnl]) for (const c of ['opening', 'movement', 'closing', ...pnlColumns]) if (r[c]) expect(r[c]).toMatch(amount);

      const quality = csv('data_quality');
      const unmapped = quality.filter((r) => r['check'] === 'unmapped_account');
      if (orgId === unmappedPosting.orgId) {
        expect(unmapped).toEqual([expect.objectContaining({ subject: unmappedPosting.account, status: 'warning', amount: unmappedPosting.amount })]);
        expect(quality.find((r) => r['check'] === 'unmapped_accounts')).toMatchObject({ status: 'warning', count: '1' });
      } else {
        expect(unmapped).toEqual([]);
        expect(quality.find((r) => r['check'] === 'overall')).toMatchObject({ status: 'ok' });
      }
    }
  });

  describe.skipIf(skipWithoutChromium)('in headless Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: requireChromium() });
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** Opens a pack from disk, every request but the page itself refused and counted. */
    async function openPack(out: string): Promise<{ page: Page; outside: string[] }> {
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      const url = pathToFileURL(join(out, 'index.html')).href;
      const outside: string[] = [];
      page.on('request', (r) => void (r.url() !== url && outside.push(r.url())));
      await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      await page.goto(url, { waitUntil: 'load' });
      return { page, outside };
    }

    const cell = (page: Page, view: string, line: string, column: string) =>
      page.locator(`table[data-view="${view}"] tr[data-line="${line}"] td[data-column="${column}"]`);

    it('shows the charts, and every figure on the page equals the marts', async () => {
      for (const [orgId, out] of packs) {
        const m = marts.get(orgId)!;
        const { page, outside } = await openPack(out);

        // Charts: visible, a real size, bars and lines drawn, a title for screen readers.
        const charts = page.locator('svg[role="img"]');
        expect(await charts.count()).toBe(2);
        for (const chart of await charts.all()) {
          await expect.poll(() => chart.isVisible()).toBe(true);
          const box = (await chart.boundingBox())!;
          expect(box.width).toBeGreaterThan(300);
          expect(box.height).toBeGreaterThan(100);
          expect((await chart.locator('title').first().textContent())?.length).toBeGreaterThan(10);
          expect(await chart.locator('rect.bar, path.line').count()).toBeGreaterThan(0);
        }
        const bars = page.locator('#chart-revenue-result rect.bar');
        expect(await bars.count()).toBe(13);
        const juneBar = page.locator(`#chart-revenue-result rect.bar[data-month="${period}"]`);
        expect(await juneBar.getAttribute('data-value')).toBe(m.kpi['revenue']);
        expect((await juneBar.boundingBox())!.height).toBeGreaterThan(5);
        expect(await page.locator('#chart-revenue-result path.line').getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){12}$/);

        // KPI tiles: the month and the same month last year, exactly; the change is their difference.
        const tiles = page.locator('.tile[data-kpi]');
        expect(await tiles.count()).toBeGreaterThanOrEqual(8);
        for (const tile of await tiles.all()) {
          const kpi = (await tile.getAttribute('data-kpi'))!;
          expect(await tile.locator('[data-field="value"]').getAttribute('data-value'), `${orgId} tile ${kpi}`).toBe(m.kpi[kpi]);
          expect(await tile.locator('[data-field="last_year"]').getAttribute('data-value'), `${orgId} tile ${kpi} last year`).toBe(m.kpiLastYear[kpi]);
        }
        const revenueTile = page.locator('.tile[data-kpi="revenue"]');
        expect(await revenueTile.locator('[data-field="value"]').textContent()).toBe(nordicAmount(m.kpi['revenue']!));
        expect(await revenueTile.locator('[data-field="value"]').textContent()).toMatch(/^−?\d{1,3}(\u00a0\d{3})*,\d{2}$/);
        const change = await revenueTile.locator('[data-field="change"]').getAttribute('data-value');
        const cents = (v: string) => BigInt(v.replace('.', '')); // two decimals, always
        expect(cents(change!)).toBe(cents(m.kpi['revenue']!) - cents(m.kpiLastYear['revenue']!));

        // P&L: every line of the mart is on the page with its figures, or left out because it is all zero.
        for (const row of m.pnl) {
          const line = row['statement_line']!;
          const shown = await page.locator(`table[data-view="profit_and_loss"] tr[data-line="${line}"]`).count();
          if (shown === 0) {
            expect(['amount', 'ytd', 'last_year_ytd', 'budget_ytd', 'variance_ytd'].every((c) => isZero(row[c])), `${orgId} P&L ${line} left out`).toBe(true);
            continue;
          }
          for (const c of ['amount', 'ytd', 'last_year_ytd', 'budget_ytd', 'variance_ytd']) {
            expect(await cell(page, 'profit_and_loss', line, c).getAttribute('data-value'), `${orgId} P&L ${line} ${c}`).toBe(row[c]);
          }
        }
        for (const [line, kpi] of [['operating_result', 'operating_result'], ['net_result', 'net_result']]) {
          expect(await cell(page, 'profit_and_loss', line!, 'amount').getAttribute('data-value')).toBe(m.kpi[kpi!]);
          expect(await cell(page, 'profit_and_loss', line!, 'ytd').getAttribute('data-value')).toBe(m.kpi[`${kpi}_ytd`]);
        }
        expect(await cell(page, 'profit_and_loss', 'revenue', 'ytd').textContent()).toBe(nordicAmount(m.kpi['revenue_ytd']!));

        // Balance sheet at the month end against last year end; both sides total the same.
        for (const row of m.balance) {
          const line = row['statement_line']!;
          if ((await page.locator(`table[data-view="balance_sheet"] tr[data-line="${line}"]`).count()) === 0) {
            expect(isZero(row['amount']) && isZero(row['last_year_end_amount']), `${orgId} BS ${line} left out`).toBe(true);
            continue;
          }
          expect(await cell(page, 'balance_sheet', line, 'amount').getAttribute('data-value'), `${orgId} BS ${line}`).toBe(row['amount']);
          expect(await cell(page, 'balance_sheet', line, 'last_year_end_amount').getAttribute('data-value'), `${orgId} BS ${line} last year end`).toBe(row['last_year_end_amount']);
        }
        expect(await cell(page, 'balance_sheet', 'total_assets', 'amount').getAttribute('data-value')).toBe(
          await cell(page, 'balance_sheet', 'total_equity_and_liabilities', 'amount').getAttribute('data-value'),
        );

        // Cash flow, month and year to date.
        for (const c of ['net_result', 'operating_cash_flow', 'investing_cash_flow', 'financing_cash_flow', 'net_cash_flow', 'cash_opening', 'cash_closing']) {
          expect(await cell(page, 'cash_flow', c, 'month').getAttribute('data-value'), `${orgId} cash ${c}`).toBe(m.cash[c]);
          expect(await cell(page, 'cash_flow', c, 'ytd').getAttribute('data-value'), `${orgId} cash ytd ${c}`).toBe(m.cashYtd[c]);
        }

        // Data-quality notes.
        const quality = page.locator('#data-quality');
        if (orgId === unmappedPosting.orgId) {
          await expect.poll(() => quality.locator(`tr[data-account="${unmappedPosting.account}"]`).count()).toBe(1);
          expect(await page.locator('table[data-view="balance_sheet"] tr[data-line="unmapped"]').count()).toBe(1);
        } else {
          expect(await quality.textContent()).toContain('No data-quality issues');
        }

        // Printing puts each section on its own page.
        await page.emulateMedia({ media: 'print' });
        const breaks = await page.locator('section.page').evaluateAll((sections) => sections.slice(1).map((s) => getComputedStyle(s).breakBefore));
        expect(breaks.length).toBe(6);
        expect(new Set(breaks)).toEqual(new Set(['page']));

        expect(outside, `${orgId}: requests that left the page`).toEqual([]);
        await page.context().close();
      }
    });
  });

  describe('bad input', () => {
    const cases: { name: string; args: (out: string) => string[]; code: number; says: RegExp }[] = [
      { name: 'an unknown organization', args: (out) => ['--org', 'nobody', '--period', period, '--out', out], code: 1, says: /^Organization "nobody" is not in the warehouse \(it holds pack-no, pack-se\)\.$/ },
      { name: 'a month no fiscal year covers', args: (out) => ['--org', 'pack-no', '--period', '2031-05', '--out', out], code: 1, says: /^Organization "pack-no" has no fiscal year covering 2031-05 in the warehouse \(it holds 2024-01-01 to 2026-12-31\); pick a month inside one\.$/ },
      { name: 'a malformed period', args: (out) => ['--org', 'pack-no', '--period', '2026-13', '--out', out], code: 2, says: /^--period "2026-13" is not a month: write it as yyyy-mm/ },
      { name: 'a period in another format', args: (out) => ['--org', 'pack-no', '--period', '06/2026', '--out', out], code: 2, says: /^--period "06\/2026" is not a month/ },
      { name: 'no period', args: (out) => ['--org', 'pack-no', '--out', out], code: 2, says: /^--period is required/ },
      { name: 'no --out', args: () => ['--org', 'pack-no', '--period', period], code: 2, says: /^--out is required/ },
    ];

    it.each(cases)('$name: one sentence, exit $code, no pack', async ({ args, code, says }) => {
      const out = join(dir.path, 'bad', 'pack');
      const io = captureConsole();
      expect(await main(['report', ...args(out), '--warehouse', warehousePath])).toBe(code);
      expect(io.err().split('\n')[0]).toMatch(says);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(dirname(out)) ? readdirSync(dirname(out)) : []).toEqual([]);
    });

    it('a warehouse that does not exist: one sentence, exit 2, and no file created', async () => {
      const missing = join(dir.path, 'typo.duckdb');
      const io = captureConsole();
      expect(await main(['report', '--org', 'pack-no', '--period', period, '--out', join(dir.path, 'bad', 'pack'), '--warehouse', missing])).toBe(2);
      expect(io.err().split('\n')[0]).toBe(`The warehouse ${missing} does not exist; import or sync into it first, or point --warehouse at yours.`);
      expect(existsSync(missing)).toBe(false);
    });

    it('refuses an --out folder that holds something other than a pack, and leaves it alone', async () => {
      const out = join(dir.path, 'not-a-pack');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'thesis.docx'), 'precious');
      const io = captureConsole();
      expect(await main(['report', '--org', 'pack-no', '--period', period, '--out', out, '--warehouse', warehousePath])).toBe(1);
      expect(io.err()).toMatch(/holds other files \(thesis\.docx\) and is not a report pack; give a new or empty folder\./);
      expect(packEntries(out)).toEqual(['thesis.docx']);
    });
  });

  describe('replacing a pack', () => {
    const fakeChromium = () => {
      const path = join(dir.path, 'broken-chromium.sh');
      writeFileSync(path, '#!/bin/sh\necho "simulated crash" >&2\nexit 3\n');
      chmodSync(path, 0o755);
      return path;
    };
    const withChromium = async <T>(path: string, work: () => Promise<T>): Promise<T> => {
      const before = process.env.CHROMIUM_PATH;
      process.env.CHROMIUM_PATH = path;
      try {
        return await work();
      } finally {
        if (before === undefined) delete process.env.CHROMIUM_PATH;
        else process.env.CHROMIUM_PATH = before;
      }
    };

    it('replaces the pack whole on a second run, and keeps the old one whole when the new one fails', async () => {
      const out = packs.get('pack-no')!;
      const firstHtml = readFileSync(join(out, 'index.html'), 'utf8');
      const firstInode = statSync(out).ino;

      // A failure after the HTML and CSVs are written (Chromium dies printing the PDF): the old pack stays as it was.
      let io = captureConsole();
      expect(await withChromium(fakeChromium(), () => main(['report', '--org', 'pack-no', '--period', period, '--out', out, '--warehouse', warehousePath]))).toBe(1);
      expect(io.err()).toMatch(/^Chromium at .*broken-chromium\.sh failed \(3\) printing the PDF: simulated crash; the previous pack is unchanged\.$/);
      expect(statSync(out).ino).toBe(firstInode);
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe(firstHtml);
      expect(leftovers(out)).toEqual([]);
      vi.restoreAllMocks();

      // A second run: a new folder swapped in whole, nothing left beside it.
      io = captureConsole();
      expect(await withChromium(chromiumPath, () => main(['report', '--org', 'pack-no', '--period', period, '--out', out, '--warehouse', warehousePath])), io.err()).toBe(0);
      expect(statSync(out).ino).not.toBe(firstInode);
      expect(packEntries(out)).toEqual(fullPack);
      const secondHtml = readFileSync(join(out, 'index.html'), 'utf8');
      expect(secondHtml).not.toBe(firstHtml);
      expect(secondHtml.replace(/<time[^>]*>[^<]*<\/time>/, '')).toBe(firstHtml.replace(/<time[^>]*>[^<]*<\/time>/, ''));
      expect(leftovers(out)).toEqual([]);
    });

    it('without Chromium, says so and writes the pack without a PDF', async () => {
      const out = join(dir.path, 'packs', 'no-pdf');
      const io = captureConsole();
      expect(await withChromium(join(dir.path, 'no-such-chromium'), () => main(['report', '--org', 'pack-se', '--period', period, '--out', out, '--warehouse', warehousePath])), io.err()).toBe(0);
      expect(io.out()).toMatch(/no PDF: Chromium not found/);
      expect(packEntries(out)).toEqual(['csv', 'index.html']);
    });
  });
});
