// The documents behind a Fortnox company's vouchers, end to end against the simulator over
// loopback: downloaded once and linked to their vouchers, a year whose ledger an SIE file
// loaded kept (its documents read) unless replaced, and documents leaving with their year.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWithOptions } from 'node:util';
import { writeSieFile } from '../../formats/index.ts';
import { readLedgerExport, readLedgerSources, Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { importFile, syncOrganization, type SyncOptions } from '../../pipeline/index.ts';
import { generateCompany, type FortnoxSimulator, type FxDocument } from '../../sandbox/index.ts';
import { connectFortnox, startFortnox, type FortnoxConnection } from '../helpers/fortnox-subject.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 5).toString('base64') };
const company = generateCompany({ seed: 29, country: 'SE', linesPerYear: 400, years: 3, currentYear: 2026 });
const clock = new FixedClock('2026-06-15');

type DocumentRow = { document_id: string; voucher_id: string; file_name: string | null; content_type: string; byte_size: string; sha256: string; stored_path: string; fiscal_year_start: string };
const documentRows = (warehouse: Warehouse) =>
  warehouse.all<DocumentRow>(
    'SELECT document_id, voucher_id, file_name, content_type, byte_size::VARCHAR AS byte_size, sha256, stored_path, fiscal_year_start::VARCHAR AS fiscal_year_start FROM document ORDER BY document_id',
  );

describe('Fortnox documents', () => {
  let sim: FortnoxSimulator;
  beforeAll(async () => {
    sim = await startFortnox([company], clock, { documents: 15 });
  });
  afterAll(() => sim.close());

  const years = () => sim.truth(0).years;
  const yearStartOf = (date: string) => years().find((y) => y.start <= date && date <= y.end)!.start;
  const documentId = (d: FxDocument) => (d.kind === 'receipt' ? `voucher:${d.fileId}` : d.kind === 'supplierinvoice' ? `supplierinvoice:${d.fileId}` : `invoice:${d.number}`);
  const voucherId = (d: FxDocument) => `${yearStartOf(d.voucher.date).slice(0, 4)}/${d.voucher.series}/${d.voucher.number}`;
  /** File bodies the simulator served: archive files and invoice previews. */
  const downloads = () => Object.entries(sim.stats().byPath).reduce((n, [path, count]) => n + (/^\/3\/archive\/|\/preview$/.test(path) ? count : 0), 0);

  async function connected(): Promise<{ dir: string; warehouse: Warehouse; connection: FortnoxConnection }> {
    const dir = tempDir();
    const connection = await connectFortnox(sim, { origin: new URL(sim.apiBaseUrl).origin, orgId: 'acme', dir, env, clock });
    return { dir, warehouse: await Warehouse.open(join(dir, 'w.duckdb')), connection };
  }
  const sync = async (c: { warehouse: Warehouse; connection: FortnoxConnection }, more: Partial<SyncOptions> = {}) => {
    const summary = await syncOrganization(c.warehouse, await c.connection.source(), { orgId: 'acme', clock, ...more });
    expect(summary.status, formatWithOptions({ depth: 4 }, '%o', summary.streams.filter((s) => s.status === 'failed'))).toBe('succeeded');
    return summary;
  };

  it('downloads every file once, stores it by content, and links it to its voucher; a second sync downloads nothing', async () => {
    const c = await connected();
    try {
      sim.resetStats();
      await sync(c);
      const expected = sim.documents(0);
      expect(expected.map((d) => d.kind)).toEqual(expect.arrayContaining(['receipt', 'supplierinvoice', 'invoice']));
      expect(downloads()).toBe(expected.length);

      const rows = await documentRows(c.warehouse);
      expect(rows.map((r) => [r.document_id, r.voucher_id]).sort()).toEqual(expected.map((d) => [documentId(d), voucherId(d)]).sort());
      // Each is linked to a voucher the warehouse holds, in that voucher's fiscal year.
      expect(await c.warehouse.all('SELECT d.document_id FROM document d ANTI JOIN voucher v USING (org_id, voucher_id)')).toEqual([]);
      expect(await c.warehouse.all('SELECT d.document_id FROM document d JOIN voucher v USING (org_id, voucher_id) WHERE d.fiscal_year_start <> v.fiscal_year_start')).toEqual([]);
      for (const d of expected) {
        const row = rows.find((r) => r.document_id === documentId(d))!;
        const bytes = sim.documentContent(0, d);
        expect(row.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(Number(row.byte_size)).toBe(bytes.byteLength);
        expect(row.content_type).toBe(d.contentType);
        expect(readFileSync(join(c.dir, row.stored_path)).equals(Buffer.from(bytes))).toBe(true);
        if (d.kind === 'supplierinvoice') expect(row.file_name).toBe(d.name);
      }
      // The name that climbs out of folders is a name in a row, and nothing landed outside the document folder.
      expect(rows.some((r) => r.file_name?.startsWith('../../'))).toBe(true);
      expect(readdirSync(c.dir).filter((f) => !f.startsWith('w.duckdb') && f !== 'ledgerhouse.json' && f !== '.ledgerhouse')).toEqual([]);
      expect(rows.every((r) => r.stored_path === `w.duckdb.documents/${r.sha256.slice(0, 2)}/${r.sha256.slice(2)}`)).toBe(true);

      sim.resetStats();
      const again = await sync(c, { full: true });
      expect(again.streams.filter((s) => s.stream === 'documents').map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(downloads()).toBe(0);
      expect(await documentRows(c.warehouse)).toEqual(rows);
    } finally {
      c.warehouse.close();
    }
  });

  it('keeps the ledger of a year an SIE file loaded, reads its documents, and replaces it only when told', async () => {
    // The year's SIE file, as the company's accountant would have sent it.
    const source = await connected();
    const middle = years()[1]!;
    const label = middle.start.slice(0, 4);
    const sie = join(source.dir, `acme-${label}.se`);
    try {
      await sync(source);
      await writeSieFile(await readLedgerExport(source.warehouse, 'acme', label), sie);
    } finally {
      source.warehouse.close();
    }

    const c = await connected();
    try {
      await importFile(c.warehouse, [sie], { orgId: 'acme' });
      const fromFile = await c.warehouse.all<{ voucher_id: string }>('SELECT voucher_id FROM voucher WHERE fiscal_year_start = $1::DATE ORDER BY voucher_id', [middle.start]);
      expect(fromFile.length).toBeGreaterThan(0);

      sim.resetStats();
      const kept = await sync(c);
      expect(kept.keptFileLedgers.map((k) => k.message)).toEqual([
        `Fiscal year ${label}: the ledger imported from a SIE file was kept (its documents were read); run "ledgerhouse sync acme --fiscal-year ${label} --replace-file-ledger" to replace it with fortnox's.`,
      ]);
      expect(kept.streams.filter((s) => s.slice === label).map((s) => [s.stream, s.status]).sort()).toEqual([['documents', 'succeeded'], ['opening_balances', 'skipped'], ['vouchers', 'skipped']]);
      expect(await c.warehouse.all('SELECT DISTINCT source FROM voucher WHERE fiscal_year_start = $1::DATE', [middle.start])).toEqual([{ source: 'sie' }]);
      // Its documents are there, linked to the vouchers the file loaded.
      const yearDocs = sim.documents(0).filter((d) => yearStartOf(d.voucher.date) === middle.start);
      expect(yearDocs.length).toBeGreaterThan(0);
      const linked = await c.warehouse.all<{ document_id: string }>(
        'SELECT document_id FROM document JOIN voucher USING (org_id, voucher_id) WHERE document.fiscal_year_start = $1::DATE ORDER BY document_id',
        [middle.start],
      );
      expect(linked.map((r) => r.document_id)).toEqual(yearDocs.map(documentId).sort());
      expect((await readLedgerSources(c.warehouse, 'acme')).get(middle.start)).toMatchObject({ source: 'sie', fromFile: true });

      const replaced = await sync(c, { replaceFileLedger: true });
      expect(replaced.keptFileLedgers).toEqual([]);
      expect(replaced.streams.filter((s) => s.slice === label && s.stream === 'vouchers').map((s) => s.status)).toEqual(['succeeded']);
      expect((await readLedgerSources(c.warehouse, 'acme')).get(middle.start)).toMatchObject({ source: 'fortnox', fromFile: false });
      // The provider's ledger of the year is the file's, voucher for voucher.
      expect(await c.warehouse.all('SELECT voucher_id FROM voucher WHERE fiscal_year_start = $1::DATE ORDER BY voucher_id', [middle.start])).toEqual(fromFile);
    } finally {
      c.warehouse.close();
    }
  });

  it("removes a year's documents, rows and files, when the year leaves the history window", async () => {
    const c = await connected();
    try {
      await sync(c, { keepYears: 3 });
      const before = await documentRows(c.warehouse);
      const oldest = years()[0]!.start;
      const leaving = before.filter((r) => r.fiscal_year_start === oldest);
      expect(leaving.length).toBeGreaterThan(0);

      await sync(c, { keepYears: 2 });
      const after = await documentRows(c.warehouse);
      expect(after).toEqual(before.filter((r) => r.fiscal_year_start !== oldest));
      const onDisk = new Set(readdirSync(join(c.dir, 'w.duckdb.documents'), { recursive: true }).map((p) => `w.duckdb.documents/${String(p)}`));
      for (const r of leaving) expect(onDisk.has(r.stored_path), r.document_id).toBe(after.some((a) => a.sha256 === r.sha256));
      for (const r of after) expect(onDisk.has(r.stored_path), r.document_id).toBe(true);
    } finally {
      c.warehouse.close();
    }
  });
});
