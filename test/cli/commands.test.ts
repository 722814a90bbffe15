import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/index.ts';
import { Warehouse } from '../../load/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out: () => out.join('\n'), err: () => err.join('\n') };
}

describe('the ledgerhouse command', () => {
  afterEach(() => vi.restoreAllMocks());

  it('imports, prints a summary and a trial balance, and exports both formats', async () => {
    const dir = tempDir();
    const warehouse = join(dir, 'w.duckdb');
    const sie = referencePath('sie', 'examples', 'SIE4_Exempelfil.SE');
    let io = capture();
    expect(await main(['import', sie, '--org', 'ovning', '--warehouse', warehouse])).toBe(0);
    expect(io.out()).toContain('fiscal year 2021: 295 vouchers, 1330 lines, debit 34197905.88, credit 34197905.88');
    expect(io.out()).toContain('sie-4E, encoding cp437');
    // The marts are rebuilt and a snapshot published for the dashboards after the run.
    expect(io.out()).toMatch(/^Marts rebuilt in \d+\.\d s/m);
    const published = await Warehouse.open(join(dir, 'published', 'w.duckdb'));
    try {
      expect(await published.one("SELECT count(*)::INTEGER AS n FROM mart_monthly_trial_balance WHERE org_id = 'ovning'")).toEqual({ n: expect.any(Number) });
      expect((await published.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM ledger_line WHERE org_id = 'ovning'"))?.n).toBe(1330);
    } finally {
      published.close();
    }

    vi.restoreAllMocks();
    io = capture();
    expect(await main(['trial-balance', '--org', 'ovning', '--warehouse', warehouse])).toBe(0);
    expect(io.out()).toMatch(/^total\s+0,00\s+34 197 905,88\s+34 197 905,88\s+0,00$/m);

    for (const format of ['saft', 'sie']) {
      vi.restoreAllMocks();
      io = capture();
      const out = join(dir, `ovning.${format}`);
      expect(await main(['export', '--org', 'ovning', '--format', format, '--fiscal-year', '2021', '--out', out, '--warehouse', warehouse]), io.err()).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(io.out()).toContain('295 vouchers');
      vi.restoreAllMocks();
      io = capture();
      expect(await main(['import', out, '--org', `copy-${format}`, '--warehouse', warehouse]), io.err()).toBe(0);
      expect(io.out()).toContain('295 vouchers, 1330 lines, debit 34197905.88, credit 34197905.88');
    }
    expect(readFileSync(join(dir, 'ovning.sie')).subarray(0, 8).toString()).toBe('#FLAGGA ');
  });

  it('says what is wrong with an unknown fiscal year or organization', async () => {
    const dir = tempDir();
    const warehouse = join(dir, 'w.duckdb');
    const io = capture();
    expect(await main(['export', '--org', 'nobody', '--format', 'sie', '--fiscal-year', '2021', '--warehouse', warehouse])).toBe(1);
    expect(io.err()).toBe('The warehouse has no organization "nobody"; import or sync it first.');
    expect(await main(['export', '--org', 'nobody', '--format', 'pdf', '--fiscal-year', '2021', '--warehouse', warehouse])).toBe(2);
    expect(io.err()).toContain('--format must be saft or sie, not "pdf".');
    expect(await main(['frobnicate'])).toBe(2);
  });

  it('imports the other files when one of several fails, and says which failed', async () => {
    const dir = tempDir();
    const warehouse = join(dir, 'w.duckdb');
    const empty = join(dir, 'empty.se');
    writeFileSync(empty, '');
    const typ4 = referencePath('sie', 'examples', 'BL0001_typ4.SE');
    const typ3 = referencePath('sie', 'examples', 'BL0001_typ3.SE');
    const io = capture();
    expect(await main(['import', typ4, empty, typ3, '--org', 'seee', '--warehouse', warehouse])).toBe(1);
    expect(io.out()).toContain(`Imported ${typ4} (sie-4E`);
    expect(io.out()).toContain(`Imported ${typ3} (sie-3`);
    expect(io.err()).toMatch(/^\S*empty\.se[^\n]*\n1 of 3 imports failed \(empty\.se\); the others were imported\.$/);
  });
});
