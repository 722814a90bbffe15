import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readSie, FileFormatError, type FileInput } from '../../../formats/index.ts';
import type { FileHeader, ImportIssue, LedgerEvent, Voucher } from '../../../model/index.ts';
import { referencePath } from '../../helpers/reference.ts';

const example = (name: string) => referencePath('sie', 'examples', name);
const tmp = mkdtempSync(join(tmpdir(), 'sie-reader-'));

async function collect(path: FileInput) {
  const events: LedgerEvent[] = [];
  for await (const e of readSie(path)) events.push(e);
  const header = events.find((e) => e.kind === 'header') as { header: FileHeader } | undefined;
  const vouchers = events.flatMap((e) => (e.kind === 'voucher' ? [e.voucher] : []));
  const issues = events.flatMap((e) => (e.kind === 'issue' ? [e.issue] : []));
  return { events, header: header!.header, vouchers, issues };
}

function voucher(vouchers: Voucher[], series: string, number: string): Voucher {
  const v = vouchers.find((x) => x.journal_id === series && x.voucher_number === number);
  if (!v) throw new Error(`no voucher ${series} ${number}`);
  return v;
}

/** Writes a CP437 test file from lines. */
function sieFile(name: string, lines: string[]): string {
  const path = join(tmp, name);
  writeFileSync(path, iconv.encode(lines.join('\n') + '\n', 'cp437'));
  return path;
}

const HEAD = [
  '#FLAGGA 0',
  '#PROGRAM "Test" 1.0',
  '#FORMAT PC8',
  '#GEN 20240101',
  '#SIETYP 4',
  '#FNAMN "Testbolaget AB"',
  '#ORGNR 556000-0000',
  '#RAR 0 20230101 20231231',
  '#KONTO 1930 "Bank"',
  '#KONTO 3010 "Försäljning"',
  '#IB 0 1930 100.00',
];

