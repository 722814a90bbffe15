import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFormatError, readSaft } from '../../../formats/index.ts';
import { codes, errors, makeZip, readAll, tempDir, TOYEN, TOYEN_XLSX, warnings, WORKSHOP, XMLSPY } from './saft-test-utils.ts';
import type { ReadResult } from './saft-test-utils.ts';

const dir = tempDir('saft-reader');
const toyenText = readFileSync(TOYEN, 'utf8'); // keeps the BOM as U+FEFF

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function fails(paths: string[]): Promise<FileFormatError> {
  try {
    for await (const _ of readSaft(paths)) {
      // drain
    }
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
  throw new Error('expected a FileFormatError');
}

/** 1-based line of the first occurrence of `needle` in `text` (CRLF counts as one break). */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  return text.slice(0, i).split('\n').length;
}

/** Cells of one sheet of the Excel example view, by row, with shared strings resolved. */
function sheetRows(sheet: string): string[][] {
  const shared = [...execFileSync('unzip', ['-p', TOYEN_XLSX, 'xl/sharedStrings.xml']).toString('utf8').matchAll(/<si>(.*?)<\/si>/gs)].map((m) =>
    [...m[1]!.matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''),
  );
  const xml = execFileSync('unzip', ['-p', TOYEN_XLSX, `xl/worksheets/${sheet}.xml`]).toString('utf8');
  return [...xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((row) =>
    [...row[1]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].reduce<string[]>((cells, c) => {
      const col = c[1]!.charCodeAt(0) - 65;
      const v = /<v>(.*?)<\/v>/.exec(c[3] ?? '')?.[1] ?? '';
      cells[col] = c[2]!.includes('t="s"') && v !== '' ? shared[Number(v)]! : v;
      return cells;
    }, []),
  );
}

/** Excel's number text ("11367.5", "-225000") as øre. */
function ore(excel: string): bigint {
  const [w = '0', f = ''] = excel.replace('-', '').split('.');
  const v = BigInt(w + f.padEnd(2, '0').slice(0, 2));
  return excel.startsWith('-') ? -v : v;
}

describe('readSaft: the Tøyen example (1.20 layout, n1: prefix, BOM, CRLF)', async () => {
  const r = await readAll([TOYEN]);

  it('reads the header, detecting 1.20 by structure and keeping the declared version raw', () => {
    expect(r.events[0]!.kind).toBe('header');
    expect(r.header).toMatchObject({
      format: 'saft',
      format_version: 'saft-1.20',
      declared_version: '1.0',
      organization: { name: 'Tøyen Lekefabrikk AS', org_number: '888888888', base_currency: 'NOK', country: 'NO', source_company_ref: '888888888' },
      selection_start: '2017-01-01',
      selection_end: '2017-04-30',
      fiscal_years: [],
    });
  });

  it('has the documented counts: 53 transactions, 170 lines, 22 accounts, 6+6 parties, 8 dimensions', () => {
    expect(r.vouchers).toHaveLength(53);
    expect(r.vouchers.reduce((n, v) => n + v.lines.length, 0)).toBe(170);
    expect(r.accounts).toHaveLength(22);
    expect(r.balances).toHaveLength(44);
    expect(r.parties.filter((p) => p.party_type === 'customer')).toHaveLength(6);
    expect(r.parties.filter((p) => p.party_type === 'supplier')).toHaveLength(6);
    expect(r.dimensions).toHaveLength(8);
    expect(r.journals).toEqual([{ journal_id: '123ABC', name: 'Kontospesifikasjon', journal_type: 'saft:GL', extra: null }]);
  });

  it('control totals: 53 entries, TotalDebit = TotalCredit = 9487049.35, and the lines add up to them', () => {
    expect(r.totals).toEqual({ number_of_entries: 53, total_debit: 948704935n, total_credit: 948704935n });
    let debit = 0n;
    let credit = 0n;
    for (const v of r.vouchers) for (const l of v.lines) l.amount > 0n ? (debit += l.amount) : (credit -= l.amount);
    expect([debit, credit]).toEqual([948704935n, 948704935n]);
    expect(r.events[r.events.length - 1]!.kind).toBe('control_totals');
  });

  it('has no errors, and warns about exactly accounts 1920, 2711 and 2740 plus the unbalanced opening', () => {
    expect(errors(r)).toEqual([]);
    const mismatch = warnings(r).filter((w) => w.code === 'closing_mismatch');
    expect(mismatch.map((w) => w.location.path)).toEqual([
      'MasterFiles/GeneralLedgerAccounts/Account[1920]',
      'MasterFiles/GeneralLedgerAccounts/Account[2711]',
      'MasterFiles/GeneralLedgerAccounts/Account[2740]',
    ]);
    expect(mismatch[0]!.message).toContain('670568.75');
    expect(codes(warnings(r))).toContain('opening_not_balanced');
  });

  it('matches the Excel example view: every account opening and closing balance, and the Σ opening', () => {
    const rows = sheetRows('sheet4').filter((row) => /^\d{4}$/.test(row[0] ?? ''));
    expect(rows).toHaveLength(22);
    for (const row of rows) {
      const opening = r.balances.find((b) => b.account_id === row[0] && b.balance_type === 'opening');
      const closing = r.balances.find((b) => b.account_id === row[0] && b.balance_type === 'closing');
      expect([row[0], opening?.amount, closing?.amount]).toEqual([row[0], ore(row[3]!), ore(row[4]!)]);
      expect(opening?.as_of).toBe('2017-01-01');
      expect(closing?.as_of).toBe('2017-04-30');
    }
    expect(warnings(r).find((w) => w.code === 'opening_not_balanced')!.message).toContain('2545410.00');
  });

  it('matches the Excel example view for customers and suppliers: names and control-account balances', () => {
    const check = (sheet: string, type: 'customer' | 'supplier', openCol: number) => {
      const rows = sheetRows(sheet).filter((row) => /^\d{4}$/.test(row[0] ?? ''));
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        const p = r.parties.find((x) => x.party_type === type && x.party_id === row[0])!;
        expect(p.name).toBe(row[1]);
        expect(p.org_number).toBe(row[2]);
        const [b] = p.extra!.balance_accounts as { account_id: string; opening: string; closing: string }[];
        expect([ore(b!.opening), ore(b!.closing)]).toEqual([ore(row[openCol]!), ore(row[openCol + 1]!)]);
      }
    };
    check('sheet6', 'customer', 10);
    check('sheet7', 'supplier', 9);
    // The quirk: zero written as OpeningDebitBalance 0 + ClosingCreditBalance 0.
    const s2000 = r.parties.find((p) => p.party_id === '2000')!;
    expect(s2000.extra!.balance_accounts).toEqual([{ account_id: '2400', opening: '0.00', closing: '0.00' }]);
    expect((s2000.extra!.PartyInfo as Record<string, unknown>).CurrencyCode).toBe('NOR');
    expect(s2000.country).toBe('NO');
  });

  it('maps the first voucher: amounts by side, VAT code, supplier, dimensions and extras', () => {
    const v = r.vouchers[0]!;
    expect(v).toMatchObject({ journal_id: '123ABC', voucher_number: '1001', voucher_date: '2017-01-04', posting_date: '2017-01-05', description: 'Faktura 1155 - Stoff til kosebamser', source_modified_at: null });
    expect(v.extra).toEqual({ Period: '01', PeriodYear: '2017', TransactionType: 'Normal', SystemEntryDate: '2017-01-05' });
    expect(v.lines.map((l) => [l.account_id, l.amount, l.vat_code, l.party_type, l.party_id])).toEqual([
      ['4000', 1000000n, '1', null, null],
      ['2400', -1250000n, null, 'supplier', '2002'],
      ['2710', 250000n, null, null, null],
    ]);
    expect(v.lines[0]!.dimensions).toEqual([
      { dimension_type: 'department', dimension_id: '102' },
      { dimension_type: 'project', dimension_id: '202' },
    ]);
    expect(v.lines[0]!.extra).toMatchObject({
      RecordID: '1',
      ValueDate: '2017-01-04',
      SourceDocumentID: '1234',
      ReferenceNumber: '1155',
      analysis_amounts: [{ AnalysisType: 'P', AnalysisID: '202', dimension_type: 'project', amount: '10000.00' }],
      TaxInformation: [{ TaxType: 'MVA', TaxCode: '1', TaxPercentage: '25', TaxBase: '10000', amount: '2500.00' }],
    });
  });

  it('reads tax codes (current version of a code listed twice) and dimensions', () => {
    expect(r.taxCodes).toHaveLength(8);
    expect(r.taxCodes.find((t) => t.tax_code === '3')).toEqual({ tax_code: '3', description: 'Utgående avgift, redusert sats', rate: '15', standard_tax_code: '31' });
    expect(r.taxCodes.find((t) => t.tax_code === '1R')).toMatchObject({ rate: '15', standard_tax_code: '11' });
    expect(r.dimensions.find((d) => d.dimension_id === '89')).toEqual({ dimension_type: 'project', dimension_id: '89', name: 'Tamagotchi', is_active: false });
    expect(r.dimensions.filter((d) => d.dimension_type === 'department').map((d) => d.dimension_id)).toEqual(['100', '101', '102']);
  });

  it('keeps unmapped account elements in extra and leaves account_type empty', () => {
    expect(r.accounts[0]).toEqual({
      account_id: '1250', name: 'Inventar', account_type: null, standard_account_id: '12', grouping_category: null, grouping_code: null,
      default_vat_code: null, is_active: true, extra: { AccountType: 'GL', AccountCreationDate: '2015-01-01' },
    });
  });

  describe('variants of the same file give the same ledger', () => {
    const same = (other: ReadResult) => {
      expect(other.vouchers).toEqual(r.vouchers);
      expect(other.accounts).toEqual(r.accounts);
      expect(other.balances).toEqual(r.balances);
      expect(other.parties).toEqual(r.parties);
      expect(other.dimensions).toEqual(r.dimensions);
      expect(other.taxCodes).toEqual(r.taxCodes);
      expect(other.totals).toEqual(r.totals);
      expect(errors(other)).toEqual([]);
    };

    it('default namespace instead of the n1: prefix', async () => {
      const text = toyenText.replace(/<(\/?)n1:/g, '<$1').replace('xmlns:n1=', 'xmlns=');
      expect(text).not.toContain('n1:');
      same(await readAll([write('default-ns.xml', text)]));
    });

    it('without BOM and with LF line ends', async () => {
      const text = toyenText.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
      expect(text.charCodeAt(0)).toBe(0x3c);
      same(await readAll([write('no-bom.xml', text)]));
    });

    it('zipped', async () => {
      const zip = write('toyen.zip', makeZip([{ name: 'folder/ExampleFile SAF-T Financial_888888888_20180228235959.xml', data: readFileSync(TOYEN) }]));
      const z = await readAll([zip]);
      same(z);
      expect(z.events[1]!.kind === 'account' && z.events[1]!.location.file).toBe(`${zip}!folder/ExampleFile SAF-T Financial_888888888_20180228235959.xml`);
    });

    describe('split into a 2-part set', () => {
      const cut = toyenText.indexOf('<n1:Transaction>', toyenText.indexOf('<n1:TransactionID>1030<'));
      const glStart = toyenText.indexOf('<n1:GeneralLedgerEntries>');
      const journalHead = toyenText.slice(toyenText.indexOf('<n1:Journal>'), toyenText.indexOf('<n1:Transaction>'));
      const masterStart = toyenText.indexOf('<n1:MasterFiles>');
      const masterEnd = toyenText.indexOf('</n1:MasterFiles>') + '</n1:MasterFiles>'.length;
      const tail = '\t\t</n1:Journal>\r\n\t</n1:GeneralLedgerEntries>\r\n</n1:AuditFile>\r\n';
      const firstTx = toyenText.slice(toyenText.indexOf('<n1:Transaction>'), cut);
      const secondTx = toyenText.slice(cut, toyenText.lastIndexOf('</n1:Journal>'));
      const sums = (tx: string) => {
        const d = [...tx.matchAll(/<n1:DebitAmount>\s*<n1:Amount>([\d.]+)</g)].reduce((s, m) => s + ore(m[1]!), 0n);
        const c = [...tx.matchAll(/<n1:CreditAmount>\s*<n1:Amount>([\d.]+)</g)].reduce((s, m) => s + ore(m[1]!), 0n);
        return { n: (tx.match(/<n1:Transaction>/g) ?? []).length, d, c };
      };
      const fmt = (v: bigint) => `${v / 100n}.${String(v % 100n).padStart(2, '0')}`;
      const gl = (t: { n: number; d: bigint; c: bigint }) =>
        `<n1:GeneralLedgerEntries>\r\n<n1:NumberOfEntries>${t.n}</n1:NumberOfEntries><n1:TotalDebit>${fmt(t.d)}</n1:TotalDebit><n1:TotalCredit>${fmt(t.c)}</n1:TotalCredit>\r\n${journalHead}`;
      const head = toyenText.slice(0, masterStart);
      const part = (withMaster: boolean, totals: { n: number; d: bigint; c: bigint }, tx: string) =>
        head + (withMaster ? toyenText.slice(masterStart, masterEnd) : '') + '\r\n' + gl(totals) + tx + tail;
      const whole = { n: 53, d: 948704935n, c: 948704935n };

      it('with per-part control totals, given in reverse order', async () => {
        const p1 = write('SAF-T Financial_888888888_20180228235959_1_2.xml', part(true, sums(firstTx), firstTx));
        const p2 = write('SAF-T Financial_888888888_20180228235959_2_2.xml', part(false, sums(secondTx), secondTx));
        expect(sums(firstTx).n).toBeGreaterThan(10);
        const s = await readAll([p2, p1]);
        same(s);
        expect(s.events.filter((e) => e.kind === 'header')).toHaveLength(1);
        expect(s.events.filter((e) => e.kind === 'control_totals')).toHaveLength(1);
      });

      it('with set-level control totals in every part, as one zip', async () => {
        const zip = write('set.zip', makeZip([
          { name: 'SAF-T Financial_888888888_20180228235959_2_2.xml', data: Buffer.from(part(false, whole, secondTx)) },
          { name: 'SAF-T Financial_888888888_20180228235959_1_2.xml', data: Buffer.from(part(true, whole, firstTx)) },
        ]));
        same(await readAll([zip]));
      });

      it('with MasterFiles repeated in both parts (no duplicate errors)', async () => {
        const p1 = write('rep_1_2.xml', part(true, sums(firstTx), firstTx));
        const p2 = write('rep_2_2.xml', part(true, sums(secondTx), secondTx));
        same(await readAll([p1, p2]));
      });

      it('reports a missing part', async () => {
        const p2 = write('only_2_2.xml', part(false, sums(secondTx), secondTx));
        const s = await readAll([p2]);
        expect(codes(errors(s))).toContain('incomplete_split_set');
        expect(errors(s).find((e) => e.code === 'incomplete_split_set')!.message).toContain('part(s) 1 were not given');
      });
    });
  });
});

