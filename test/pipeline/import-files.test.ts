import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { importFile, ImportRejectedError, printedIssues } from '../../pipeline/index.ts';
import { FileFormatError } from '../../formats/index.ts';
import { Warehouse } from '../../load/index.ts';
import { formatMoney, parseMoney } from '../../model/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';

const toyenXml = () => readFileSync(referencePath('saf-t', 'examples', 'ExampleFile SAF-T Financial_888888888_20180228235959.xml'), 'utf8');

let dir: string;
let warehouse: Warehouse;
beforeEach(async () => {
  dir = tempDir();
  warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
});
afterEach(() => warehouse.close());

/** SIE4_Exempelfil.SE with the first #TRANS row of every voucher a öre off: 295 unbalanced vouchers. */
function exempelAllUnbalanced(): Buffer {
  const text = iconv.decode(readFileSync(referencePath('sie', 'examples', 'SIE4_Exempelfil.SE')), 'cp437');
  const shifted = text.replace(/(#VER[^\n]*\n\{\s*\n\s*#TRANS\s+\S+\s+\{[^}]*\}\s+)(-?[\d.]+)/g, (_m, head: string, amount: string) => `${head}${formatMoney(parseMoney(amount)! + 1n)}`);
  return iconv.encode(shifted, 'cp437');
}

describe('importFile', () => {
  it('with --force keeps every failed check in import_issue, past the 200 a reader once listed', async () => {
    const path = join(dir, 'all-unbalanced.se');
    writeFileSync(path, exempelAllUnbalanced());
    const summary = await importFile(warehouse, [path], { orgId: 'ovning', force: true });
    const unbalanced = summary.forcedErrors.filter((e) => e.code === 'unbalanced_voucher');
    expect(unbalanced).toHaveLength(295);
    expect(await warehouse.all("SELECT count(*)::INT AS n, count(DISTINCT line)::INT AS lines FROM import_issue WHERE code = 'unbalanced_voucher'")).toEqual([{ n: 295, lines: 295 }]);
    expect(await warehouse.one('SELECT count(*)::INT AS n FROM import_issue WHERE run_id = $1', [summary.runId])).toEqual({ n: summary.forcedErrors.length + summary.warnings.length });
    // No summary rows stand in for issues left out.
    expect(await warehouse.one("SELECT count(*)::INT AS n FROM import_issue WHERE message LIKE '%more%not listed%' OR message LIKE '%not listed one by one%'")).toEqual({ n: 0 });
    // What is printed is capped, and says how many more there were.
    const printed = printedIssues(summary.forcedErrors, 10);
    expect(printed).toHaveLength(11);
    expect(printed[10]).toBe(`… and ${summary.forcedErrors.length - 10} more.`);
  });

  it('rejects the same file without --force, naming every unbalanced voucher and writing nothing', async () => {
    const path = join(dir, 'all-unbalanced.se');
    writeFileSync(path, exempelAllUnbalanced());
    const error = await importFile(warehouse, [path], { orgId: 'ovning' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportRejectedError);
    expect((error as ImportRejectedError).errors.filter((e) => e.code === 'unbalanced_voucher')).toHaveLength(295);
    expect(await warehouse.all('SELECT * FROM import_issue')).toEqual([]);
    // sync_run.error keeps the first 20 and says how many more.
    const run = await warehouse.one<{ error: string }>("SELECT error FROM sync_run WHERE status = 'failed'");
    expect(run?.error.split('\n').at(-1)).toBe(`… and ${(error as ImportRejectedError).errors.length - 20} more.`);
  });

  it.each([
    ['empty.xml', Buffer.alloc(0)],
    ['photo.se', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00])],
  ])('records a failed run for %s, which it cannot read', async (name, bytes) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const error = await importFile(warehouse, [path], { orgId: 'acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect(await warehouse.all('SELECT org_id, source, status, source_file, source_sha256, error, finished_at IS NOT NULL AS finished FROM sync_run')).toEqual([
      {
        org_id: 'acme', source: 'file', status: 'failed', source_file: name, source_sha256: createHash('sha256').update(bytes).digest('hex'),
        error: (error as Error).message, finished: true,
      },
    ]);
    expect(await warehouse.all('SELECT * FROM organization')).toEqual([]);
  });

  it('warns of vouchers dated outside the fiscal years the file states', async () => {
    const exempel = readFileSync(referencePath('sie', 'examples', 'SIE4_Exempelfil.SE'));
    const path = join(dir, 'typo.se');
    writeFileSync(path, Buffer.from(exempel.toString('latin1').replace('#VER A 3 20210109', '#VER A 3 20310109'), 'latin1'));
    const summary = await importFile(warehouse, [path], { orgId: 'ovning' });
    expect(summary.warnings.filter((w) => w.code === 'outside_stated_years').map((w) => w.message)).toEqual([
      `${path}: 1 voucher is dated in 2031, outside the fiscal years the file states (2021, 2020); it is stored in a fiscal year 2031 of its own. Check the date.`,
    ]);
  });

  it("refuses another company's file for an organization, and takes its own in another notation", async () => {
    const own = join(dir, 'toyen.xml');
    writeFileSync(own, toyenXml());
    await importFile(warehouse, [own], { orgId: 'toyen' });
    const before = await dumpLedger(warehouse);

    // The header's company, not the customers further down, which have numbers of their own.
    const other = join(dir, 'other.xml');
    writeFileSync(other, toyenXml().replace('<n1:RegistrationNumber>888888888</n1:RegistrationNumber>', '<n1:RegistrationNumber>999999999</n1:RegistrationNumber>'));
    const refused = await importFile(warehouse, [other], { orgId: 'toyen' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ImportRejectedError);
    expect((refused as ImportRejectedError).errors.map((e) => e.message)).toEqual([
      'other.xml is the ledger of Tøyen Lekefabrikk AS (org. no. 999999999), but organization "toyen" is Tøyen Lekefabrikk AS (org. no. 888888888); import it under an --org of its own.',
    ]);

    const swedish = referencePath('sie', 'examples', 'SIE_exempelfil_Specter.se');
    const foreign = await importFile(warehouse, [swedish], { orgId: 'toyen' }).catch((e: unknown) => e);
    expect((foreign as ImportRejectedError).errors.map((e) => e.code)).toEqual(['other_currency']);
    expect((foreign as ImportRejectedError).errors[0]!.message).toBe(
      'SIE_exempelfil_Specter.se keeps its books in SEK, but organization "toyen" keeps them in NOK; import it under an --org of its own.',
    );
    expect(await dumpLedger(warehouse)).toEqual(before);

    const vatNotation = join(dir, 'vat.xml');
    writeFileSync(vatNotation, toyenXml().replace('<n1:RegistrationNumber>888888888</n1:RegistrationNumber>', '<n1:RegistrationNumber>NO 888 888 888 MVA</n1:RegistrationNumber>'));
    expect((await importFile(warehouse, [vatNotation], { orgId: 'toyen' })).changes).toEqual({ inserted: 0, updated: 0, deleted: 0 });
  });
});

// Files that hold part of a fiscal year replace that part, never the rest of the year.

const count = async (sql: string, params: string[]) => Number((await warehouse.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${sql}`, params))!.n);

describe('a SAF-T file selecting some months', () => {
  // Tøyen selects January to April 2017.
  const toyen = toyenXml();

  /** Tøyen cut down to April, without April's transaction `drop`, with its control totals redone. */
  function april(drop: string): string {
    let entries = 0;
    let debit = 0n;
    let credit = 0n;
    const sum = (side: string, t: string) => [...t.matchAll(new RegExp(`<n1:${side}>\\s*<n1:Amount>([^<]+)</n1:Amount>`, 'g'))].reduce((s, m) => s + parseMoney(m[1]!)!, 0n);
    const body = toyen.replace(/\s*<n1:Transaction>[\s\S]*?<\/n1:Transaction>/g, (t) => {
      if (!t.includes('<n1:Period>04</n1:Period>') || t.includes(`<n1:TransactionID>${drop}</n1:TransactionID>`)) return '';
      entries++;
      debit += sum('DebitAmount', t);
      credit += sum('CreditAmount', t);
      return t;
    });
    return body
      .replace('<n1:PeriodStart>01</n1:PeriodStart>', '<n1:PeriodStart>04</n1:PeriodStart>')
      .replace(/<n1:NumberOfEntries>\d+<\/n1:NumberOfEntries>/, `<n1:NumberOfEntries>${entries}</n1:NumberOfEntries>`)
      .replace(/<n1:TotalDebit>[^<]+<\/n1:TotalDebit>/, `<n1:TotalDebit>${formatMoney(debit)}</n1:TotalDebit>`)
      .replace(/<n1:TotalCredit>[^<]+<\/n1:TotalCredit>/, `<n1:TotalCredit>${formatMoney(credit)}</n1:TotalCredit>`);
  }

  it("replaces April's vouchers and keeps January to March and the year's opening balances", async () => {
    const orgId = 'toyen';
    const full = join(dir, 'toyen.xml');
    writeFileSync(full, toyen);
    await importFile(warehouse, [full], { orgId });
    const aprilIds = await warehouse.all<{ voucher_id: string; voucher_number: string }>(
      "SELECT voucher_id, voucher_number FROM voucher WHERE org_id = $1 AND voucher_date >= DATE '2017-04-01' ORDER BY voucher_date, voucher_id",
      [orgId],
    );
    const before = {
      vouchers: await count('voucher WHERE org_id = $1', [orgId]),
      beforeApril: await count("voucher WHERE org_id = $1 AND voucher_date < DATE '2017-04-01'", [orgId]),
      openings: await count('opening_balance WHERE org_id = $1', [orgId]),
    };
    expect(aprilIds.length).toBeGreaterThan(1);
    expect(before.openings).toBeGreaterThan(0);

    const dropped = aprilIds[0]!;
    const partial = join(dir, 'toyen-april.xml');
    writeFileSync(partial, april(dropped.voucher_number));
    const summary = await importFile(warehouse, [partial], { orgId });

    expect(summary.changes).toEqual({ inserted: 0, updated: 0, deleted: 1 });
    expect(await count('voucher WHERE org_id = $1', [orgId])).toBe(before.vouchers - 1);
    expect(await count("voucher WHERE org_id = $1 AND voucher_date < DATE '2017-04-01'", [orgId])).toBe(before.beforeApril);
    expect(await count('voucher WHERE org_id = $1 AND voucher_id = $2', [orgId, dropped.voucher_id])).toBe(0);
    expect(await count('opening_balance WHERE org_id = $1', [orgId])).toBe(before.openings);
    expect(await warehouse.all("SELECT voucher_id, change FROM change_log WHERE org_id = $1 AND run_id = $2", [orgId, summary.runId])).toEqual([
      { voucher_id: dropped.voucher_id, change: 'deleted' },
    ]);
    // The whole selection again: the dropped voucher is back, the rest untouched.
    const again = await importFile(warehouse, [full], { orgId });
    expect(again.changes).toEqual({ inserted: 1, updated: 0, deleted: 0 });
  });
});

describe('a SIE 4I file', () => {
  it("adds its vouchers to the year and keeps the year's vouchers, balances and budget", async () => {
    const orgId = 'bl0001';
    await importFile(warehouse, [referencePath('sie', 'examples', 'BL0001_typ4.SE')], { orgId });
    const tables = ['voucher', 'opening_balance', 'account_balance', 'budget'] as const;
    const before = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(`${t} WHERE org_id = $1`, [orgId])])));
    expect(before.opening_balance).toBeGreaterThan(0);

    // BL Administration's 4I example is dated 2011 and states no year; here it feeds 2009/10.
    const feed = readFileSync(referencePath('sie', 'examples', 'BL0001_typ4I.SI'), 'latin1')
      .replace(/^#RAR 0.*$/m, '#RAR 0 20090701 20100630')
      .replace(/2011(\d{4})/g, '2009$1');
    const path = join(dir, 'feed.si');
    writeFileSync(path, feed, 'latin1');
    const summary = await importFile(warehouse, [path], { orgId });

    expect(summary.formatVersion).toBe('sie-4I');
    expect(summary.changes).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    for (const t of tables) expect(await count(`${t} WHERE org_id = $1`, [orgId]), t).toBe(before[t]! + (t === 'voucher' ? 1 : 0));
    // Idempotent like every import.
    expect((await importFile(warehouse, [path], { orgId })).changes).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    // Its voucher is unnumbered (`#VER "" 0`): numbered here by content, so another feed's
    // unnumbered voucher is one more voucher, not a new version of this one.
    const next = join(dir, 'next.si');
    writeFileSync(next, feed.replace('Kundfakt 2452 - 2455', 'Kundfakt 2456'), 'latin1');
    expect((await importFile(warehouse, [next], { orgId })).changes).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(await count('voucher WHERE org_id = $1', [orgId])).toBe(before.voucher! + 2);
    expect(await warehouse.all("SELECT voucher_id FROM voucher WHERE org_id = $1 AND voucher_id LIKE '%/4I-%' ORDER BY voucher_id", [orgId])).toEqual([
      { voucher_id: expect.stringMatching(/^2009\/\/4I-[\w-]{12}$/) },
      { voucher_id: expect.stringMatching(/^2009\/\/4I-[\w-]{12}$/) },
    ]);
    // A feed without vouchers changes nothing.
    const empty = join(dir, 'empty.si');
    writeFileSync(empty, feed.replace(/#VER[\s\S]*\}/, ''), 'latin1');
    expect((await importFile(warehouse, [empty], { orgId })).changes).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    for (const t of tables) expect(await count(`${t} WHERE org_id = $1`, [orgId]), t).toBe(before[t]! + (t === 'voucher' ? 2 : 0));
    // An empty number (`#VER A ""`), which the reader fills in with the voucher's place in the
    // file, must not take the place of the year's voucher A 1 either.
    const series = join(dir, 'series.si');
    writeFileSync(series, feed.replace('#VER "" 0 ', '#VER A "" ').replace('Kundfakt 2452 - 2455', 'Kundfakt 2457'), 'latin1');
    expect((await importFile(warehouse, [series], { orgId })).changes).toEqual({ inserted: 1, updated: 0, deleted: 0 });
  });
});

describe('a SIE 4E file without any voucher', () => {
  it("replaces the year's balances and keeps its vouchers: it may be an export cut before them", async () => {
    const orgId = 'ovning';
    const exempel = referencePath('sie', 'examples', 'SIE4_Exempelfil.SE');
    await importFile(warehouse, [exempel], { orgId });
    const bytes = readFileSync(exempel);
    const noVouchers = join(dir, 'no-vouchers.se');
    writeFileSync(noVouchers, bytes.subarray(0, bytes.indexOf('\n#VER ') + 1));
    const summary = await importFile(warehouse, [noVouchers], { orgId });
    expect(summary.warnings.map((w) => w.code)).toContain('no_vouchers');
    expect(summary.changes).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    expect(await count('voucher WHERE org_id = $1', [orgId])).toBe(295);
    expect(await count('opening_balance WHERE org_id = $1', [orgId])).toBeGreaterThan(0);
  });
});
