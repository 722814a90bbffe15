import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../load/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');

describe('bin/ledgerhouse.js', () => {
  it('finishes an import whose output is piped into a reader that stopped early', async () => {
    const warehouse = join(tempDir(), 'w.duckdb');
    const xml = referencePath('saf-t', 'examples', 'ExampleFile SAF-T Financial_888888888_20180228235959.xml');
    const child = spawn(process.execPath, [bin, 'import', xml, '--org', 'toyen', '--warehouse', warehouse], { stdio: ['ignore', 'pipe', 'pipe'] });
    // As `| head -c 1` does: read once, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const w = await Warehouse.open(warehouse);
    try {
      expect(await w.one("SELECT count(*)::INTEGER AS n FROM voucher WHERE org_id = 'toyen'")).toEqual({ n: 53 });
    } finally {
      w.close();
    }
  });
});