// Counts checked by hand with grep on the files (#VER and #TRANS lines; #RTRANS/#BTRANS
// are history, so voucher lines = #TRANS lines); encodings per SOURCE.txt and notes §2/§7.
const FACTS: Record<string, { vouchers: number; lines: number; encoding: string; version: string; mismatch: boolean }> = {
  'BL0001_typ3.SE': { vouchers: 0, lines: 0, encoding: 'cp437', version: 'sie-3', mismatch: false },
  'BL0001_typ4.SE': { vouchers: 84, lines: 405, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'BL0001_typ4I.SI': { vouchers: 1, lines: 10, encoding: 'cp437', version: 'sie-4I', mismatch: false },
  'BLBLOV_SIE4_UTF_8_1.SE': { vouchers: 20, lines: 74, encoding: 'utf-8', version: 'sie-4E', mismatch: false },
  'Bokslut_Norstedts_SIE_4E.se': { vouchers: 177, lines: 678, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'Edison_typ4.se': { vouchers: 81, lines: 287, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'Fortnox_Bokforing_2.0.0_Sie4.si': { vouchers: 165, lines: 869, encoding: 'cp437', version: 'sie-4E', mismatch: true },
  'MAMUT_SIE4_EXPORT.SE': { vouchers: 168, lines: 458, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'Quotes_test.si': { vouchers: 1, lines: 3, encoding: 'utf-8', version: 'sie-4I', mismatch: false },
  'SIE4_Exempelfil.SE': { vouchers: 295, lines: 1330, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'SIE_exempelfil_Specter.se': { vouchers: 26, lines: 148, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'SIE_test_av_KST_projekt_Testbolaget.SE': { vouchers: 1, lines: 3, encoding: 'cp437', version: 'sie-4E', mismatch: false },
  'SIE_with_long_voucher_series_number.SE': { vouchers: 44, lines: 122, encoding: 'cp437', version: 'sie-4E', mismatch: true },
  'magenta_bokforing_SIE4E.se': { vouchers: 19, lines: 84, encoding: 'cp437', version: 'sie-4E', mismatch: false },
};

describe('readSie on every example file', () => {
  it('covers every file in the examples folder', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(referencePath('sie', 'examples')).filter((n) => n !== 'SOURCE.txt');
    expect(files.sort()).toEqual(Object.keys(FACTS).sort());
  });

  for (const [name, fact] of Object.entries(FACTS)) {
    it(`${name}: ${fact.vouchers} vouchers, ${fact.lines} lines, ${fact.encoding}, ${fact.version}`, async () => {
      const { events, header, vouchers, issues } = await collect(example(name));
      expect(events[0]!.kind).toBe('header');
      expect(header.format).toBe('sie');
      expect(header.format_version).toBe(fact.version);
      expect(header.declared_version).toBe(fact.version === 'sie-3' ? '3' : '4');
      expect(header.encoding).toBe(fact.encoding);
      expect(header.organization.country).toBe('SE');
      expect(header.organization.base_currency).toBe('SEK');
      expect(vouchers).toHaveLength(fact.vouchers);
      expect(vouchers.reduce((n, v) => n + v.lines.length, 0)).toBe(fact.lines);
      // Every voucher in the examples balances (notes §7).
      for (const v of vouchers) expect(v.lines.reduce((s, l) => s + l.amount, 0n), `${v.journal_id} ${v.voucher_number}`).toBe(0n);
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(issues.some((i) => i.code === 'closing_mismatch')).toBe(fact.mismatch);
      // No U+FFFD or CP437 box characters where Swedish letters belong.
      expect(header.organization.name).not.toMatch(/[\uFFFD├]/);
      for (const e of events) if (e.kind === 'voucher' || e.kind === 'balance') expect(e.location.line).toBeGreaterThan(0);
    });
  }
});

describe('readSie: facts of single example files, checked by hand', () => {
  it('Fortnox: header, first voucher, #DIM 1/6 objects, and #UB that ignore the year', async () => {
    const { header, vouchers, issues, events } = await collect(example('Fortnox_Bokforing_2.0.0_Sie4.si'));
    expect(header.organization).toEqual({ name: 'Testföretaget AB', country: 'SE', org_number: null, base_currency: 'SEK', source_company_ref: '54256' });
    expect(header.software).toBe('Fortnox Bokföring 2.0.0');
    expect(header.fiscal_years).toEqual([{ start_date: '2010-01-01', end_date: '2010-12-31', label: '2010', is_closed: false }]);
    const a1 = voucher(vouchers, 'A', '1');
    expect(a1.voucher_date).toBe('2010-01-05');
    expect(a1.description).toBe('Reseutlägg');
    expect(a1.lines.map((l) => [l.account_id, l.amount, l.description])).toEqual([
      ['1910', -13700n, 'Reseutlägg'],
      ['5800', 12925n, 'Reseutlägg'],
      ['2641', 775n, 'Reseutlägg'],
    ]);
    // #IB 0 1119 -474600.00, #UB 0 1119 -474600, one #TRANS 1119 -67800.00 (file lines 290, 291, 419)
    const m1119 = issues.find((i) => i.code === 'closing_mismatch' && i.message.includes('account 1119'));
    expect(m1119?.severity).toBe('warning');
    expect(m1119?.message).toContain('-474600.00');
    expect(m1119?.message).toContain('-542400.00');
    expect(m1119?.location.line).toBe(291);
    const journals = events.filter((e) => e.kind === 'journal');
    expect(journals).toEqual([{ kind: 'journal', location: expect.anything(), row: { journal_id: 'A', name: 'A', journal_type: 'sie:series', extra: null } }]);
    const dimTypes = new Set(events.flatMap((e) => (e.kind === 'dimension' ? [e.row.dimension_type] : [])));
    expect([...dimTypes].sort()).toEqual(['cost_center', 'project']);
  });

  it('Quotes_test: escaped quotes, unquoted multi-word name, empty number, regdatum', async () => {
    const { header, vouchers, issues } = await collect(example('Quotes_test.si'));
    expect(header.software).toBe('Kassasystem 1.0 - "Oblique Ozelot" - alpha');
    expect(header.organization.name).toBe('Övningsbolaget AB');
    expect(header.organization.org_number).toBe('550226-1513');
    const [v] = vouchers;
    expect(v!.journal_id).toBe('K');
    expect(v!.voucher_number).toBe('1'); // synthetic: first voucher of the file
    expect(v!.extra).toMatchObject({ synthetic_number: true });
    expect(v!.description).toBe('Försäljning 25% "DF:157"');
    expect(v!.voucher_date).toBe('2018-05-02');
    expect(v!.posting_date).toBe('2018-05-03');
    expect(v!.lines.map((l) => l.amount)).toEqual([10000n, -2000n, -8000n]);
    // 4I without #KONTO: a warning, not an error.
    expect(issues.map((i) => [i.severity, i.code])).toEqual([['warning', 'unknown_account']]);
  });

  it('BL0001_typ4: #BTRANS/#RTRANS kept as history, their #TRANS twins as rows, multi-dimension lists', async () => {
    const { vouchers, events } = await collect(example('BL0001_typ4.SE'));
    const a8 = voucher(vouchers, 'A', '8'); // file lines 612-621
    expect(a8.lines.map((l) => [l.account_id, l.amount])).toEqual([['1930', 0n], ['2640', 0n]]);
    const history = (a8.extra?.history ?? []) as { record: string; account_id: string; amount: string }[];
    expect(history.map((h) => [h.record, h.account_id, h.amount])).toEqual([
      ['#BTRANS', '1930', '-1000.00'],
      ['#RTRANS', '1930', '0.00'],
      ['#BTRANS', '2640', '200.00'],
      ['#RTRANS', '2640', '0.00'],
      ['#BTRANS', '4010', '800.00'],
    ]);
    expect(a8.posting_date).toBe('2009-12-14');
    expect(a8.extra?.sign).toBe('2 Christer Bengtsson');
    const a9 = voucher(vouchers, 'A', '9');
    expect(a9.lines[1]).toMatchObject({ account_id: '9999', amount: 536700n, dimensions: [
      { dimension_type: 'cost_center', dimension_id: '1100' },
      { dimension_type: 'project', dimension_id: '1118' },
    ] });
    const a25 = vouchers.find((v) => v.lines.length === 4 && v.lines[3]?.account_id === '3010' && v.lines[3].amount === -50000n);
    expect(a25?.lines.map((l) => l.amount)).toEqual([100000n, -100000n, 50000n, -50000n]);
    const budget = events.filter((e) => e.kind === 'budget');
    expect(budget).toHaveLength(24);
    // Year 0 and the comparison year -1 (kept as prior_closing, with the file's year).
    const oub = events.filter((e) => e.kind === 'balance' && e.row.dimension_type !== null && e.row.balance_type.endsWith('closing'));
    expect(oub).toHaveLength(21);
    expect(oub.filter((e) => e.kind === 'balance' && e.row.balance_type === 'prior_closing').length).toBeGreaterThan(0);
    // Kostnadsbärare (dim 2) is not a reserved normalised type.
    expect(events.some((e) => e.kind === 'dimension' && e.row.dimension_type === 'sie:2' && e.row.name === 'Skrivare')).toBe(true);
  });

  it('BL0001_typ3: broken fiscal years, #IB/#UB/#RES dates, object balances, period movements', async () => {
    const { header, events } = await collect(example('BL0001_typ3.SE'));
    expect(header.fiscal_years).toEqual([
      { start_date: '2009-07-01', end_date: '2010-06-30', label: '2009/2010', is_closed: false },
      { start_date: '2008-07-01', end_date: '2009-06-30', label: '2008/2009', is_closed: true },
    ]);
    const balances = events.flatMap((e) => (e.kind === 'balance' ? [e.row] : []));
    expect(balances.find((b) => b.account_id === '1930' && b.dimension_type === 'cost_center' && b.dimension_id === '1' && b.balance_type === 'opening' && b.as_of === '2009-07-01')?.amount).toBe(760000n);
    expect(balances.filter((b) => b.balance_type === 'period_movement')).toHaveLength(116);
    const ib = balances.filter((b) => b.balance_type.endsWith('opening') && b.dimension_type === null);
    expect(ib).toHaveLength(54);
    expect(new Set(ib.map((b) => `${b.balance_type} ${b.as_of}`))).toEqual(new Set(['opening 2009-07-01', 'prior_opening 2008-07-01']));
  });

  it('MAMUT: TABs, quoted #FORMAT, unquoted dimension numbers in object lists', async () => {
    const { vouchers } = await collect(example('MAMUT_SIE4_EXPORT.SE'));
    const line = vouchers.flatMap((v) => v.lines).find((l) => l.amount === 37631300n);
    expect(line?.account_id).toBe('1510');
    expect(line?.description).toBe('30083 Svenska Mässan i Göteborg, 12');
    expect(line?.dimensions).toEqual([
      { dimension_type: 'sie:8', dimension_id: '30083' },
      { dimension_type: 'cost_center', dimension_id: '2' },
      { dimension_type: 'sie:10', dimension_id: '12' },
    ]);
  });

  it('KST/projekt (CRLF): cost centre and project objects on rows', async () => {
    const { vouchers, events } = await collect(example('SIE_test_av_KST_projekt_Testbolaget.SE'));
    expect(vouchers[0]!.lines[0]!.dimensions).toEqual([
      { dimension_type: 'cost_center', dimension_id: '100000' },
      { dimension_type: 'sie:2', dimension_id: '100000' },
      { dimension_type: 'project', dimension_id: '1234567891234567999' },
    ]);
    const account = events.find((e) => e.kind === 'account' && e.row.account_id === '1011');
    expect(account?.kind === 'account' && account.row.name).toBe('Balanserade utgifter för forskning och u');
  });

  it('SIE4_Exempelfil: #KTYP types, #SRU into extra, backslashes in #FNR, unquoted names', async () => {
    const { header, events } = await collect(example('SIE4_Exempelfil.SE'));
    expect(header.organization.source_company_ref).toBe('C:\\ProgramData\\SPCS\\SPCS Administration\\F÷retag\\Ovnbol2000');
    expect(header.organization.name).toBe('Övningsbolaget AB');
    const accounts = new Map(events.flatMap((e) => (e.kind === 'account' ? [[e.row.account_id, e.row] as const] : [])));
    expect(accounts.get('1060')).toMatchObject({ name: 'Hyresrätt', account_type: 'asset', extra: { sru: ['7201'] } });
    const types = new Set([...accounts.values()].map((a) => a.account_type));
    expect(types).toEqual(new Set(['asset', 'liability', 'equity', 'income', 'expense']));
    expect([...accounts.values()].filter((a) => a.account_type === 'equity').every((a) => a.account_id.startsWith('20'))).toBe(true);
  });

  it('Norstedts: a valid #KSUMMA gives no issue; a changed byte gives checksum_mismatch; a cut file gives checksum_missing', async () => {
    const original = readFileSync(example('Bokslut_Norstedts_SIE_4E.se'));
    expect((await collect(example('Bokslut_Norstedts_SIE_4E.se'))).issues).toEqual([]);

    const text = original.toString('latin1');
    const changed = join(tmp, 'norstedts-changed.se');
    writeFileSync(changed, Buffer.from(text.replace('#TRANS\t1930 {}     -18919', '#TRANS\t1930 {}     -18918'), 'latin1'));
    const bad = await collect(changed);
    expect(bad.issues.find((i) => i.code === 'checksum_mismatch')).toMatchObject({ severity: 'error', location: { line: 1819 } });
    expect(bad.issues.find((i) => i.code === 'checksum_mismatch')!.message).toMatch(/#KSUMMA says 854227682/);

    const cut = join(tmp, 'norstedts-cut.se');
    writeFileSync(cut, Buffer.from(text.replace(/#KSUMMA\t\t854227682\s*$/, ''), 'latin1'));
    const truncated = await collect(cut);
    expect(truncated.issues.map((i) => [i.severity, i.code])).toEqual([['error', 'checksum_missing']]);
  });

  it('magenta: #PSALDO in a type-4 file become period movements', async () => {
    const { events } = await collect(example('magenta_bokforing_SIE4E.se'));
    const psaldo = events.flatMap((e) => (e.kind === 'balance' && e.row.balance_type.endsWith('period_movement') ? [e.row] : []));
    expect(psaldo).toHaveLength(73);
    expect(psaldo.every((p) => (p.balance_type === 'period_movement') === p.as_of >= '2011-01-01')).toBe(true);
    expect(psaldo[0]).toEqual({ account_id: '0351', balance_type: 'period_movement', as_of: '2011-01-01', dimension_type: null, dimension_id: null, amount: -10432000n });
  });

  it('BLBLOV: UTF-8 despite #FORMAT PC8, org number without hyphen, budgets', async () => {
    const { header, events } = await collect(example('BLBLOV_SIE4_UTF_8_1.SE'));
    expect(header.organization.name).toBe('Övningsföretaget AB');
    expect(header.organization.org_number).toBe('1655710918');
    expect(events.filter((e) => e.kind === 'budget')).toHaveLength(276);
  });
});

describe('readSie from bytes or a stream', () => {
  // UTF-8 and CP437, with and without #KSUMMA: the encoding is chosen over the whole input.
  it.each(['BLBLOV_SIE4_UTF_8_1.SE', 'Bokslut_Norstedts_SIE_4E.se', 'SIE4_Exempelfil.SE'])('%s gives exactly the events of its path', async (name) => {
    const path = example(name);
    const fromPath = (await collect(path)).events;
    expect((await collect({ name: path, bytes: readFileSync(path) })).events).toEqual(fromPath);
    // Small odd chunks: lines and multi-byte characters are split across them.
    expect((await collect({ name: path, stream: createReadStream(path, { highWaterMark: 977 }) })).events).toEqual(fromPath);
  });

  it('names the input by the name given in every message', async () => {
    const bytes = iconv.encode([...HEAD, '#VER A 1 20230105', '{', '#TRANS 1930 {} 10.00', '#TRANS 3010 {} -9.00', '}'].join('\n') + '\n', 'cp437');
    const { issues } = await collect({ name: 'download.se', stream: (async function* () { yield new Uint8Array(bytes); })() });
    const unbalanced = issues.find((i) => i.code === 'unbalanced_voucher');
    expect(unbalanced?.message).toMatch(/^download\.se line 12: voucher A 1 \(2023-01-05\) does not balance/);
    expect(unbalanced?.location).toEqual({ file: 'download.se', line: 12 });
  });

  it('rejects empty bytes as it rejects an empty file', async () => {
    await expect(collect({ name: 'empty.se', bytes: new Uint8Array(0) })).rejects.toThrow('empty.se is empty (0 bytes), so it is not an SIE file.');
  });
});

describe('readSie on bad input', () => {
  async function failure(path: string): Promise<FileFormatError> {
    try {
      for await (const _ of readSie(path)) void _;
    } catch (e) {
      expect(e).toBeInstanceOf(FileFormatError);
      return e as FileFormatError;
    }
    throw new Error('expected a FileFormatError');
  }
  async function issuesOf(lines: string[], name: string): Promise<ImportIssue[]> {
    return (await collect(sieFile(name, lines))).issues;
  }

  it('rejects a 0-byte file', async () => {
    const path = join(tmp, 'empty.se');
    writeFileSync(path, '');
    const e = await failure(path);
    expect(e.message).toBe(`${path} is empty (0 bytes), so it is not an SIE file.`);
  });

  it('rejects a binary file', async () => {
    const path = join(tmp, 'image.se');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const e = await failure(path);
    expect(e.message).toMatch(/is a binary file, not an SIE text file \(control byte 0x00 at byte 8\)/);
  });

  it('rejects a text file without SIE records', async () => {
    const path = join(tmp, 'notes.se');
    writeFileSync(path, '<?xml version="1.0"?>\n<AuditFile/>\n');
    expect((await failure(path)).message).toMatch(/line 1: the file is not an SIE file/);
    const hashes = join(tmp, 'hashes.se');
    writeFileSync(hashes, '# heading\n#hello world\n');
    expect((await failure(hashes)).message).toMatch(/is not an SIE file: it has no #FLAGGA, #SIETYP or other SIE records/);
  });

  it('rejects a file truncated inside a voucher block', async () => {
    const path = sieFile('truncated.se', [...HEAD, '#VER A 1 20230105 "Sale"', '{', '#TRANS 1930 {} 100.00']);
    const e = await failure(path);
    expect(e.message).toMatch(/line 14: the file ends inside the \{ \} block of #VER A 1 \(line 12\): the file is incomplete, export it again\./);
    expect(e.location).toEqual({ file: path, line: 14 });
  });

  /** The first `bytes` bytes of an example file, as a cut-off download or copy leaves it. */
  function cutExample(name: string, bytes: number, as: string): string {
    const path = join(tmp, as);
    writeFileSync(path, readFileSync(example(name)).subarray(0, bytes));
    return path;
  }
  /** Byte offset just after `text` in an example file (CP437 and ASCII agree on these texts). */
  function after(name: string, text: string): number {
    const at = readFileSync(example(name)).indexOf(text);
    expect(at).toBeGreaterThanOrEqual(0);
    return at + text.length;
  }

  it('rejects SIE4_Exempelfil cut at byte 20000: the last line "#SRU 4940 " lacks its SRU code (was read as complete)', async () => {
    const path = cutExample('SIE4_Exempelfil.SE', 20000, 'exempel-20000.se');
    const e = await failure(path);
    expect(e.message).toBe(`${path} line 914: the file ends in the middle of the record "#SRU 4940" (it lacks SRU-kod): the file is incomplete, export it again.`);
    expect(e.location).toEqual({ file: path, line: 914 });
  });

  it('rejects SIE4_Exempelfil cut inside a #VER block at a line end, saying to export again (only said "truncated")', async () => {
    const path = cutExample('SIE4_Exempelfil.SE', after('SIE4_Exempelfil.SE', '#VER A 17 20210403 Fackavgifter 20210728\n{\n   #TRANS 2794 {} 12182.63\n'), 'exempel-block.se');
    const e = await failure(path);
    expect(e.message).toBe(`${path} line 1959: the file ends inside the { } block of #VER A 17 (line 1957): the file is incomplete, export it again.`);
  });

  it('rejects SIE4_Exempelfil cut in the middle of a #TRANS line, naming that line (named only the block)', async () => {
    const path = cutExample('SIE4_Exempelfil.SE', after('SIE4_Exempelfil.SE', '#VER A 17 20210403 Fackavgifter 20210728\n{\n   #TRANS 2794 {}'), 'exempel-trans.se');
    const e = await failure(path);
    expect(e.message).toBe(`${path} line 1959: the file ends in the middle of the record "#TRANS 2794 {}" (it lacks belopp): the file is incomplete, export it again.`);
    expect(e.location).toEqual({ file: path, line: 1959 });
  });

  it('rejects a last line without line ending that is cut inside a quote, a label or a value (was read as complete)', async () => {
    const cut = (name: string, last: string) => {
      const path = join(tmp, name);
      writeFileSync(path, iconv.encode([...HEAD, last].join('\n'), 'cp437'));
      return path;
    };
    expect((await failure(cut('quote.se', '#KONTO 4940 "Förändr'))).message).toMatch(/quote\.se line 12: the file ends in the middle of the record "#KONTO 4940 "Förändr" \(a quoted field is not closed\): the file is incomplete, export it again\.$/);
    expect((await failure(cut('label.se', '#KON'))).message).toMatch(/label\.se line 12: .*"#KON" \(its label is cut short\): the file is incomplete/);
    expect((await failure(cut('value.se', '#UB 0 1930 -'))).message).toMatch(/value\.se line 12: .*"#UB 0 1930 -" \(it is not a valid #UB record\): the file is incomplete/);
    expect((await failure(cut('date.se', '#RAR -1 2022'))).message).toMatch(/date\.se line 12: .*"#RAR -1 2022" \(it is not a valid #RAR record\)/);
  });

  it('accepts a last line without line ending when its record is complete (Fortnox ends on "}" so)', async () => {
    const path = join(tmp, 'no-newline.se');
    writeFileSync(path, iconv.encode([...HEAD, '#UB 0 1930 100.00', '#VER A 1 20230105 "x"', '{', '#TRANS 1930 {} 0.00', '}'].join('\n'), 'cp437'));
    const { vouchers, issues } = await collect(path);
    expect(vouchers).toHaveLength(1);
    expect(issues).toEqual([]);
    const konto = join(tmp, 'no-newline-konto.se');
    writeFileSync(konto, iconv.encode([...HEAD, '#KONTO 4940 Lager'].join('\n'), 'cp437'));
    expect((await collect(konto)).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('warns of chart records without their mandatory fields inside the file (were taken as empty)', async () => {
    const issues = await issuesOf([...HEAD.slice(0, 9), '#KONTO 4940', '#SRU 1930', '#KTYP 1930', '#OBJEKT 1 "10"', '#DIM 20', ...HEAD.slice(9)], 'chart.se');
    expect(issues.filter((i) => i.code === 'incomplete_record').map((i) => [i.severity, i.location.line, i.message.replace(/^.*? line \d+: /, '')])).toEqual([
      ['warning', 10, '"#KONTO 4940" lacks its mandatory field kontonamn (SIE 4B §11); read without it.'],
      ['warning', 11, '"#SRU 1930" lacks its mandatory field SRU-kod (SIE 4B §11); read without it.'],
      ['warning', 12, '"#KTYP 1930" lacks its mandatory field kontotyp (SIE 4B §11); read without it.'],
      ['warning', 13, '"#OBJEKT 1 10" lacks its mandatory field objektnamn (SIE 4B §11); read without it.'],
      ['warning', 14, '"#DIM 20" lacks its mandatory field namn (SIE 4B §11); read without it.'],
    ]);
  });

  it('warns when a type 4 file cut at a line end has no #VER at all (was silent)', async () => {
    const path = cutExample('SIE4_Exempelfil.SE', after('SIE4_Exempelfil.SE', '#SRU 4940 7411\n'), 'exempel-chart.se');
    const { issues } = await collect(path);
    expect(issues.map((i) => [i.severity, i.code, i.location.line])).toEqual([['warning', 'no_vouchers', 914]]);
    expect(issues[0]!.message).toBe(`${path} line 914: the file ends without any #VER voucher or #IB/#UB/#RES balance, although it is a type 4 export (#SIETYP 4); if the export was cut off, export it again.`);
  });

  it('rejects a #VER whose block is not closed before the next #VER', async () => {
    const path = sieFile('unclosed.se', [...HEAD, '#VER A 1 20230105 "Sale"', '{', '#TRANS 1930 {} 100.00', '#VER A 2 20230106 "x"', '{', '}']);
    expect((await failure(path)).message).toMatch(/line 15: the \{ \} block of #VER A 1 \(line 12\) is not closed/);
  });

  it('rejects a #VER without its block', async () => {
    const path = sieFile('noblock.se', [...HEAD, '#VER A 1 20230105 "Sale"', '#VER A 2 20230105 "Sale"', '{', '}']);
    expect((await failure(path)).message).toMatch(/line 13: #VER A 1 at line 12 is not followed by its \{ \} block/);
  });

  it('reports an unbalanced voucher with file, line, series, number and difference', async () => {
    const issues = await issuesOf([...HEAD, '', '#VER B 7 20230105 "Sale"', '{', '#TRANS 1930 {} 100.00', '#TRANS 3010 {} -99.50', '}'], 'unbalanced.se');
    const issue = issues.find((i) => i.code === 'unbalanced_voucher');
    expect(issue?.severity).toBe('error');
    expect(issue?.location.line).toBe(13);
    expect(issue?.message).toMatch(/unbalanced\.se line 13: voucher B 7 \(2023-01-05\) does not balance: its #TRANS rows sum to 0\.50/);
  });

  it('reports an account that #KONTO does not declare (error in 4E)', async () => {
    const issues = await issuesOf([...HEAD, '#VER A 1 20230105 "Sale"', '{', '#TRANS 1930 {} 100.00', '#TRANS 3999 {} -100.00', '}'], 'unknown.se');
    // (#IB without #UB also gives closing_mismatch warnings; not the point here.)
    const own = issues.filter((i) => i.code !== 'closing_mismatch');
    expect(own.map((i) => [i.severity, i.code, i.location.line])).toEqual([['error', 'unknown_account', 15]]);
    expect(own[0]!.message).toMatch(/account 3999 is used by a #TRANS row but has no #KONTO record/);
  });

  it('reports a malformed amount naming line and field', async () => {
    const issues = await issuesOf([...HEAD, '#VER A 1 20230105 "Sale"', '{', '#TRANS 1930 {} 100,00', '#TRANS 3010 {} -100.00', '}'], 'amount.se');
    const issue = issues.find((i) => i.code === 'malformed_amount');
    expect(issue).toMatchObject({ severity: 'error', location: { line: 14 } });
    expect(issue!.message).toMatch(/line 14: #TRANS in voucher A 1 field belopp "100,00" is not an amount/);
    // The dropped row is not reported a second time as an unbalanced voucher.
    expect(issues.some((i) => i.code === 'unbalanced_voucher')).toBe(false);
  });

  it('reports a malformed date naming line and field', async () => {
    const issues = await issuesOf([...HEAD, '#VER A 1 20231305 "Sale"', '{', '#TRANS 1930 {} 100.00', '#TRANS 3010 {} -100.00', '}'], 'date.se');
    const issue = issues.find((i) => i.code === 'malformed_date');
    expect(issue).toMatchObject({ severity: 'error', location: { line: 12 } });
    expect(issue!.message).toMatch(/line 12: #VER A 1 field verdatum "20231305" is not a valid YYYYMMDD date/);
  });

  it('reports a wrong #KSUMMA', async () => {
    const lines = ['#FLAGGA 0', '#KSUMMA', ...HEAD.slice(1), '#KSUMMA 12345'];
    // (A type 4 file without #VER also gets the no_vouchers warning; not the point here.)
    const issues = (await issuesOf(lines, 'ksumma.se')).filter((i) => i.code !== 'no_vouchers');
    expect(issues.map((i) => [i.severity, i.code])).toEqual([['error', 'checksum_mismatch']]);
    expect(issues[0]!.message).toMatch(/ksumma\.se line 13: #KSUMMA says 12345 but the records/);
  });

  it('yields balances with #RAR dates for each year index and closing_mismatch for #RES', async () => {
    const { events, issues } = await collect(
      sieFile('balances.se', [...HEAD, '#RAR -1 20220101 20221231', '#UB 0 1930 150.00', '#UB -1 1930 100.00', '#RES 0 3010 -60.00', '#VER A 1 20230105 "Sale"', '{', '#TRANS 1930 {} 50.00', '#TRANS 3010 {} -50.00', '}']),
    );
    const rows = events.flatMap((e) => (e.kind === 'balance' ? [[e.row.balance_type, e.row.as_of, e.row.account_id, e.row.amount]] : []));
    expect(rows).toEqual([
      ['opening', '2023-01-01', '1930', 10000n],
      ['closing', '2023-12-31', '1930', 15000n],
      ['prior_closing', '2022-12-31', '1930', 10000n],
      ['closing', '2023-12-31', '3010', -6000n],
    ]);
    expect(issues.map((i) => [i.code, i.location.line])).toEqual([['closing_mismatch', 15]]);
    expect(issues[0]!.message).toMatch(/account 3010: #RES 0 says -60\.00 but Σ#TRANS = -50\.00/);
  });
});

describe('readSie: file types and comparison years', () => {
  const issuesOf = async (lines: string[], name: string) => (await collect(sieFile(name, lines))).issues;
  const typ = (n: string) => HEAD.map((l) => (l === '#SIETYP 4' ? `#SIETYP ${n}` : l));

  it.each(['1', '2', '3'])('a type %s file with vouchers follows 4E rules: every account missing from the chart is an error, named', async (n) => {
    const issues = await issuesOf([...typ(n), '#UB 0 1930 100.00', '#UB 0 2440 -5.00', '#RES 0 3010 0', '#VER A 1 20230105 "Sale"', '{', '#TRANS 1930 {} 100.00', '#TRANS 3999 {} -60.00', '#TRANS 3998 {} -40.00', '}'], `typ${n}.se`);
    const unknown = issues.filter((i) => i.code === 'unknown_account');
    expect(unknown.map((i) => [i.severity, i.location.line])).toEqual([['error', 18], ['error', 19], ['error', 13]]);
    expect(unknown.map((i) => /account (\d+)/.exec(i.message)![1])).toEqual(['3999', '3998', '2440']);
    expect(unknown[2]!.message).toMatch(/account 2440 has balance records .* but no #KONTO record/);
  });

  it('names an account that only balance records use, in a 4E file too', async () => {
    const issues = await issuesOf([...HEAD, '#UB 0 1930 100.00', '#PSALDO 0 202301 4010 {} 10.00', '#VER A 1 20230105 "x"', '{', '#TRANS 1930 {} 0', '}'], 'balance-only.se');
    expect(issues.filter((i) => i.code === 'unknown_account').map((i) => [i.severity, i.location.line, i.message.replace(/^.*: /, '')])).toEqual([
      ['error', 13, 'account 4010 has balance records (#IB/#UB/#RES/#PSALDO…) but no #KONTO record in the file.'],
    ]);
  });

  it('keeps comparison-year records as prior_* balances, and warns on a #PBUDGET -1 dated in the current year', async () => {
    const { events, issues } = await collect(
      sieFile('prior.se', [...HEAD, '#RAR -1 20220101 20221231', '#IB -1 1930 40.00', '#UB -1 1930 100.00', '#RES -1 3010 -60.00', '#PSALDO -1 202203 3010 {} -60.00', '#PBUDGET 0 202301 3010 {} -70.00', '#PBUDGET -1 202301 3010 {} -70.00', '#UB 0 1930 100.00']),
    );
    const rows = events.flatMap((e) => (e.kind === 'balance' && e.row.balance_type.startsWith('prior_') ? [[e.row.balance_type, e.row.as_of, e.row.account_id, e.row.amount]] : []));
    expect(rows).toEqual([
      ['prior_opening', '2022-01-01', '1930', 4000n],
      ['prior_closing', '2022-12-31', '1930', 10000n],
      ['prior_closing', '2022-12-31', '3010', -6000n],
      ['prior_period_movement', '2022-03-01', '3010', -6000n],
    ]);
    expect(events.filter((e) => e.kind === 'budget')).toHaveLength(1);
    const warning = issues.find((i) => i.code === 'prior_year_in_current_year');
    expect(warning?.severity).toBe('warning');
    expect(warning?.location.line).toBe(18);
    expect(warning?.message).toMatch(/#PBUDGET -1 for account 3010 is dated 202301, inside the current fiscal year 2023-01-01\.\.2023-12-31; it was skipped/);
  });
});

describe('readSie: bytes the encoding does not allow', () => {
  const failure = async (path: string) => {
    try {
      await collect(path);
    } catch (e) {
      expect(e).toBeInstanceOf(FileFormatError);
      return e as FileFormatError;
    }
    throw new Error('not refused');
  };
  const lines = (format: string) => HEAD.map((l) => (l === '#FORMAT PC8' ? `#FORMAT ${format}` : l));

  it('refuses a Latin-1 byte in a file whose #FORMAT declares UTF-8, naming the line', async () => {
    const path = join(tmp, 'utf8-declared.se');
    writeFileSync(path, Buffer.concat([Buffer.from(lines('UTF-8').join('\n') + '\n#KONTO 1510 "Kundfordringar '), Buffer.from([0xe5]), Buffer.from('"\n#KONTO 2440 "Leverantörsskulder"\n')]));
    const e = await failure(path);
    expect(e.location.line).toBe(HEAD.length + 1);
    expect(e.message).toMatch(/utf8-declared\.se line 12: the file holds bytes 0xE5 0x22, not valid UTF-8, the encoding its #FORMAT declares/);
  });

  it('reads a file whose #FORMAT declares Windows-1252, and names that encoding', async () => {
    const path = join(tmp, 'win1252.se');
    writeFileSync(path, iconv.encode([...lines('WINDOWS-1252'), '#KONTO 2440 "Leverantörsskulder €"'].join('\n') + '\n', 'win1252'));
    const { header, events } = await collect(path);
    expect(header.encoding).toBe('windows-1252');
    expect(events.some((e) => e.kind === 'account' && e.row.name === 'Leverantörsskulder €')).toBe(true);
  });

  it('refuses a byte Windows-1252 has no character for in a file read as Windows-1252, naming the line', async () => {
    const path = join(tmp, 'undefined.se');
    const text = [...lines('PC8'), '#KONTO 2440 "Leverantörsskulder och så vidare på Åland"'].join('\n') + '\n';
    writeFileSync(path, Buffer.concat([iconv.encode(text, 'win1252'), Buffer.from('#KONTO 2441 "x'), Buffer.from([0x81]), Buffer.from('"\n')]));
    const e = await failure(path);
    expect(e.location.line).toBe(HEAD.length + 2);
    expect(e.message).toMatch(/byte 0x81, not valid WINDOWS-1252, the encoding its letters show/);
  });
});

describe('readSie on a large file', () => {
  // Speed is measured in bench/, never asserted here; this checks a large file streams whole.
  it('streams 200 000 #TRANS rows', async () => {
    const path = join(tmp, 'large.se');
    const { createWriteStream } = await import('node:fs');
    const out = createWriteStream(path);
    out.write(HEAD.join('\n') + '\n#KONTO 2611 "Moms"\n#KONTO 1510 "Kund"\n');
    let chunk = '';
    for (let i = 1; i <= 50_000; i++) {
      chunk += `#VER A ${i} 20230105 "Faktura ${i}"\n{\n#TRANS 1510 {} 1250.00\n#TRANS 3010 {1 "10"} -1000.00\n#TRANS 2611 {} -250.00\n#TRANS 1930 {} 0\n}\n`;
      if (chunk.length > 1 << 16) {
        out.write(chunk);
        chunk = '';
      }
    }
    out.write(chunk);
    await new Promise((resolve) => out.end(resolve));
    let rows = 0;
    let total = 0n;
    for await (const e of readSie(path)) {
      if (e.kind === 'voucher') {
        rows += e.voucher.lines.length;
        total += e.voucher.lines[0]!.amount;
      }
    }
    expect(rows).toBe(200_000);
    expect(total).toBe(50_000n * 125_000n);
  });
});
