import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../cli/import-files.ts';
import { FileFormatError } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let dir: string;
let warehouse: Warehouse;
beforeEach(async () => {
  dir = tempDir();
  warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
});
afterEach(() => warehouse.close());

describe('importFile', () => {
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
});
