import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, ImportRejectedError } from '../../pipeline/index.ts';
import { Warehouse } from '../../load/index.ts';
import { parseMoney } from '../../model/index.ts';
import { expectGolden } from '../helpers/golden.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';
import { readSheet } from '../helpers/xlsx.ts';

const saftDir = referencePath('saf-t', 'examples');
const sieDir = referencePath('sie', 'examples');
const examples = [
  ...readdirSync(saftDir).filter((f) => f.endsWith('.xml')).map((f) => join(saftDir, f)),
  ...readdirSync(sieDir).filter((f) => /\.(se|si)$/i.test(f)).map((f) => join(sieDir, f)),
].sort();

/**
 * Files that must be rejected, and the true reason: each is checked against the file's own
 * content below, not just against what the importer said.
 */
const rejected: Record<string, string[]> = {
  // Skatteetaten's v2.0 workshop file: random amounts, its transactions do not balance.
  'generated_auditfile_formatted.xml': ['unbalanced_voucher'],
  // Skatteetaten's 1.30 structure sample: placeholder values; NumberOfEntries 0 for its one
  // transaction, and a line with both a customer and a supplier.
  'Eksempelfil fra xmlSpy.xml': ['control_total_mismatch', 'customer_and_supplier'],
};

/** Independent of the importer: what the file's own text says about the rejection reason. */
const trueOfFile: Record<string, (xml: string) => void> = {
  'generated_auditfile_formatted.xml': (xml) => {
    const transactions = [...xml.matchAll(/<Transaction>([\s\S]*?)<\/Transaction>/g)].map((m) => m[1]!);
    const cents = (side: string, t: string) =>
      [...t.matchAll(new RegExp(`<${side}>\\s*<Amount>([^<]+)</Amount>`, 'g'))].reduce((sum, m) => sum + parseMoney(m[1]!)!, 0n);
    expect(transactions.some((t) => cents('DebitAmount', t) !== cents('CreditAmount', t))).toBe(true);
  },
  'Eksempelfil fra xmlSpy.xml': (xml) => {
    expect(/<NumberOfEntries>0<\/NumberOfEntries>/.test(xml)).toBe(true);
    expect(xml.match(/<Transaction>/g)).toHaveLength(1);
    const line = /<Line>([\s\S]*?)<\/Line>/.exec(xml)![1]!;
    expect(line).toContain('<CustomerID>a</CustomerID>');
    expect(line).toContain('<SupplierID>a</SupplierID>');
  },
};

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(join(tempDir(), 'reference.duckdb'));
});
afterAll(() => warehouse?.close());

const orgOf = (file: string) => file.split('/').pop()!.replace(/\W+/g, '-').toLowerCase().slice(0, 60);

