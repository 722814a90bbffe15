import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeSaftFile } from '../../../formats/index.ts';
import type { LedgerExport, LedgerLine, Money, Voucher } from '../../../model/index.ts';
import { codes, errors, ledgerFrom, readAll, tempDir, TOYEN, WORKSHOP, XSD_130 } from './saft-test-utils.ts';
import type { ReadResult } from './saft-test-utils.ts';
import { validateAgainstXsd } from '../../helpers/xsd.ts';

const dir = tempDir('saft-writer');

const validate = (path: string) => validateAgainstXsd(path, XSD_130);

function line(account_id: string, amount: Money, more: Partial<LedgerLine> = {}): LedgerLine {
  return { account_id, amount, currency: null, currency_amount: null, vat_code: null, description: null, party_type: null, party_id: null, dimensions: [], extra: null, ...more };
}

function exportOf(vouchers: Voucher[], more: Partial<LedgerExport> = {}): LedgerExport {
  let debit = 0n;
  let credit = 0n;
  for (const v of vouchers) for (const l of v.lines) l.amount >= 0n ? (debit += l.amount) : (credit -= l.amount);
  return {
    organization: { name: 'Fjord & Fjell AS <test>', country: 'NO', org_number: '999888777', base_currency: 'NOK', source_company_ref: '999888777' },
    fiscal_year: { start_date: '2025-01-01', end_date: '2025-12-31', label: '2025', is_closed: false },
    accounts: [],
    journals: [],
    dimensions: [],
    parties: [],
    tax_codes: [],
    budget: [],
    totals: { entries: vouchers.length, debit, credit },
    vouchers: async function* () {
      yield* vouchers;
    },
    ...more,
  };
}

const longText = 'Æøå & <tags> "quoted" '.repeat(20); // 420 characters

const handBuilt: LedgerExport = exportOf(
  [
    {
      journal_id: 'S', voucher_number: '1', voucher_date: '2025-03-14', posting_date: '2025-03-15', description: 'Salg til kunde & co', source_modified_at: '2025-03-20T10:00:00Z',
      extra: { VoucherType: 'Utgående faktura', SystemEntryDate: '2025-03-15' },
      lines: [
        line('1500', 125000n, { party_type: 'customer', party_id: 'K1', description: 'Faktura 17', extra: { ReferenceNumber: '17', CID: '0000017', DueDate: '2025-04-13' } }),
        line('3000', -100000n, { vat_code: '3', dimensions: [{ dimension_type: 'department', dimension_id: '10' }, { dimension_type: 'project', dimension_id: 'P-1' }, { dimension_type: 'cost_center', dimension_id: 'K9' }] }),
        line('2700', -25000n, { description: longText }),
      ],
    },
    {
      journal_id: 'B', voucher_number: '2', voucher_date: '2025-06-30', posting_date: null, description: null, source_modified_at: null, extra: null,
      lines: [
        line('4300', 1100000n, { currency: 'EUR', currency_amount: 95000n, vat_code: '1', dimensions: [{ dimension_type: 'saft:K', dimension_id: 'X' }, { dimension_type: 'sie:8', dimension_id: '42' }], extra: { ExchangeRate: '11.57894737' } }),
        line('2400', -1100000n, { currency: 'EUR', currency_amount: -95000n, party_type: 'supplier', party_id: 'L1' }),
      ],
    },
  ],
  {
    accounts: [
      { account_id: '1500', name: 'Kundefordringer', account_type: 'asset', standard_account_id: null, grouping_category: 'balanseverdiForOmloepsmiddel', grouping_code: '1500', default_vat_code: null, is_active: true, extra: null, opening: 50000n, closing: 175000n },
      { account_id: '2400', name: 'Leverandørgjeld', account_type: 'liability', standard_account_id: '24', grouping_category: null, grouping_code: null, default_vat_code: null, is_active: true, extra: null, opening: -20000n, closing: -1120000n },
      { account_id: '2700', name: 'Utgående mva', account_type: 'liability', standard_account_id: null, grouping_category: 'kortsiktigGjeld', grouping_code: '2700', default_vat_code: null, is_active: true, extra: null, opening: 0n, closing: -25000n },
      { account_id: '3000', name: 'Salgsinntekt', account_type: 'income', standard_account_id: null, grouping_category: 'salgsinntekt', grouping_code: '3000', default_vat_code: '3', is_active: true, extra: null, opening: 0n, closing: -100000n },
      { account_id: '4300', name: longText, account_type: 'expense', standard_account_id: null, grouping_category: 'varekostnad', grouping_code: '4300', default_vat_code: null, is_active: true, extra: null, opening: -30000n, closing: 1070000n },
    ],
    journals: [
      { journal_id: 'S', name: 'Salg', journal_type: 'saft:SALG', extra: null },
      { journal_id: 'B', name: 'Bank', journal_type: 'sie:series', extra: null },
    ],
    dimensions: [
      { dimension_type: 'department', dimension_id: '10', name: 'Salg', is_active: true },
      { dimension_type: 'project', dimension_id: 'P-1', name: 'Prosjekt én', is_active: false },
      { dimension_type: 'cost_center', dimension_id: 'K9', name: 'Kostnadssted 9', is_active: true },
      { dimension_type: 'saft:K', dimension_id: 'X', name: 'Kunde-X', is_active: true },
      { dimension_type: 'sie:8', dimension_id: '42', name: 'Objekt 42', is_active: true },
    ],
    parties: [
      { party_type: 'customer', party_id: 'K1', name: 'Kunde Én AS', org_number: '911111111', country: 'NO', extra: { balance_accounts: [{ account_id: '1500', opening: '500.00', closing: '-1750.00' }] } },
      { party_type: 'supplier', party_id: 'L1', name: 'Lieferant GmbH', org_number: null, country: 'DE', extra: null },
    ],
    tax_codes: [
      { tax_code: '1', description: 'Inngående mva', rate: '25', standard_tax_code: '1' },
      { tax_code: '3', description: 'Utgående mva', rate: '25.00', standard_tax_code: '3' },
      { tax_code: 'X9', description: null, rate: null, standard_tax_code: 'not-a-code' },
    ],
  },
);