describe('readSaft: the XMLSpy 1.30 sample (elements in no namespace)', async () => {
  const r = await readAll([XMLSPY]);

  it('warns no_namespace, detects 1.30 by structure and keeps the declared version "a"', () => {
    expect(codes(warnings(r))).toContain('no_namespace');
    expect(r.header.format_version).toBe('saft-1.30');
    expect(r.header.declared_version).toBe('a');
    expect(r.header.selection_start).toBe('1957-08-13');
  });

  it('keeps 1.30 BalanceAccount, VoucherType, ModificationDate and Debit*Amount details', () => {
    expect(r.parties.find((p) => p.party_type === 'customer')!.extra!.balance_accounts).toEqual([{ account_id: 'a', opening: '0.00', closing: '0.00' }]);
    const v = r.vouchers[0]!;
    expect(v.source_modified_at).toBe('1957-08-13');
    expect(v.extra).toMatchObject({ VoucherType: 'a', VoucherDescription: 'a', SourceID: 'a', BatchID: 'a', SystemID: 'a' });
    expect(v.lines[0]!.extra).toMatchObject({
      CID: 'a',
      Quantity: '0',
      SystemEntryTime: '2001-12-17T09:30:47Z',
      ExchangeRate: '0',
      TaxInformation: [{ TaxCode: 'a', amount: '0.00', currency_code: 'aaa', currency_amount: '0.00', exchange_rate: '0', TaxDeclarationPeriod: 'a' }],
    });
    expect(v.lines[0]!.currency).toBe('aaa');
  });

  it('reports the line that has both CustomerID and SupplierID, and the skipped Owners section', () => {
    expect(codes(errors(r))).toEqual(['customer_and_supplier']);
    expect(codes(warnings(r))).toContain('section_skipped');
    // It declares NumberOfEntries 0 but has one transaction: the control_totals event says so.
    expect(r.totals).toEqual({ number_of_entries: 0, total_debit: 0n, total_credit: 0n });
    expect(r.vouchers).toHaveLength(1);
  });
});

