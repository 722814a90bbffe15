import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Country, LedgerExport, Voucher } from '../../model/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import type { GeneratedCompany } from '../../sandbox/index.ts';

const COUNTRIES: Country[] = ['NO', 'SE', 'FI'];

/** Where each country's year-end result lands, and where it is moved at the next opening. */
const RESULT_ACCOUNTS: Record<Country, { pnl: string; equity: string; retained: string; bank: string; receivable: string }> = {
  NO: { pnl: '8800', equity: '2050', retained: '2050', bank: '1920', receivable: '1500' },
  SE: { pnl: '8999', equity: '2099', retained: '2091', bank: '1930', receivable: '1510' },
  FI: { pnl: '9990', equity: '2370', retained: '2250', bank: '1910', receivable: '1700' },
};

async function collect(year: LedgerExport): Promise<Voucher[]> {
  const out: Voucher[] = [];
  for await (const v of year.vouchers()) out.push(v);
  return out;
}

function sum(values: Iterable<bigint>): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

const isPnl = (year: LedgerExport, account: string) => {
  const t = year.accounts.find((a) => a.account_id === account)!.account_type;
  return t === 'income' || t === 'expense';
};

/** Re-aggregates streamed vouchers, independently of the generator's own truth pass. */
function aggregate(vouchers: Voucher[]) {
  const movements = new Map<string, Map<string, bigint>>();
  let lines = 0;
  let debit = 0n;
  let credit = 0n;
  for (const v of vouchers) {
    for (const l of v.lines) {
      lines++;
      if (l.amount >= 0n) debit += l.amount;
      else credit -= l.amount;
      const perMonth = movements.get(l.account_id) ?? new Map<string, bigint>();
      const month = v.voucher_date.slice(0, 7);
      perMonth.set(month, (perMonth.get(month) ?? 0n) + l.amount);
      movements.set(l.account_id, perMonth);
    }
  }
  for (const [account, perMonth] of movements) {
    for (const [month, amount] of perMonth) if (amount === 0n) perMonth.delete(month);
    if (perMonth.size === 0) movements.delete(account);
  }
  return { movements, lines, debit, credit, vouchers: vouchers.length };
}

/** The invariants every generated company must satisfy; shared by the examples and the property. */
async function checkCompany(company: GeneratedCompany, country: Country, linesPerYear: number): Promise<void> {
  const ra = RESULT_ACCOUNTS[country];
  company.fiscalYears.forEach((year, y) => {
    const truth = company.truth.years[y]!;
    expect(truth.fiscal_year).toEqual(year.fiscal_year);
    // opening + movements = closing, per account, and the export's balances agree with the truth.
    for (const a of year.accounts) {
      const moved = sum(truth.movements.get(a.account_id)?.values() ?? []);
      expect(truth.opening.get(a.account_id)! + moved, a.account_id).toBe(truth.closing.get(a.account_id));
      expect(a.opening).toBe(truth.opening.get(a.account_id));
      expect(a.closing).toBe(truth.closing.get(a.account_id));
      if (isPnl(year, a.account_id)) expect(a.opening, `P&L ${a.account_id} opens at zero`).toBe(0n);
    }
    // Balances balance: the opening sheet, the year's movements, and the P&L after year-end.
    expect(sum(truth.opening.values())).toBe(0n);
    expect(sum([...truth.movements.values()].flatMap((m) => [...m.values()]))).toBe(0n);
    expect(sum(year.accounts.filter((a) => isPnl(year, a.account_id)).map((a) => a.closing))).toBe(0n);
    expect(truth.closing.get(ra.pnl)).toBe(truth.result);
    expect(truth.totalDebit).toBe(truth.totalCredit);
    expect(year.totals).toEqual({ entries: truth.voucherCount, debit: truth.totalDebit, credit: truth.totalCredit });
    // Line count within ±2 % of the request.
    expect(Math.abs(truth.lineCount - linesPerYear)).toBeLessThanOrEqual(linesPerYear * 0.02);
  });
  // Next year's opening = this year's closing, P&L at zero, result moved into retained earnings.
  for (let y = 1; y < company.fiscalYears.length; y++) {
    const prev = company.truth.years[y - 1]!;
    const cur = company.truth.years[y]!;
    for (const a of company.fiscalYears[y]!.accounts) {
      const id = a.account_id;
      let expected = isPnl(company.fiscalYears[y]!, id) ? 0n : prev.closing.get(id)!;
      if (ra.equity !== ra.retained && id === ra.equity) expected = 0n;
      if (ra.equity !== ra.retained && id === ra.retained) expected = prev.closing.get(ra.retained)! + prev.closing.get(ra.equity)!;
      expect(cur.opening.get(id), `${cur.fiscal_year.label} opening ${id}`).toBe(expected);
    }
  }
  // The streamed vouchers, aggregated here, are exactly the truth.
  for (const [y, year] of company.fiscalYears.entries()) {
    const vouchers = await collect(year);
    const truth = company.truth.years[y]!;
    for (const v of vouchers) {
      expect(v.lines.length).toBeGreaterThanOrEqual(2);
      expect(sum(v.lines.map((l) => l.amount)), `${v.journal_id} ${v.voucher_number}`).toBe(0n);
      expect(v.voucher_date >= year.fiscal_year.start_date && v.voucher_date <= year.fiscal_year.end_date).toBe(true);
    }
    const agg = aggregate(vouchers);
    expect(agg.vouchers).toBe(truth.voucherCount);
    expect(agg.lines).toBe(truth.lineCount);
    expect(agg.debit).toBe(truth.totalDebit);
    expect(agg.credit).toBe(truth.totalCredit);
    expect(agg.movements).toEqual(truth.movements);
  }
}