/** What survives a round trip: vouchers, lines, amounts, parties, dimensions, balances. */
function core(v: Voucher) {
  return {
    journal_id: v.journal_id,
    voucher_number: v.voucher_number,
    voucher_date: v.voucher_date,
    posting_date: v.posting_date ?? v.voucher_date,
    description: v.description,
    lines: v.lines.map((l) => ({
      account_id: l.account_id, amount: l.amount, currency: l.currency, currency_amount: l.currency_amount, vat_code: l.vat_code,
      description: l.description, party_type: l.party_type, party_id: l.party_id, dimensions: l.dimensions,
    })),
  };
}

async function allVouchers(x: LedgerExport): Promise<Voucher[]> {
  const out: Voucher[] = [];
  for await (const v of x.vouchers()) out.push(v);
  return out;
}

function balancesOf(r: ReadResult): Record<string, [Money | undefined, Money | undefined]> {
  const out: Record<string, [Money | undefined, Money | undefined]> = {};
  for (const a of r.accounts) {
    out[a.account_id] = [
      r.balances.find((b) => b.account_id === a.account_id && b.balance_type === 'opening')?.amount,
      r.balances.find((b) => b.account_id === a.account_id && b.balance_type === 'closing')?.amount,
    ];
  }
  return out;
}

describe('writeSaftFile', () => {
  it('writes a hand-built ledger that xmllint validates against the 1.30 XSD', async () => {
    const path = join(dir, 'hand.xml');
    await writeSaftFile(handBuilt, path);
    const v = await validate(path);
    expect(v.output).toContain('validates');
    expect(v.ok).toBe(true);
    expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const xml = readFileSync(path, 'utf8');
    expect(xml).toContain('<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">');
    expect(xml).toContain('<Name>Fjord &amp; Fjell AS &lt;test&gt;</Name>');
    expect(xml).toContain('<StandardTaxCode>NA</StandardTaxCode>');
    expect(xml).toContain('<GroupingCategory>NA</GroupingCategory><GroupingCode>NA</GroupingCode>');
    expect(xml).toMatch(/<AnalysisType>AVD<\/AnalysisType><AnalysisTypeDescription>Avdeling</);
    expect(xml).toMatch(/<AnalysisType>PROSJEKT<\/AnalysisType><AnalysisTypeDescription>Prosjekt</);
    expect(xml).toMatch(/<AnalysisType>KOSTSTED<\/AnalysisType><AnalysisTypeDescription>Kostnadssted</);
    expect(xml).toContain('<Journal><JournalID>B</JournalID><Description>Bank</Description><Type>series</Type>');
    // The line with vat_code but no kept TaxInformation: TaxBase is the line, tax at the rate.
    expect(xml).toContain('<TaxInformation><TaxType>MVA</TaxType><TaxCode>3</TaxCode><TaxPercentage>25</TaxPercentage><TaxBase>1000.00</TaxBase><CreditTaxAmount><Amount>250.00</Amount></CreditTaxAmount></TaxInformation>');
    // Fallbacks: no posting date → TransactionDate; Period from the voucher date.
    expect(xml).toContain('<TransactionID>2</TransactionID><Period>6</Period><PeriodYear>2025</PeriodYear><TransactionDate>2025-06-30</TransactionDate><Description></Description><SystemEntryDate>2025-06-30</SystemEntryDate><GLPostingDate>2025-06-30</GLPostingDate>');
  });

  it('reads back the same vouchers, lines, amounts, parties, dimensions and balances', async () => {
    const path = join(dir, 'hand-rt.xml');
    await writeSaftFile(handBuilt, path);
    const r = await readAll([path]);
    expect(r.header.format_version).toBe('saft-1.30');
    expect(r.header.declared_version).toBe('1.30');
    expect(r.header.fiscal_years).toEqual([{ start_date: '2025-01-01', end_date: '2025-12-31', label: '2025', is_closed: false }]);
    expect(errors(r)).toEqual([]);
    const expected = (await allVouchers(handBuilt)).map(core);
    // Text longer than the XSD allows is cut to 256 characters.
    expected[0]!.lines[2]!.description = [...longText].slice(0, 256).join('');
    // A type with no SAF-T meaning (sie:8) is written as code SIE8 and reads back as saft:SIE8.
    for (const v of expected) for (const l of v.lines) for (const d of l.dimensions) if (d.dimension_type === 'sie:8') d.dimension_type = 'saft:SIE8';
    expect(r.vouchers.map(core)).toEqual([...expected].sort((a, b) => (a.journal_id === 'S' ? -1 : b.journal_id === 'S' ? 1 : 0)));
    // sie:8 has no SAF-T meaning, so it comes back as a saft: type; the rest keep their type.
    expect(r.dimensions).toEqual(handBuilt.dimensions.map((d) => (d.dimension_type === 'sie:8' ? { ...d, dimension_type: 'saft:SIE8' } : d)));
    expect(r.parties.map((p) => [p.party_type, p.party_id, p.name, p.org_number, p.country, p.extra?.balance_accounts ?? null])).toEqual(
      handBuilt.parties.map((p) => [p.party_type, p.party_id, p.name, p.org_number, p.country, p.extra?.balance_accounts ?? null]),
    );
    expect(balancesOf(r)).toEqual(Object.fromEntries(handBuilt.accounts.map((a) => [a.account_id, [a.opening, a.closing]])));
    expect(r.totals).toEqual({ number_of_entries: 2, total_debit: 1225000n, total_credit: 1225000n });
    expect(r.vouchers[0]!.lines[0]!.extra).toMatchObject({ ReferenceNumber: '17', CID: '0000017', DueDate: '2025-04-13' });
    expect(r.vouchers[1]!.lines[0]!.extra).toMatchObject({ ExchangeRate: '11.57894737' });
    expect(r.taxCodes.find((t) => t.tax_code === 'X9')).toEqual({ tax_code: 'X9', description: null, rate: null, standard_tax_code: 'NA' });
  });

  it('round-trips the Tøyen example (1.20 in, 1.30 out) to the øre', async () => {
    const original = await readAll([TOYEN]);
    const path = join(dir, 'toyen-130.xml');
    await writeSaftFile(ledgerFrom(original), path);
    expect((await validate(path)).ok).toBe(true);
    const back = await readAll([path]);
    expect(back.header.format_version).toBe('saft-1.30');
    expect(back.vouchers.map(core)).toEqual(original.vouchers.map(core));
    // Line extras survive, except that the AnalysisType codes are now the written ones (A → AVD).
    const extras = (r: ReadResult) =>
      r.vouchers.map((v) => v.lines.map((l) => JSON.parse(JSON.stringify(l.extra), (k, val) => (k === 'AnalysisType' ? '*' : val)) as unknown));
    expect(extras(back)).toEqual(extras(original));
    expect(back.parties.map((p) => [p.party_id, p.name, p.org_number, p.country, p.extra?.balance_accounts])).toEqual(
      original.parties.map((p) => [p.party_id, p.name, p.org_number, p.country, p.extra?.balance_accounts]),
    );
    expect(back.dimensions).toEqual(original.dimensions);
    expect(balancesOf(back)).toEqual(balancesOf(original));
    expect(back.totals).toEqual(original.totals);
    expect(codes(errors(back))).toEqual([]);
  });

  it('cuts over-long values from the random 2.0 workshop file so the output still validates', async () => {
    const r = await readAll([WORKSHOP]);
    const path = join(dir, 'workshop-130.xml');
    await writeSaftFile(ledgerFrom(r), path);
    const v = await validate(path);
    expect(v.output).toContain('validates');
  });

  it('leaves neither file nor temp file behind when the vouchers fail mid-stream', async () => {
    const path = join(dir, 'broken.xml');
    const broken: LedgerExport = {
      ...handBuilt,
      vouchers: async function* () {
        yield* await allVouchers(handBuilt).then((v) => v.slice(0, 1));
        throw new Error('database went away');
      },
    };
    await expect(writeSaftFile(broken, path)).rejects.toThrow('database went away');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dirname(path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('property: any balanced ledger round-trips and validates', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.trim());
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,15}$/).map((s) => s.trim()).filter((s) => s.length > 0);
    const amount = fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n });
    const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const dimType = fc.constantFrom('department', 'project', 'cost_center', 'saft:A', 'saft:REGION');
    const lineArb = fc.record({
      account_id: fc.constantFrom('1500', '1920', '2400', '3000'),
      amount,
      description: fc.option(text.filter((s) => s.length > 0), { nil: null }),
      currency: fc.constantFrom(null, 'EUR', 'SEK'),
      currency_amount: amount,
      party: fc.option(fc.tuple(fc.constantFrom('customer' as const, 'supplier' as const), fc.constantFrom('P1', 'P2')), { nil: null }),
      dims: fc.uniqueArray(fc.tuple(dimType, fc.constantFrom('1', '2')), { maxLength: 3, selector: (d) => d[0] }),
    });
    const voucherArb = fc.record({
      journal_id: fc.constantFrom('A', 'B', 'GL'),
      voucher_date: date,
      description: fc.option(text.filter((s) => s.length > 0), { nil: null }),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
    });
    const vouchersArb = fc.array(voucherArb, { minLength: 0, maxLength: 6 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(vouchersArb, async (raw) => {
        run++;
        const vouchers: Voucher[] = raw.map((r, i) => {
          const lines: LedgerLine[] = r.lines.map((l) =>
            line(l.account_id, l.amount, {
              description: l.description,
              currency: l.currency,
              currency_amount: l.currency === null ? null : l.currency_amount,
              party_type: l.party?.[0] ?? null,
              party_id: l.party?.[1] ?? null,
              dimensions: l.dims.map(([t, d]) => ({ dimension_type: t, dimension_id: d })),
            }),
          );
          const sum = lines.reduce((s, l) => s + l.amount, 0n);
          lines.push(line('1920', -sum));
          return { journal_id: r.journal_id, voucher_number: String(i + 1), voucher_date: r.voucher_date, posting_date: r.voucher_date, description: r.description, source_modified_at: null, extra: null, lines };
        });
        const types = ['department', 'project', 'cost_center', 'saft:A', 'saft:REGION'];
        const x = exportOf(vouchers, {
          accounts: ['1500', '1920', '2400', '3000'].map((a) => ({ account_id: a, name: `Konto ${a}`, account_type: null, standard_account_id: null, grouping_category: 'NA', grouping_code: 'NA', default_vat_code: null, is_active: true, extra: null, opening: 0n, closing: 0n })),
          journals: [{ journal_id: 'A', name: 'A', journal_type: 'saft:A', extra: null }, { journal_id: 'B', name: 'B', journal_type: 'saft:B', extra: null }, { journal_id: 'GL', name: 'GL', journal_type: 'saft:GL', extra: null }],
          dimensions: types.flatMap((t) => ['1', '2'].map((d) => ({ dimension_type: t, dimension_id: d, name: `${t} ${d}`, is_active: true }))),
          parties: ['customer', 'supplier'].flatMap((t) => ['P1', 'P2'].map((p) => ({ party_type: t as 'customer' | 'supplier', party_id: p, name: p, org_number: null, country: null, extra: null }))),
        });
        const path = join(dir, `prop-${run}.xml`);
        await writeSaftFile(x, path);
        if (run <= 10) expect((await validate(path)).ok).toBe(true);
        const r = await readAll([path]);
        const order = ['A', 'B', 'GL'];
        const expected = [...vouchers].sort((a, b) => order.indexOf(a.journal_id) - order.indexOf(b.journal_id)).map(core);
        const cut = (s: string | null) => (s === null ? null : [...s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')].slice(0, 256).join('') || null);
        for (const v of expected) {
          v.description = cut(v.description);
          for (const l of v.lines) l.description = cut(l.description);
        }
        expect(r.vouchers.map(core)).toEqual(expected);
        expect(errors(r)).toEqual([]);
        expect(r.dimensions.map((d) => d.dimension_type).sort()).toEqual(x.dimensions.map((d) => d.dimension_type).sort());
      }),
      { numRuns: 60 },
    );
  });
});
