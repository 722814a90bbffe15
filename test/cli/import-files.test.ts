import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile, ImportRejectedError } from '../../cli/import-files.ts';
import { FileFormatError } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
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