describe('generateCompany', () => {
  it('is deterministic: same seed gives the same ledger, a different seed a different one', async () => {
    const opts = { country: 'NO', linesPerYear: 1500, currentYear: 2026, years: 2 } as const;
    const a = generateCompany({ ...opts, seed: 11 });
    const b = generateCompany({ ...opts, seed: 11 });
    const c = generateCompany({ ...opts, seed: 12 });
    expect(b.organization).toEqual(a.organization);
    for (let y = 0; y < 2; y++) {
      const va = await collect(a.fiscalYears[y]!);
      expect(await collect(b.fiscalYears[y]!)).toEqual(va);
      // vouchers() replays the same stream on every call.
      expect(await collect(a.fiscalYears[y]!)).toEqual(va);
      expect(await collect(c.fiscalYears[y]!)).not.toEqual(va);
      expect(b.fiscalYears[y]!.budget).toEqual(a.fiscalYears[y]!.budget);
      expect(b.fiscalYears[y]!.accounts).toEqual(a.fiscalYears[y]!.accounts);
    }
    expect(c.truth.years[0]!.closing).not.toEqual(a.truth.years[0]!.closing);
  });

  for (const country of COUNTRIES) {
    it(`${country}: balanced, consistent truth, year chaining and line count`, async () => {
      for (const linesPerYear of [400, 6_000, 20_000]) {
        const company = generateCompany({ seed: 2024, country, linesPerYear, currentYear: 2026 });
        expect(company.fiscalYears.map((y) => y.fiscal_year.label)).toEqual(['2024', '2025', '2026']);
        await checkCompany(company, country, linesPerYear);
      }
    });

    it(`${country}: a believable company`, async () => {
      const company = generateCompany({ seed: 5, country, linesPerYear: 20_000, currentYear: 2026 });
      const ra = RESULT_ACCOUNTS[country];
      const year = company.fiscalYears[0]!;
      const org = company.organization;
      expect(org.country).toBe(country);
      expect(org.base_currency).toBe({ NO: 'NOK', SE: 'SEK', FI: 'EUR' }[country]);
      expect(validOrgNumber(country, org.org_number!)).toBe(true);
      for (const p of year.parties) if (p.country === country) expect(validOrgNumber(country, p.org_number!), p.org_number!).toBe(true);

      // Opening balance sheet of year 1: capital, bank, fixed assets, loan.
      const opening = company.truth.years[0]!.opening;
      const openingOf = (id: string) => opening.get(id)!;
      expect(openingOf(ra.bank)).toBeGreaterThan(0n);
      const types = new Map(year.accounts.map((a) => [a.account_id, a.account_type]));
      expect(year.accounts.filter((a) => a.account_type === 'equity').some((a) => a.opening < 0n)).toBe(true);
      expect(year.accounts.filter((a) => a.account_type === 'liability').some((a) => a.opening < 0n)).toBe(true);
      expect(year.accounts.filter((a) => a.account_type === 'asset' && a.account_id !== ra.bank).some((a) => a.opening > 0n)).toBe(true);
      for (const a of year.accounts) expect(a.account_type).not.toBeNull();
      expect(year.accounts.length).toBeGreaterThanOrEqual(40);
      expect(year.accounts.length).toBeLessThanOrEqual(70);

      // Profitable but not absurdly so.
      const revenue = -sum(year.accounts.filter((a) => a.account_type === 'income').map((a) => a.closing));
      const result = company.truth.years[0]!.result;
      expect(result * 100n / revenue).toBeGreaterThanOrEqual(0n);
      expect(result * 100n / revenue).toBeLessThanOrEqual(25n);

      const vouchers = await collect(year);
      const accountIds = new Set(year.accounts.map((a) => a.account_id));
      const journals = new Set(year.journals.map((j) => j.journal_id));
      const parties = new Set(year.parties.map((p) => `${p.party_type}:${p.party_id}`));
      const taxCodes = new Set(year.tax_codes.map((t) => t.tax_code));
      const dims = new Set(year.dimensions.map((d) => `${d.dimension_type}:${d.dimension_id}`));
      const lastNumber = new Map<string, number>();
      let foreignLines = 0;
      let receivableWithCustomer = 0;
      let pnlWithDims = 0;
      let pnlLines = 0;
      let revenueWithVat = 0;
      let revenueLines = 0;
      const journalsUsed = new Set<string>();
      const salesAccounts = new Set(year.accounts.filter((a) => a.account_type === 'income' && a.default_vat_code !== null).map((a) => a.account_id));
      expect(salesAccounts.size).toBeGreaterThanOrEqual(4);
      for (const v of vouchers) {
        expect(journals.has(v.journal_id)).toBe(true);
        journalsUsed.add(v.journal_id);
        // Voucher numbers run 1, 2, 3, … per journal.
        const n = Number(v.voucher_number);
        expect(n).toBe((lastNumber.get(v.journal_id) ?? 0) + 1);
        lastNumber.set(v.journal_id, n);
        for (const l of v.lines) {
          expect(accountIds.has(l.account_id), l.account_id).toBe(true);
          if (l.party_id !== null) expect(parties.has(`${l.party_type}:${l.party_id}`)).toBe(true);
          if (l.vat_code !== null) expect(taxCodes.has(l.vat_code)).toBe(true);
          for (const d of l.dimensions) expect(dims.has(`${d.dimension_type}:${d.dimension_id}`)).toBe(true);
          if (l.currency !== null) {
            foreignLines++;
            expect(l.currency).not.toBe(org.base_currency);
            expect(l.currency_amount).not.toBeNull();
            expect(l.currency_amount! > 0n).toBe(l.amount > 0n);
          }
          if (l.account_id === ra.receivable) {
            expect(l.party_type).toBe('customer');
            receivableWithCustomer++;
          }
          if (types.get(l.account_id) === 'income' || types.get(l.account_id) === 'expense') {
            pnlLines++;
            if (l.dimensions.length > 0) pnlWithDims++;
          }
          // Sales revenue accounts (those with a VAT code in the chart) always carry one.
          if (types.get(l.account_id) === 'income' && salesAccounts.has(l.account_id)) {
            revenueLines++;
            if (l.vat_code !== null) revenueWithVat++;
          }
        }
      }
      expect(journalsUsed).toEqual(journals);
      expect(receivableWithCustomer).toBeGreaterThan(100);
      expect(foreignLines).toBeGreaterThan(10);
      expect(foreignLines).toBeLessThan(vouchers.length * 0.15);
      expect(revenueWithVat).toBe(revenueLines);
      expect(pnlWithDims / pnlLines).toBeGreaterThan(0.8);
      const dimTypes = new Set(year.dimensions.map((d) => d.dimension_type));
      expect(dimTypes).toEqual(new Set([country === 'SE' ? 'cost_center' : 'department', 'project']));

      // The year-end voucher on the last day moves the result into equity.
      const yearEnd = vouchers.filter((v) => v.voucher_date === year.fiscal_year.end_date && v.lines.some((l) => l.account_id === ra.pnl));
      expect(yearEnd).toHaveLength(1);
      expect(yearEnd[0]!.lines.find((l) => l.account_id === ra.equity)!.amount).toBe(-company.truth.years[0]!.result);

      // Monthly payroll and depreciation; VAT rates of the country.
      const rates = new Set(year.tax_codes.map((t) => t.rate));
      const expectedRates = { NO: ['25', '15', '12'], SE: ['25', '12', '6'], FI: ['25.5', '14', '10'] }[country];
      for (const r of expectedRates) expect(rates.has(r), r).toBe(true);
      if (country === 'NO') for (const t of year.tax_codes) expect(t.standard_tax_code).not.toBeNull();
      if (country === 'NO') {
        for (const a of year.accounts) {
          expect(a.grouping_category, a.account_id).not.toBeNull();
          expect(a.grouping_code, a.account_id).not.toBeNull();
        }
      }

      // A monthly budget for P&L accounts.
      const budgetMonths = new Set(year.budget.map((b) => b.month));
      expect(budgetMonths.size).toBe(12);
      for (const b of year.budget) expect(isPnl(year, b.account_id)).toBe(true);
    });
  }

  it('supports broken fiscal years (July–June)', async () => {
    const company = generateCompany({ seed: 3, country: 'NO', linesPerYear: 3_000, currentYear: 2026, fiscalYearStartMonth: 7 });
    expect(company.fiscalYears.map((y) => [y.fiscal_year.start_date, y.fiscal_year.end_date, y.fiscal_year.label])).toEqual([
      ['2024-07-01', '2025-06-30', '2024/2025'],
      ['2025-07-01', '2026-06-30', '2025/2026'],
      ['2026-07-01', '2027-06-30', '2026/2027'],
    ]);
    const months = [...company.truth.movements('2025-07-01').get('1920')!.keys()].sort();
    expect(months[0]).toBe('2025-07');
    expect(months[months.length - 1]).toBe('2026-06');
    expect(company.fiscalYears[1]!.budget[0]!.month).toBe('2025-07-01');
    await checkCompany(company, 'NO', 3_000);
    expect(() => company.truth.year('2025-01-01')).toThrow(/no fiscal year starts on 2025-01-01/);
  });

  it('defaults the first fiscal year to two years before the current one', () => {
    const company = generateCompany({ seed: 1, country: 'SE', linesPerYear: 800, currentYear: 2030 });
    expect(company.fiscalYears.map((y) => y.fiscal_year.start_date)).toEqual(['2028-01-01', '2029-01-01', '2030-01-01']);
    expect(company.fiscalYears.map((y) => y.fiscal_year.is_closed)).toEqual([true, true, false]);
    const explicit = generateCompany({ seed: 1, country: 'SE', linesPerYear: 800, firstFiscalYear: 2019, years: 1 });
    expect(explicit.fiscalYears.map((y) => y.fiscal_year.label)).toEqual(['2019']);
  });

  it('rejects sizes it cannot honour', () => {
    expect(() => generateCompany({ seed: 1, country: 'NO', linesPerYear: 50 })).toThrow(/too small/);
    expect(() => generateCompany({ seed: 1, country: 'NO', linesPerYear: 1000, fiscalYearStartMonth: 13 })).toThrow(RangeError);
  });

  it('property: any seed, country, size and start month gives a consistent ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(...COUNTRIES),
        fc.integer({ min: 400, max: 2_500 }),
        fc.integer({ min: 1, max: 12 }),
        async (seed, country, linesPerYear, fiscalYearStartMonth) => {
          const company = generateCompany({ seed, country, linesPerYear, years: 2, currentYear: 2026, fiscalYearStartMonth });
          await checkCompany(company, country, linesPerYear);
        },
      ),
      { numRuns: 25 },
    );
  });
});

function validOrgNumber(country: Country, org: string): boolean {
  if (country === 'NO') {
    if (!/^[89]\d{8}$/.test(org)) return false;
    const w = [3, 2, 7, 6, 5, 4, 3, 2];
    const s = w.reduce((acc, x, i) => acc + x * Number(org[i]), 0);
    const c = (11 - (s % 11)) % 11;
    return c !== 10 && c === Number(org[8]);
  }
  if (country === 'SE') {
    if (!/^\d{6}-\d{4}$/.test(org)) return false;
    const d = org.replace('-', '');
    let s = 0;
    for (let i = 0; i < 10; i++) {
      let v = Number(d[i]) * (i % 2 === 0 ? 2 : 1);
      if (v > 9) v -= 9;
      s += v;
    }
    return s % 10 === 0;
  }
  if (!/^\d{7}-\d$/.test(org)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2];
  const r = w.reduce((acc, x, i) => acc + x * Number(org[i]), 0) % 11;
  return r !== 1 && Number(org[8]) === (r === 0 ? 0 : 11 - r);
}
