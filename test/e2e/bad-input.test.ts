import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import iconv from 'iconv-lite';
import { main } from '../../cli/index.ts';
import { Warehouse } from '../../load/index.ts';
import { formatMoney, parseMoney } from '../../model/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';

const toyen = readFileSync(referencePath('saf-t', 'examples', 'ExampleFile SAF-T Financial_888888888_20180228235959.xml'), 'utf8');
const sieBytes = readFileSync(referencePath('sie', 'examples', 'SIE_exempelfil_Specter.se'));
const sie = iconv.decode(sieBytes, 'cp437');
const writeSie = (text: string) => iconv.encode(text, 'cp437');
const exempelPath = referencePath('sie', 'examples', 'SIE4_Exempelfil.SE');
const exempel = readFileSync(exempelPath);
/** Specter's text up to just after `text` in its first voucher (A 1, lines 739–747). */
const specterUpTo = (text: string) => sie.slice(0, sie.indexOf(text, sie.indexOf('#VER A 1 ')) + text.length);

/** Bad files made from real ones, each with what its one-sentence error must say. */
const cases: { name: string; file: string; content: () => string | Buffer; says: RegExp }[] = [
  { name: 'a 0-byte file', file: 'empty.xml', content: () => '', says: /empty|0 bytes/i },
  { name: 'a binary file', file: 'picture.se', content: () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0]), says: /neither SAF-T|not an SIE|binary/i },
  { name: 'a truncated SAF-T file', file: 'truncated.xml', content: () => toyen.slice(0, Math.floor(toyen.length * 0.6)), says: /incomplete|truncated|ends/i },
  { name: 'a truncated SIE file', file: 'truncated.se', content: () => writeSie(sie.slice(0, sie.indexOf('#TRANS', sie.indexOf('#VER') + 1) + 10)), says: /incomplete|truncated|not closed|ends/i },
  // Cut-off SIE exports: each message names the line and says to export again.
  { name: 'SIE4_Exempelfil.SE cut at byte 20000, mid-#SRU (was imported)', file: 'cut-20000.se', content: () => exempel.subarray(0, 20000), says: /cut-20000\.se line 914: the file ends in the middle of the record "#SRU 4940" \(it lacks SRU-kod\): the file is incomplete, export it again\./ },
  { name: 'an SIE file cut inside a #VER block (did not say what to do)', file: 'cut-block.se', content: () => writeSie(specterUpTo('#TRANS 3051 {} -12568.4\n')), says: /cut-block\.se line 743: the file ends inside the \{ \} block of #VER A 1 \(line 739\): the file is incomplete, export it again\./ },
  { name: 'an SIE file cut in the middle of a #TRANS line (did not name the cut row)', file: 'cut-trans.se', content: () => writeSie(specterUpTo('#TRANS 2611 {} ')), says: /cut-trans\.se line 742: the file ends in the middle of the record "#TRANS 2611 \{\}" \(it lacks belopp\): the file is incomplete, export it again\./ },
  { name: 'a UTF-16 SAF-T file', file: 'utf16.xml', content: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(toyen.replace(/^\uFEFF/, ''), 'utf16le')]), says: /UTF-16/ },
  {
    name: 'an unbalanced SIE voucher',
    file: 'unbalanced.se',
    content: () => {
      const at = sie.indexOf('#TRANS', sie.indexOf('#VER'));
      const line = sie.slice(at, sie.indexOf('\n', at));
      return writeSie(sie.replace(line, line.replace(/(\{[^}]*\}\s+)(-?\d+(?:\.\d+)?)/, (_m, p: string, a: string) => `${p}${formatMoney(parseMoney(a)! + 1n)}`)));
    },
    says: /does not balance|unbalanced/i,
  },
  { name: 'a SAF-T line on an account missing from MasterFiles', file: 'missing-account.xml', content: () => toyen.replace(/(<n1:Line>\s*<n1:RecordID>[^<]*<\/n1:RecordID>\s*<n1:AccountID>)[^<]*/, '$19999'), says: /9999/ },
  { name: 'a malformed SAF-T amount', file: 'bad-amount.xml', content: () => toyen.replace(/(<n1:DebitAmount>\s*<n1:Amount>)([\d.]+)/, '$112,50'), says: /12,50/ },
  { name: 'a malformed SAF-T date', file: 'bad-date.xml', content: () => toyen.replace(/<n1:TransactionDate>[^<]*/, '<n1:TransactionDate>2017-13-45'), says: /2017-13-45/ },
  { name: 'a malformed SIE amount', file: 'bad-amount.se', content: () => writeSie(sie.replace(/(#TRANS\s+\d+\s+\{[^}]*\}\s+)-?[\d.]+/, '$11.2.3')), says: /1\.2\.3/ },
  { name: 'a malformed SIE date', file: 'bad-date.se', content: () => writeSie(sie.replace(/(#VER\s+\S+\s+\S+\s+)\d{8}/, '$120171345')), says: /20171345/ },
];

describe('bad input', () => {
  let dir: string;
  let warehousePath: string;
  let before: Awaited<ReturnType<typeof dumpLedger>>;

  beforeAll(async () => {
    dir = tempDir();
    warehousePath = join(dir, 'w.duckdb');
    const path = join(dir, 'toyen.xml');
    writeFileSync(path, toyen);
    expect(await main(['import', path, '--org', 'acme', '--warehouse', warehousePath])).toBe(0);
    const warehouse = await Warehouse.open(warehousePath);
    before = await dumpLedger(warehouse);
    warehouse.close();
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(cases)('$name gets one clear error, exit 1, and the warehouse unchanged', async ({ file, content, says }) => {
    const path = join(dir, file);
    writeFileSync(path, content());
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const code = await main(['import', path, '--org', 'acme', '--warehouse', warehousePath]);
    const text = errors.join("\n");
    if (process.env.SHOW_ERRORS) console.info(text);
    expect(code, text).toBe(1);
    expect(text).toContain(file);
    expect(text).toMatch(says);
    expect(text).not.toMatch(/^\s+at /m); // no stack trace without --debug
    const warehouse = await Warehouse.open(warehousePath);
    try {
      expect(await dumpLedger(warehouse)).toEqual(before);
    } finally {
      warehouse.close();
    }
  });

  it('keeps the vouchers of a year when a cut copy of its file is imported again (it deleted all 295)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const own = join(tempDir(), 'exempel.duckdb');
    expect(await main(['import', exempelPath, '--org', 'ovning', '--warehouse', own])).toBe(0);
    const warehouse = await Warehouse.open(own);
    const full = await dumpLedger(warehouse);
    warehouse.close();
    expect(full.voucher).toHaveLength(295);

    const cut = join(dir, 'SIE4_Exempelfil-cut.SE');
    writeFileSync(cut, exempel.subarray(0, 20000));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    expect(await main(['import', cut, '--org', 'ovning', '--warehouse', own])).toBe(1);
    expect(errors).toEqual([`${cut} line 914: the file ends in the middle of the record "#SRU 4940" (it lacks SRU-kod): the file is incomplete, export it again.`]);
    const after = await Warehouse.open(own);
    try {
      expect(await dumpLedger(after)).toEqual(full);
    } finally {
      after.close();
    }
  });

  it('exits non-zero from the real command line, with the message on stderr', async () => {
    const path = join(dir, 'empty.se');
    writeFileSync(path, '');
    const run = promisify(execFile);
    const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
    const result = await run(process.execPath, [bin, 'import', path, '--org', 'acme', '--warehouse', warehousePath]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('empty.se is empty (0 bytes); export the file again.');
  });

  it('names a missing option and exits 2', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    expect(await main(['import', 'x.xml', '--warehouse', warehousePath])).toBe(2);
    expect(errors.join('\n')).toMatch(/--org is required/);
  });
});
