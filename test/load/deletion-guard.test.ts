import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { importFile } from '../../pipeline/index.ts';
import { ALWAYS_ALLOWED_DELETIONS, DeletionsHeldError, deletionsHeld, MAX_DELETED_SHARE, MIN_REMAINING_SHARE, Warehouse } from '../../load/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';

let dir: string;
let warehouse: Warehouse;
beforeEach(async () => {
  dir = tempDir();
  warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
});
afterEach(() => warehouse.close());

/** SIE4_Exempelfil.SE (no #KSUMMA) as text, and its vouchers' `#VER … { … }` blocks. */
function sieFile() {
  const text = iconv.decode(readFileSync(referencePath('sie', 'examples', 'SIE4_Exempelfil.SE')), 'cp437');
  const vouchers = [...text.matchAll(/^#VER[^\n]*\r?\n\{\r?\n[\s\S]*?^\}\r?\n/gm)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  return { text, vouchers };
}

function write(name: string, text: string, encoding = 'cp437'): string {
  const path = join(dir, name);
  writeFileSync(path, iconv.encode(text, encoding));
  return path;
}

const lastRun = () => warehouse.one<{ status: string; error: string | null; stats: string }>('SELECT status, error, stats FROM sync_run ORDER BY started_at DESC LIMIT 1');

describe('the deletion guard', () => {
  it('holds back a SIE file cut at a line end between two vouchers, and commits it with --accept-deletions', async () => {
    const { text, vouchers } = sieFile();
    expect(text).not.toContain('#KSUMMA');
    const full = write('full.se', text);
    const first = await importFile(warehouse, [full], { orgId: 'acme' });
    const held = first.years[0]!.vouchers;
    expect(held).toBe(vouchers.length);
    const before = await dumpLedger(warehouse);

    const kept = Math.floor(vouchers.length / 3);
    const cut = write('cut.se', text.slice(0, vouchers[kept]!.start));
    const refused = await importFile(warehouse, [cut], { orgId: 'acme' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeletionsHeldError);
    const message = (refused as Error).message;
    expect(message).toContain(`would delete ${held - kept} of the ${held} vouchers of fiscal year ${first.years[0]!.label}`);
    expect(message).toContain('organization "acme"');
    expect(message).toContain('--accept-deletions');
    expect(message.split('. ').length).toBe(1);
    expect(await dumpLedger(warehouse)).toEqual(before);
    expect(await lastRun()).toMatchObject({ status: 'failed', error: message });

    const accepted = await importFile(warehouse, [cut], { orgId: 'acme', acceptDeletions: true });
    expect(accepted.changes).toEqual({ inserted: 0, updated: 0, deleted: held - kept });
    expect(JSON.parse((await lastRun())!.stats)).toMatchObject({ accept_deletions: true, changes: { deleted: held - kept } });
    expect(await warehouse.one("SELECT count(*)::INT AS n FROM voucher WHERE org_id = 'acme'")).toEqual({ n: kept });
  });

  it('lets ordinary edits and deletes at the source through', async () => {
    const { text, vouchers } = sieFile();
    await importFile(warehouse, [write('full.se', text)], { orgId: 'acme' });
    // The most the guard lets through on this year: deletions in the middle and an edited voucher.
    const allowed = Math.min(ALWAYS_ALLOWED_DELETIONS, vouchers.length - Math.ceil(vouchers.length * MIN_REMAINING_SHARE));
    const dropped = new Set(Array.from({ length: allowed }, (_, i) => 10 + 3 * i));
    let edited = '';
    for (const [i, v] of vouchers.entries()) {
      if (i === 0) edited += text.slice(0, v.start);
      const block = text.slice(v.start, v.end);
      if (!dropped.has(i)) edited += i === 1 ? block.replace(/^(#VER\s+\S+\s+\S+\s+\S+\s+)\S+/m, '$1"edited at the source"') : block;
      edited += text.slice(v.end, vouchers[i + 1]?.start ?? text.length);
    }
    const summary = await importFile(warehouse, [write('edited.se', edited)], { orgId: 'acme' });
    expect(summary.changes).toEqual({ inserted: 0, updated: 1, deleted: allowed });
    expect(JSON.parse((await lastRun())!.stats).accept_deletions).toBeUndefined();
  });

  it('holds back a SAF-T file missing its last transactions and control totals, even with --force', async () => {
    const xml = readFileSync(referencePath('saf-t', 'examples', 'ExampleFile SAF-T Financial_888888888_20180228235959.xml'), 'utf8');
    await importFile(warehouse, [write('full.xml', xml, 'utf8')], { orgId: 'toyen' });
    const before = await dumpLedger(warehouse);
    const transactions = [...xml.matchAll(/\s*<n1:Transaction>[\s\S]*?<\/n1:Transaction>/g)];
    const keep = Math.floor(transactions.length / 2);
    const last = transactions.at(-1)!;
    const cut = (xml.slice(0, transactions[keep]!.index) + xml.slice(last.index + last[0].length)).replace(/\s*<n1:(NumberOfEntries|TotalDebit|TotalCredit)>[^<]*<\/n1:\1>/g, '');
    const refused = await importFile(warehouse, [write('cut.xml', cut, 'utf8')], { orgId: 'toyen', force: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeletionsHeldError);
    expect((refused as Error).message).toMatch(new RegExp(`would delete ${transactions.length - keep} of the ${transactions.length} vouchers`));
    expect(await dumpLedger(warehouse)).toEqual(before);
  });

  it('has documented thresholds: a share of the year, a few always, and a year not much smaller', () => {
    expect(deletionsHeld(1000, Math.floor(1000 * MAX_DELETED_SHARE), 1000)).toBe(false);
    expect(deletionsHeld(1000, Math.floor(1000 * MAX_DELETED_SHARE) + 1, 1000)).toBe(true);
    expect(deletionsHeld(20, ALWAYS_ALLOWED_DELETIONS, 20)).toBe(false);
    expect(deletionsHeld(20, ALWAYS_ALLOWED_DELETIONS + 1, 20)).toBe(true);
    expect(deletionsHeld(4, 2, 2)).toBe(MIN_REMAINING_SHARE > 0.5);
    expect(deletionsHeld(3, 2, 1)).toBe(true);
    expect(deletionsHeld(3, 1, 2)).toBe(false);
    expect(deletionsHeld(0, 0, 5)).toBe(false);
  });
});