describe('readSaft: the SAF-T 2.0 workshop file (random data)', async () => {
  const r = await readAll([WORKSHOP]);

  it('is read as 1.30 structure with SourceDocuments skipped', () => {
    expect(r.header.format_version).toBe('saft-1.30');
    expect(r.header.declared_version).toBe('85FX31SHG');
    expect(warnings(r).find((w) => w.code === 'section_skipped' && w.location.path === 'SourceDocuments')).toBeDefined();
  });

  it('is rejected for what it really is: an unbalanced transaction on accounts and parties that do not exist, with control totals that do not match', () => {
    const unbalanced = errors(r).filter((e) => e.code === 'unbalanced_voucher');
    expect(unbalanced).toHaveLength(1);
    expect(unbalanced[0]!.message).toContain('difference -1485649363493059.00');
    expect(unbalanced[0]!.location.line).toBe(486);
    expect(codes(errors(r))).toEqual(expect.arrayContaining(['unknown_account', 'unknown_party', 'customer_and_supplier']));
    expect(r.totals!.number_of_entries).toBe(83);
    expect(r.vouchers).toHaveLength(1);
  });
});

describe('readSaft from bytes or a stream', () => {
  // BOM and CRLF (Tøyen), no namespace (XMLSpy), SourceDocuments skipped (workshop).
  it.each([TOYEN, XMLSPY, WORKSHOP])('%s gives exactly the events of its path', async (path) => {
    const fromPath = (await readAll([path])).events;
    expect((await readAll([{ name: path, bytes: readFileSync(path) }])).events).toEqual(fromPath);
    // Small odd chunks: tags, entities and multi-byte characters are split across them.
    expect((await readAll([{ name: path, stream: createReadStream(path, { highWaterMark: 977 }) }])).events).toEqual(fromPath);
  });

  it('takes one input as well as a list, and names it by the name given', async () => {
    const events = [];
    for await (const batch of readSaft({ name: 'download.xml', bytes: readFileSync(XMLSPY) })) events.push(...batch);
    expect(events.find((e) => e.kind === 'header')?.location.file).toBe('download.xml');
    const issue = events.find((e) => e.kind === 'issue');
    expect(issue?.kind === 'issue' && issue.issue.message).toMatch(/^download\.xml line \d+/);
  });

  it('rejects empty bytes as it rejects an empty file', async () => {
    await expect(readAll([{ name: 'empty.xml', bytes: new Uint8Array(0) }])).rejects.toThrow('empty.xml is empty (0 bytes): export the SAF-T file again.');
  });
});