describe.each(examples.map((path) => [path.split('/').pop()!, path]))('reference file %s', (name, path) => {
  it('imports with its golden totals, or is rejected for its true reason', async () => {
    const orgId = orgOf(name);
    const expectedRejection = rejected[name];
    if (expectedRejection) {
      const before = await dumpLedger(warehouse);
      const error = await importFile(warehouse, [path], { orgId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportRejectedError);
      const codes = [...new Set((error as ImportRejectedError).errors.map((e) => e.code))];
      expect(codes).toEqual(expect.arrayContaining(expectedRejection));
      trueOfFile[name]!(readFileSync(path, 'utf8'));
      expect(await dumpLedger(warehouse)).toEqual(before);
      expectGolden(`import/${name}`, { outcome: 'rejected', codes: codes.sort() });
      return;
    }
    const summary = await importFile(warehouse, [path], { orgId });
    const balances = await warehouse.all<{ account_id: string; closing: string; stated: string | null }>(
      `WITH movement AS (SELECT account_id, fiscal_year_start, sum(amount) AS amount FROM ledger_line WHERE org_id = $1 GROUP BY ALL),
            opening AS (SELECT account_id, fiscal_year_start, amount FROM opening_balance WHERE org_id = $1),
            stated AS (SELECT account_id, fiscal_year_start, amount FROM account_balance
                       WHERE org_id = $1 AND balance_type = 'closing' AND dimension_type IS NULL
                       QUALIFY as_of = max(as_of) OVER (PARTITION BY account_id, fiscal_year_start))
       SELECT account_id, (coalesce(o.amount, 0) + coalesce(m.amount, 0))::VARCHAR AS closing, s.amount::VARCHAR AS stated
       FROM movement m FULL JOIN opening o USING (account_id, fiscal_year_start) FULL JOIN stated s USING (account_id, fiscal_year_start)
       ORDER BY account_id`,
      [orgId],
    );
    // The file's own closing balances (#UB/#RES, SAF-T Closing*Balance) are an oracle
    // independent of the importer: where the reader saw no mismatch, they must all agree.
    const disagreeing = balances.filter((b) => b.stated !== null && parseMoney(b.stated) !== parseMoney(b.closing));
    const mismatchWarnings = summary.warnings.filter((w) => w.code === 'closing_mismatch').length;
    // (Balance-only SIE 1–3 files have no vouchers to recompute the closing balance from.)
    if (!/^sie-[123]$/.test(summary.formatVersion ?? '')) {
      expect(disagreeing.length > 0, JSON.stringify(disagreeing.slice(0, 3))).toBe(mismatchWarnings > 0);
    }
    const unbalanced = await warehouse.one<{ n: number }>(
      'SELECT count(*)::INT AS n FROM (SELECT voucher_id FROM ledger_line WHERE org_id = $1 GROUP BY voucher_id HAVING sum(amount) <> 0)',
      [orgId],
    );
    expect(unbalanced).toEqual({ n: 0 });
    const warnings: Record<string, number> = {};
    for (const w of summary.warnings) warnings[w.code] = (warnings[w.code] ?? 0) + 1;
    expectGolden(`import/${name}`, {
      outcome: 'imported',
      format: summary.formatVersion,
      encoding: summary.encoding,
      years: summary.years,
      warnings,
      closing_per_account: Object.fromEntries(balances.map((b) => [b.account_id, b.closing])),
    });

    // Importing the same file again leaves the warehouse as it was.
    const before = await dumpLedger(warehouse);
    const again = await importFile(warehouse, [path], { orgId });
    expect(again.changes).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    const after = await dumpLedger(warehouse);
    expect({ ...after, import_issue: [] }).toEqual({ ...before, import_issue: [] });
  });
});

describe('the Tøyen example against its Excel example view', () => {
  const xml = join(saftDir, 'ExampleFile SAF-T Financial_888888888_20180228235959.xml');
  const xlsx = join(saftDir, 'ExampleFile SAF-T Financial_888888888_20180228235959_Excel_ExampleView.xlsx');

  it('has the accounts, balances and postings the spreadsheet shows', async () => {
    const orgId = 'toyen-excel';
    const summary = await importFile(warehouse, [xml], { orgId });
    expect(summary.years).toEqual([{ label: '2017', start: '2017-01-01', vouchers: 53, lines: 170, debit: '9487049.35', credit: '9487049.35' }]);

    const accounts = await readSheet(xlsx, 'Kontoer');
    const stated = await warehouse.all<{ account_id: string; balance_type: string; amount: string }>(
      `SELECT account_id, balance_type, amount::VARCHAR AS amount FROM account_balance WHERE org_id = $1 AND dimension_type IS NULL`,
      [orgId],
    );
    const names = await warehouse.all<{ account_id: string; name: string }>('SELECT account_id, name FROM account WHERE org_id = $1', [orgId]);
    expect(accounts.length).toBe(22);
    for (const row of accounts) {
      const id = row['Kontonr.']!;
      expect(names.find((n) => n.account_id === id)?.name, id).toBe(row['Kontonavn']);
      const opening = stated.find((s) => s.account_id === id && s.balance_type === 'opening');
      const closing = stated.find((s) => s.account_id === id && s.balance_type === 'closing');
      expect(parseMoney(opening!.amount), `opening ${id}`).toBe(parseMoney(row['Inngående balanse']!));
      expect(parseMoney(closing!.amount), `closing ${id}`).toBe(parseMoney(row['Utgående balanse']!));
    }

    // Kontospesifikasjoner lists every posting; its amounts per account are the movements.
    const postings = await readSheet(xlsx, 'Kontospesifikasjoner');
    const expected = new Map<string, bigint>();
    for (const p of postings) {
      const cents = parseMoney(p['Beløp']!)!;
      expected.set(p['Kontonr.']!, (expected.get(p['Kontonr.']!) ?? 0n) + cents);
    }
    const movements = await warehouse.all<{ account_id: string; cents: string }>(
      'SELECT account_id, (sum(amount) * 100)::BIGINT::VARCHAR AS cents FROM ledger_line WHERE org_id = $1 GROUP BY account_id',
      [orgId],
    );
    expect(Object.fromEntries(movements.map((m) => [m.account_id, BigInt(m.cents)]))).toEqual(Object.fromEntries(expected));

    // The header beyond the unified columns is kept, not dropped.
    const org = await warehouse.one<{ extra: string }>('SELECT extra FROM organization WHERE org_id = $1', [orgId]);
    const header = JSON.parse(org!.extra) as { Company: { RegistrationNumber: string; Contact: unknown }; SoftwareCompanyName: string };
    expect(header.Company.RegistrationNumber).toBe('888888888');
    expect(header.Company.Contact).toBeTruthy();
    expect(typeof header.SoftwareCompanyName).toBe('string');

    // Avgiftssatser lists each tax code's rates over time; the warehouse keeps the one in force.
    const rates = (await readSheet(xlsx, 'Avgiftssatser')).filter((r) => r['Gyldig til'] === '');
    const taxCodes = await warehouse.all<{ tax_code: string; rate: string }>('SELECT tax_code, rate::VARCHAR AS rate FROM tax_code WHERE org_id = $1 ORDER BY tax_code', [orgId]);
    expect(taxCodes.length).toBe(rates.length);
    for (const t of taxCodes) expect(Number(t.rate), `tax code ${t.tax_code}`).toBe(Number(rates.find((r) => r['Avgiftskode'] === t.tax_code)!['Avgiftsprosent']));

    const customers = await readSheet(xlsx, 'Kunder');
    const parties = await warehouse.all<{ party_id: string; name: string; org_number: string }>(
      "SELECT party_id, name, org_number FROM party WHERE org_id = $1 AND party_type = 'customer' ORDER BY party_id",
      [orgId],
    );
    expect(parties).toEqual(customers.map((c) => ({ party_id: c['Kundenr.'], name: c['Kundenavn'], org_number: c['Organisasjonsnr.'] })));
  });

  it('keeps elements SAF-T 1.30 does not know, in the header and in journals', async () => {
    const dir = tempDir();
    const path = join(dir, 'extended.xml');
    const text = readFileSync(xml, 'utf8')
      .replace('<n1:DefaultCurrencyCode>', '<n1:ExportProfile>monthly</n1:ExportProfile><n1:DefaultCurrencyCode>')
      .replace('<n1:Type>GL</n1:Type>', '<n1:Type>GL</n1:Type><n1:Owner><n1:Name>Avdeling Øst</n1:Name></n1:Owner>');
    writeFileSync(path, text);
    const summary = await importFile(warehouse, [path], { orgId: 'toyen-extended' });
    expect(summary.warnings.map((w) => w.code)).toContain('unknown_element');
    const org = await warehouse.one<{ extra: string }>("SELECT extra FROM organization WHERE org_id = 'toyen-extended'");
    expect(JSON.parse(org!.extra).ExportProfile).toBe('monthly');
    const journal = await warehouse.one<{ extra: string }>("SELECT extra FROM journal WHERE org_id = 'toyen-extended'");
    expect(JSON.parse(journal!.extra)).toEqual({ Owner: { Name: 'Avdeling Øst' } });
  });
});
