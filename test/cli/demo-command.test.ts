import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/index.ts';
import { Warehouse } from '../../load/index.ts';
import { CredentialStore, providers } from '../../extract/index.ts';
import { credentialsDir } from '../../pipeline/index.ts';
import { hitsIn, hitsInFolder, secretValues } from '../helpers/secret-scan.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// The README's first command: it has to keep working on a fresh clone.
describe('ledgerhouse demo', () => {
  afterEach(() => vi.restoreAllMocks());

  it('generates, exports, imports, syncs the simulators and ends in a balanced trial balance', { timeout: 240_000 }, async () => {
    const out = join(tempDir(), 'demo');
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    expect(await main(['demo', '--out', out])).toBe(0);
    const printed = lines.join('\n');

    // Only the two reference files that are broken at the source are rejected.
    expect(printed.match(/: rejected: /g)).toHaveLength(2);
    expect(printed).toMatch(/Eksempelfil fra xmlSpy\.xml: rejected: /);
    expect(printed).toMatch(/generated_auditfile_formatted\.xml: rejected: /);
    const total = /^total\s+([\d\s,]+?)\s{2,}([\d\s,]+?)\s{2,}([\d\s,]+?)\s{2,}([\d\s,]+)$/m.exec(printed);
    expect(total, 'the trial balance has a total line').not.toBeNull();
    expect(total![2]).toBe(total![3]);

    const warehouse = await Warehouse.open(join(out, 'warehouse.duckdb'));
    try {
      const vouchers = await warehouse.all<{ org_id: string }>(
        "SELECT org_id FROM voucher WHERE org_id IN ('demo-no', 'demo-se', 'demo-tripletex', 'demo-fiken') GROUP BY org_id HAVING count(*) > 0 ORDER BY org_id",
      );
      expect(vouchers.map((v) => v.org_id)).toEqual(['demo-fiken', 'demo-no', 'demo-se', 'demo-tripletex']);
      expect(await warehouse.all("SELECT DISTINCT status FROM sync_run WHERE org_id LIKE 'demo-%'")).toEqual([{ status: 'succeeded' }]);
    } finally {
      warehouse.close();
    }
    expect(existsSync(join(out, 'reports', 'demo-no', 'index.html'))).toBe(true);

    // The secrets its simulators issued (as the demo stored them, refreshed tokens included)
    // are nowhere in what it printed or wrote: files, warehouse, snapshot, packs.
    const secretsDir = credentialsDir(join(out, 'ledgerhouse.json'));
    expect(existsSync(join(secretsDir, '.gitignore'))).toBe(true);
    const store = await CredentialStore.open(secretsDir, {});
    const secrets = (await Promise.all(providers.map(async (p) => secretValues(await store.get(`demo-${p.id}`))))).flat();
    expect(secrets.length).toBeGreaterThanOrEqual(providers.length);
    const scanned = await hitsInFolder(out, secrets);
    expect([...scanned.hits, ...hitsIn('the demo\'s output', printed, secrets)]).toEqual([]);
  });
});