describe('readSaft: problems inside a readable file', () => {
  const variant = async (name: string, edit: (t: string) => string) => {
    const text = edit(toyenText);
    expect(text).not.toBe(toyenText);
    return { text, r: await readAll([write(name, text)]) };
  };

  it('an unbalanced transaction names file, line, journal, transaction and difference', async () => {
    const { text, r } = await variant('unbalanced.xml', (t) => t.replace('<n1:Amount>10000</n1:Amount>\r\n\t\t\t\t\t</n1:DebitAmount>', '<n1:Amount>10001</n1:Amount>\r\n\t\t\t\t\t</n1:DebitAmount>'));
    const [e] = errors(r);
    expect(e!.code).toBe('unbalanced_voucher');
    expect(e!.location.line).toBe(lineOf(text, '<n1:Transaction>'));
    expect(e!.message).toMatch(/unbalanced\.xml line \d+ .*journal 123ABC transaction 1001 does not balance: .*difference 1\.00/);
  });

  it('an unknown account and an unknown supplier', async () => {
    const { r } = await variant('unknown.xml', (t) => t.replace('<n1:AccountID>2710</n1:AccountID>\r\n\t\t\t\t\t<n1:ValueDate>2017-01-04', '<n1:AccountID>9999</n1:AccountID>\r\n\t\t\t\t\t<n1:ValueDate>2017-01-04').replace('<n1:SupplierID>2002</n1:SupplierID>\r\n\t\t\t\t\t<n1:Description>Faktura 1155', '<n1:SupplierID>7777</n1:SupplierID>\r\n\t\t\t\t\t<n1:Description>Faktura 1155'));
    expect(codes(errors(r)).sort()).toEqual(['unknown_account', 'unknown_party']);
    expect(errors(r)[0]!.message).toContain('AccountID 9999');
    expect(errors(r)[1]!.message).toContain('SupplierID 7777');
  });

  it('control totals are mandatory: each missing one is named, as an error', async () => {
    const drop = (t: string, names: string[]) => names.reduce((x, n) => x.replace(new RegExp(`\\s*<n1:${n}>[^<]*</n1:${n}>`), ''), t);
    const none = await variant('no-totals.xml', (t) => drop(t, ['NumberOfEntries', 'TotalDebit', 'TotalCredit']));
    expect(errors(none.r).map((i) => [i.code, i.location.path])).toEqual([['missing_control_totals', 'GeneralLedgerEntries']]);
    expect(errors(none.r)[0]!.message).toMatch(/no-totals\.xml.*GeneralLedgerEntries has no NumberOfEntries, TotalDebit, TotalCredit: SAF-T requires these control totals.*--force/);
    expect(none.r.totals).toBeNull();
    const one = await variant('no-credit.xml', (t) => drop(t, ['TotalCredit']));
    expect(codes(errors(one.r))).toEqual(['missing_control_totals']);
    expect(errors(one.r)[0]!.message).toMatch(/has no TotalCredit:/);
  });

  it("a customer's control account missing from the chart is a warning while its balances are zero, an error once not", async () => {
    const from = '<n1:AccountID>1500</n1:AccountID>\r\n\t\t\t\t<n1:OpeningDebitBalance>32000</n1:OpeningDebitBalance>';
    const zero = await variant('control-zero.xml', (t) => t.replace(from, '<n1:AccountID>1599</n1:AccountID>\r\n\t\t\t\t<n1:OpeningDebitBalance>0</n1:OpeningDebitBalance>'));
    expect(errors(zero.r)).toEqual([]);
    const w = warnings(zero.r).filter((i) => i.code === 'unknown_control_account');
    expect(w.map((i) => i.message)).toEqual([expect.stringMatching(/AccountID 1599 is the control account of Customer 1000 but is not in MasterFiles\/GeneralLedgerAccounts; nothing is posted to it/)]);
    const posted = await variant('control-posted.xml', (t) => t.replace(from, from.replace('1500', '1599')));
    expect(codes(errors(posted.r))).toEqual(['unknown_account']);
    expect(errors(posted.r)[0]!.message).toMatch(/AccountID 1599 is the control account of Customer 1000, whose balances on it are not zero/);
  });

  it('a malformed amount names the element path and line, and the voucher is not imported', async () => {
    const { text, r } = await variant('bad-amount.xml', (t) => t.replace('<n1:Amount>12500</n1:Amount>', '<n1:Amount>12.500,00</n1:Amount>'));
    const [e] = errors(r);
    expect(e!.code).toBe('malformed_amount');
    expect(e!.location.path).toBe('GeneralLedgerEntries/Journal[123ABC]/Transaction[1001]/Line[2]/CreditAmount/Amount');
    expect(e!.location.line).toBe(lineOf(text, '12.500,00'));
    expect(e!.message).toContain('"12.500,00"');
    expect(r.vouchers.map((v) => v.voucher_number)).not.toContain('1001');
    expect(r.vouchers).toHaveLength(52);
  });

  it('a malformed date', async () => {
    const { text, r } = await variant('bad-date.xml', (t) => t.replace('<n1:TransactionDate>2017-01-04</n1:TransactionDate>', '<n1:TransactionDate>2017-02-30</n1:TransactionDate>'));
    const [e] = errors(r);
    expect(e!.code).toBe('malformed_date');
    expect(e!.location.line).toBe(lineOf(text, '2017-02-30'));
    expect(e!.location.path).toMatch(/Transaction\[1001\]\/TransactionDate$/);
  });

  it('duplicate account, duplicate voucher, and a line with both customer and supplier', async () => {
    const { r } = await variant('dups.xml', (t) =>
      t
        .replace('<n1:AccountID>1420</n1:AccountID>', '<n1:AccountID>1250</n1:AccountID>')
        .replace('<n1:TransactionID>1002</n1:TransactionID>', '<n1:TransactionID>1001</n1:TransactionID>')
        .replace('<n1:SupplierID>2002</n1:SupplierID>\r\n\t\t\t\t\t<n1:Description>Faktura 1155', '<n1:CustomerID>1000</n1:CustomerID><n1:SupplierID>2002</n1:SupplierID>\r\n\t\t\t\t\t<n1:Description>Faktura 1155'),
    );
    expect(codes(errors(r))).toEqual(['duplicate_account', 'customer_and_supplier', 'duplicate_voucher']);
    expect(errors(r)[0]!.message).toContain('AccountID 1250 occurs more than once');
    expect(errors(r)[2]!.message).toContain('journal 123ABC has TransactionID 1001 more than once');
  });

  it('keeps unknown (1.40/2.0-style) elements in the nearest extra', async () => {
    const { r } = await variant('future.xml', (t) =>
      t
        .replace('<n1:ReferenceNumber>1155</n1:ReferenceNumber>', '<n1:ReferenceNumber>1155</n1:ReferenceNumber><n1:Crypto><n1:Coin>BTC</n1:Coin></n1:Crypto>')
        .replace('<n1:TransactionType>Normal</n1:TransactionType>', '<n1:TransactionType>Normal</n1:TransactionType><n1:OpenItem>OI-1</n1:OpenItem>')
        .replace('<n1:AccountCreationDate>2015-01-01</n1:AccountCreationDate>', '<n1:AccountCreationDate>2015-01-01</n1:AccountCreationDate><x:Tag xmlns:x="urn:other">t</x:Tag>'),
    );
    expect(errors(r)).toEqual([]);
    expect(r.vouchers[0]!.lines[0]!.extra!.Crypto).toEqual({ Coin: 'BTC' });
    expect(r.vouchers[0]!.extra!.OpenItem).toBe('OI-1');
    expect(r.accounts[0]!.extra!['{urn:other}Tag']).toBe('t');
  });
});

