// A voucher fetched alone (JSON) must equal the same voucher read from the SIE export, or a
// top-up between two exports would log unchanged vouchers as changed.
import { describe, expect, it } from 'vitest';
import { readSie } from '../../formats/index.ts';
import { FortnoxDataError } from '../../extract/index.ts';
import { voucher, fiscalYears } from '../../extract/fortnox/fortnox-mapping.ts';
import type { Voucher } from '../../model/index.ts';

const sie = [
  '#FLAGGA 0',
  '#PROGRAM "Fortnox" 3.59.8',
  '#FORMAT PC8',
  '#GEN 20260110',
  '#SIETYP 4',
  '#FNAMN "Test AB"',
  '#RAR 0 20260101 20261231',
  '#KONTO 1930 "Företagskonto"',
  '#KONTO 2641 "Debiterad ingående moms"',
  '#KONTO 6110 "Kontorsmateriel"',
  '#DIM 1 "Kostnadsställe"',
  '#DIM 6 "Projekt"',
  '#OBJEKT 1 "ADM" "Administration"',
  '#OBJEKT 6 "P1" "Projekt 1"',
  '#VER "A" "1" 20260105 "Kontorsmaterial"',
  '{',
  '#TRANS 6110 {1 "ADM" 6 "P1"} 400.00 "" "Pennor"',
  '#TRANS 2641 {} 100.00',
  '#BTRANS 1930 {} -400.00 "" "Fel belopp"',
  '#TRANS 1930 {} -500.00',
  '}',
  '',
].join('\r\n');

async function sieVoucher(): Promise<Voucher> {
  for await (const e of readSie({ name: 'fortnox.se', bytes: Buffer.from(sie, 'latin1') })) if (e.kind === 'voucher') return e.voucher;
  throw new Error('no voucher');
}

describe('Fortnox voucher mapping', () => {
  it('gives a voucher fetched as JSON exactly as the SIE reader gives it from the export', async () => {
    const json = voucher({
      VoucherSeries: 'A',
      VoucherNumber: 1,
      Year: 5,
      TransactionDate: '2026-01-05',
      Description: 'Kontorsmaterial',
      VoucherRows: [
        { Account: 6110, Debit: 400, Credit: 0, TransactionInformation: 'Pennor', CostCenter: 'ADM', Project: 'P1', Removed: false },
        { Account: 2641, Debit: 100, Credit: 0, TransactionInformation: '', CostCenter: '', Project: '', Removed: false },
        { Account: 1930, Debit: 0, Credit: 400, TransactionInformation: 'Fel belopp', Removed: true },
        { Account: '1930', Debit: 0, Credit: 500, Removed: false },
      ],
    });
    expect(json).toEqual(await sieVoucher());
    expect(json.lines.map((l) => l.amount)).toEqual([40000n, 10000n, -50000n]);
  });

  it('names the voucher and row of an amount it cannot take exactly', () => {
    expect(() => voucher({ VoucherSeries: 'B', VoucherNumber: 7, Year: 5, TransactionDate: '2026-01-05', VoucherRows: [{ Account: 1930, Debit: 0.001 }] })).toThrow(
      new FortnoxDataError('voucher B 7 (financial year 5), row 1: Debit 0.001 / Credit undefined is not an amount with at most two decimals.'),
    );
  });

  it("keeps Fortnox's own id for each financial year, oldest first, closed once ended", () => {
    const years = fiscalYears(
      [
        { Id: 3, FromDate: '2026-01-01', ToDate: '2026-12-31' },
        { Id: 7, FromDate: '2024-07-01', ToDate: '2025-12-31' },
      ],
      '2026-03-01',
    );
    expect(years).toEqual([
      { start_date: '2024-07-01', end_date: '2025-12-31', label: '2024/2025', is_closed: true, source_year_ref: '7' },
      { start_date: '2026-01-01', end_date: '2026-12-31', label: '2026', is_closed: false, source_year_ref: '3' },
    ]);
  });
});