describe('readSaft: unreadable input throws FileFormatError', () => {
  it('a 0-byte file', async () => {
    const e = await fails([write('empty.xml', '')]);
    expect(e.message).toMatch(/empty\.xml is empty \(0 bytes\)/);
  });

  it('binary data', async () => {
    const e = await fails([write('binary.xml', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x10, 0x00, 0x7f]))]);
    expect(e.message).toMatch(/binary data, not an XML file/);
    expect(e.location.line).toBe(1);
  });

  it('truncated XML names the open Transaction and the line', async () => {
    const cut = toyenText.indexOf('<n1:TransactionID>1010<');
    const text = toyenText.slice(0, cut + 40);
    const e = await fails([write('truncated.xml', text)]);
    expect(e.message).toMatch(/ends inside <Transaction> \(opened at line \d+\): the file is incomplete, export it again/);
    expect(e.location.line).toBe(text.split('\n').length);
  });

  it('a file that is not well-formed', async () => {
    const e = await fails([write('broken.xml', toyenText.replace('</n1:Description>', '</n1:Descr>'))]);
    expect(e.message).toMatch(/not well-formed/);
    expect(e.location.line).toBeGreaterThan(1);
  });

  it('a foreign namespace (OECD 2.0, Danish SAF-T)', async () => {
    for (const ns of ['urn:OECD:StandardAuditFile-Taxation/2.00', 'urn:StandardAuditFile-Taxation-Financial:DK']) {
      const e = await fails([write('foreign.xml', toyenText.replace('urn:StandardAuditFile-Taxation-Financial:NO', ns))]);
      expect(e.message).toContain(`namespace "${ns}"`);
      expect(e.message).toContain('not a Norwegian SAF-T Financial file');
    }
  });

  it('a root that is not AuditFile', async () => {
    const e = await fails([write('other.xml', '<?xml version="1.0"?><Invoice xmlns="urn:x"><ID>1</ID></Invoice>')]);
    expect(e.message).toMatch(/root element is <Invoice>/);
  });

  it('a zip without an XML file inside', async () => {
    const e = await fails([write('noxml.zip', makeZip([{ name: 'readme.txt', data: Buffer.from('hello') }]))]);
    expect(e.message).toMatch(/zip archive without an \.xml file inside/);
  });

  it('a missing file', async () => {
    const e = await fails([join(dir, 'does-not-exist.xml')]);
    expect(e.message).toMatch(/cannot be opened/);
  });
});
