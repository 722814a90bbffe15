import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLedgerEvents, ReadAheadBudget, ReadAhead, syncOrganization } from '../../pipeline/index.ts';
import type { Source, SourceFiscalYear, SourceStream, StreamEvent } from '../../extract/index.ts';
import { DocumentStore, readLedgerSources, Warehouse } from '../../load/index.ts';
import { FixedClock, type LedgerEvent } from '../../model/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A source of `n` pages that records how far it was pulled and whether it was closed. */
function pagesOf(n: number, failAt?: number) {
  const seen = { pulled: 0, closed: false };
  async function* source(): AsyncGenerator<number, string> {
    try {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error(`page ${i} failed`);
        seen.pulled++;
        yield i;
      }
      return 'cursor';
    } finally {
      seen.closed = true;
    }
  }
  return { source: source(), seen };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('ReadAhead', () => {
  it('gives every page in order, then the return value', async () => {
    const { source } = pagesOf(5);
    const ahead = new ReadAhead(source, new ReadAheadBudget(2));
    const got: number[] = [];
    for (let r = await ahead.next(); ; r = await ahead.next()) {
      if (r.done) {
        expect(r.value).toBe('cursor');
        break;
      }
      got.push(r.value);
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads ahead no more pages than the budget shared by every open source', async () => {
    const budget = new ReadAheadBudget(3);
    const first = pagesOf(10);
    let firstDone = false;
    new ReadAhead(first.source, budget, () => (firstDone = true));
    await settle();
    expect(first.seen.pulled).toBe(3);
    const second = pagesOf(10);
    new ReadAhead(second.source, budget);
    await settle();
    expect(second.seen.pulled).toBe(0);
    expect(firstDone).toBe(false);
  });

  it('hands back what it buffered and closes the source when abandoned', async () => {
    const budget = new ReadAheadBudget(3);
    const first = pagesOf(10);
    let done = false;
    const ahead = new ReadAhead(first.source, budget, () => (done = true));
    expect(await ahead.next()).toEqual({ value: 0, done: false });
    ahead.abandon();
    await settle();
    expect(first.seen.closed).toBe(true);
    expect(done).toBe(true);
    const second = pagesOf(10);
    new ReadAhead(second.source, budget);
    await settle();
    expect(second.seen.pulled).toBe(3);
  });

  it("passes the source's failure on after the pages before it, and reports it done", async () => {
    const { source } = pagesOf(5, 2);
    let done = false;
    const ahead = new ReadAhead(source, new ReadAheadBudget(8), () => (done = true));
    expect(await ahead.next()).toEqual({ value: 0, done: false });
    expect(await ahead.next()).toEqual({ value: 1, done: false });
    await expect(ahead.next()).rejects.toThrow('page 2 failed');
    expect(done).toBe(true);
  });
});

/**
 * A source of the contract alone, so the engine's side of it is what is tested: one
 * organization stream of journals, and a closed year whose balance stream records the
 * year it was given. `extra` streams are added as given.
 */
function contractSource(read: SourceFiscalYear[], extra: SourceStream[] = []): Source {
  const year: SourceFiscalYear = { start_date: '2024-01-01', end_date: '2024-12-31', label: '2024', is_closed: true, source_year_ref: 'fy-2024' };
  const at = { file: 'test' };
  return {
    provider: 'tripletex',
    organization: async () => ({ name: 'Acme AS', country: 'NO', org_number: '888888888', base_currency: 'NOK', source_company_ref: 'acme' }),
    fiscalYears: async () => [year],
    streams: [
      {
        name: 'journals', scope: 'organization', replaces: 'masters', incremental: false,
        async *read() {
          yield [{ kind: 'journal', row: { journal_id: 'GL', name: 'General', journal_type: 'voucher_type', extra: null }, location: at }];
          return null;
        },
      },
      {
        name: 'opening_balances', scope: 'fiscal_year', replaces: 'balances', incremental: false,
        async *read(slice) {
          read.push(slice.fiscalYear!);
          yield [{ kind: 'balance', row: { account_id: '1930', balance_type: 'opening', as_of: '2024-01-01', dimension_type: null, dimension_id: null, amount: 100n }, location: at }];
          return null;
        },
      },
      ...extra,
    ],
    close: async () => undefined,
  };
}

describe('syncOrganization', () => {
  it('emits the organization header itself and fails a stream that yields one', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const header: LedgerEvent = {
        kind: 'header',
        location: { file: 'test' },
        header: {
          format: 'tripletex', format_version: 'tripletex-api', declared_version: null, encoding: null, software: null,
          organization: { name: 'Someone Else AS', country: 'NO', org_number: '999999999', base_currency: 'NOK', source_company_ref: 'else' },
          selection_start: null, selection_end: null, fiscal_years: [], extra: null,
        },
      };
      const rogue: SourceStream = {
        name: 'rogue', scope: 'organization', replaces: 'masters', incremental: false,
        async *read() {
          // A JavaScript stream is not held to the types: the engine checks.
          yield [header as unknown as StreamEvent];
          return null;
        },
      };
      const clock = new FixedClock('2025-03-01');
      const summary = await syncOrganization(warehouse, contractSource([], [rogue]), { orgId: 'acme', clock });
      expect(summary.status).toBe('partial');
      const outcome = (stream: string) => summary.streams.find((o) => o.stream === stream)!;
      expect(outcome('journals').status).toBe('succeeded');
      expect(outcome('rogue')).toMatchObject({ status: 'failed' });
      expect(outcome('rogue').note).toMatch(/the tripletex rogue stream yielded a header; only the sync engine emits the organization header/);
      expect(await warehouse.all('SELECT name, org_number, source_company_ref FROM organization')).toEqual([{ name: 'Acme AS', org_number: '888888888', source_company_ref: 'acme' }]);
    } finally {
      warehouse.close();
    }
  });

  it("hands each year's slice the provider's own id for the year, and keeps the warehouse's fiscal_year as it was", async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const read: SourceFiscalYear[] = [];
      const summary = await syncOrganization(warehouse, contractSource(read), { orgId: 'acme', clock: new FixedClock('2025-03-01') });
      expect(summary.status).toBe('succeeded');
      expect(read.map((y) => y.source_year_ref)).toEqual(['fy-2024']);
      const columns = await warehouse.all<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'fiscal_year' ORDER BY ordinal_position");
      expect(columns.map((c) => c.column_name)).toEqual(['org_id', 'start_date', 'end_date', 'label', 'is_closed']);
      expect(await warehouse.all("SELECT start_date::VARCHAR AS start_date, label, is_closed FROM fiscal_year")).toEqual([{ start_date: '2024-01-01', label: '2024', is_closed: true }]);
    } finally {
      warehouse.close();
    }
  });

  it("re-reads a closed year once a week by the run's clock, whatever the machine's date", async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const read: SourceFiscalYear[] = [];
      // Far from the machine's date either way: only the injected clock can make these pass.
      const clock = new FixedClock('2040-06-01');
      const balances = async () => (await syncOrganization(warehouse, contractSource(read), { orgId: 'acme', clock })).streams.find((o) => o.stream === 'opening_balances')!;
      expect((await balances()).status).toBe('succeeded');
      clock.set('2040-06-07');
      expect(await balances()).toMatchObject({ status: 'skipped', note: expect.stringContaining('closed year, read 2040-06-01; re-read weekly') });
      clock.set('2040-06-08');
      expect((await balances()).status).toBe('succeeded');
      expect(read).toHaveLength(2);
    } finally {
      warehouse.close();
    }
  });
});

describe('the closing check of an API sync', () => {
  /** One year: a voucher moving 50.00 from 3000 to 1930, and balances stated with 1930 closing at `closing1930` øre. */
  function tyingSource(closing1930: bigint): Source {
    const year: SourceFiscalYear = { start_date: '2024-01-01', end_date: '2024-12-31', label: '2024', is_closed: false, source_year_ref: '2024' };
    const at = { file: 'test' };
    const line = (account_id: string, amount: bigint) => ({ account_id, amount, currency: null, currency_amount: null, vat_code: null, description: null, party_type: null, party_id: null, dimensions: [], extra: null });
    const balance = (account_id: string, balance_type: 'opening' | 'closing', amount: bigint): StreamEvent => ({
      kind: 'balance', row: { account_id, balance_type, as_of: balance_type === 'opening' ? year.start_date : year.end_date, dimension_type: null, dimension_id: null, amount }, location: at,
    });
    return {
      provider: 'fiken',
      organization: async () => ({ name: 'Acme AS', country: 'NO', org_number: '888888888', base_currency: 'NOK', source_company_ref: 'acme' }),
      fiscalYears: async () => [year],
      streams: [
        {
          name: 'vouchers', scope: 'fiscal_year', replaces: 'vouchers', incremental: false,
          async *read() {
            yield [{ kind: 'voucher', voucher: { journal_id: 'GL', voucher_number: '1', voucher_date: '2024-03-01', posting_date: null, description: null, source_modified_at: null, extra: null, lines: [line('1930', 5_000n), line('3000', -5_000n)] }, location: at }];
            return null;
          },
        },
        {
          name: 'opening_balances', scope: 'fiscal_year', replaces: 'balances', incremental: false,
          async *read() {
            yield [balance('1930', 'opening', 10_000n), balance('1930', 'closing', closing1930), balance('3000', 'closing', -5_000n)];
            return null;
          },
        },
      ],
      close: async () => undefined,
    };
  }

  it('finds nothing when the balances the provider states tie out to the vouchers read', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const summary = await syncOrganization(warehouse, tyingSource(15_000n), { orgId: 'acme', clock: new FixedClock('2024-06-01') });
      expect(summary.status).toBe('succeeded');
      expect(summary.warnings).toEqual([]);
    } finally {
      warehouse.close();
    }
  });

  it('warns of a closing balance that is not opening + movements, and keeps the warning in import_issue', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const summary = await syncOrganization(warehouse, tyingSource(16_000n), { orgId: 'acme', clock: new FixedClock('2024-06-01') });
      expect(summary.status).toBe('succeeded');
      expect(summary.warnings.map((w) => w.message)).toEqual([
        'fiken states a closing balance of 160.00 for account 1930 in fiscal year 2024, but opening 100.00 + the vouchers read 50.00 = 150.00 (difference 10.00); run "ledgerhouse sync acme --fiscal-year 2024" to read the year again.',
      ]);
      expect(await warehouse.all('SELECT severity, code, path FROM import_issue WHERE run_id = $1', [summary.runId])).toEqual([{ severity: 'warning', code: 'closing_mismatch', path: 'balances/2024/1930' }]);
    } finally {
      warehouse.close();
    }
  });
});

describe('documents in an API sync', () => {
  const at = { file: 'test' };
  const org = { name: 'Acme AB', country: 'SE' as const, org_number: '5566778899', base_currency: 'SEK', source_company_ref: 'acme' };
  const yearOf = (y: number): SourceFiscalYear => ({ start_date: `${y}-01-01`, end_date: `${y}-12-31`, label: String(y), is_closed: false, source_year_ref: `fy${y}` });
  const line = (account_id: string, amount: bigint) => ({ account_id, amount, currency: null, currency_amount: null, vat_code: null, description: null, party_type: null, party_id: null, dimensions: [], extra: null });
  const voucher = (date: string, number: string): StreamEvent => ({
    kind: 'voucher', location: at,
    voucher: { journal_id: 'A', voucher_number: number, voucher_date: date, posting_date: null, description: `voucher ${number}`, source_modified_at: null, extra: null, lines: [line('1930', 10_000n), line('3000', -10_000n)] },
  });

  interface RemoteFile { id: string; name: string; bytes: Buffer; voucher: string; failAfter?: number }
  /**
   * A provider whose years each hold voucher A 1 and the files `files(year)` attached to it.
   * `downloads` counts the bodies asked for; a file with `failAfter` breaks off midway.
   */
  function documentSource(years: SourceFiscalYear[], files: (year: SourceFiscalYear) => RemoteFile[]) {
    const counts = { downloads: 0, voucherReads: 0 };
    const source: Source = {
      provider: 'fortnox',
      organization: async () => org,
      fiscalYears: async () => years,
      streams: [
        {
          name: 'vouchers', scope: 'fiscal_year', replaces: 'vouchers', incremental: false,
          async *read(slice) {
            counts.voucherReads++;
            yield [voucher(slice.fiscalYear!.start_date.replace('-01-01', '-02-01'), '1')];
            return null;
          },
        },
        {
          name: 'documents', scope: 'fiscal_year', replaces: 'documents', incremental: false,
          async *read(slice) {
            const year = slice.fiscalYear!;
            const page: StreamEvent[] = [];
            for (const f of files(year)) {
              const id = `voucher:${f.id}`;
              let stored = slice.documents!.held(id);
              if (!stored) {
                counts.downloads++;
                const body = async function* () {
                  yield f.bytes.subarray(0, f.failAfter ?? f.bytes.length);
                  if (f.failAfter !== undefined) throw new Error('connection reset mid-body');
                };
                stored = { ...(await slice.documents!.store(body())), content_type: 'application/pdf' };
              }
              page.push({
                kind: 'document', location: at,
                row: { document_id: id, voucher: { journal_id: 'A', voucher_number: f.voucher }, fiscal_year_start: year.start_date, file_name: f.name, content_type: stored.content_type, byte_size: stored.byte_size, sha256: stored.sha256, stored_path: stored.stored_path },
              });
            }
            yield page;
            return null;
          },
        },
      ],
      close: async () => undefined,
    };
    return { source, counts };
  }

  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`);
  type DocRow = { document_id: string; voucher_id: string; file_name: string; sha256: string; stored_path: string; fiscal_year_start: string };
  const documents = (warehouse: Warehouse) =>
    warehouse.all<DocRow>('SELECT document_id, voucher_id, file_name, sha256, stored_path, fiscal_year_start::VARCHAR AS fiscal_year_start FROM document ORDER BY document_id');

  it('downloads each file once, links it to its voucher, and keeps a hostile name as a name only', async () => {
    const dir = tempDir();
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const files = [
        { id: 'f1', name: '../../etc/passwd', bytes: pdf('receipt'), voucher: '1' },
        { id: 'f2', name: 'kvitto.pdf', bytes: pdf('invoice'), voucher: '1' },
        // The same bytes under another id: a second row, one file.
        { id: 'f3', name: 'copy.pdf', bytes: pdf('invoice'), voucher: '1' },
      ];
      const { source, counts } = documentSource([yearOf(2024)], () => files);
      const clock = new FixedClock('2024-06-01');
      const first = await syncOrganization(warehouse, source, { orgId: 'acme', clock });
      expect(first.status).toBe('succeeded');
      expect(counts.downloads).toBe(3);
      const rows = await documents(warehouse);
      expect(rows.map((r) => [r.document_id, r.voucher_id, r.file_name, r.fiscal_year_start])).toEqual([
        ['voucher:f1', '2024/A/1', '../../etc/passwd', '2024-01-01'],
        ['voucher:f2', '2024/A/1', 'kvitto.pdf', '2024-01-01'],
        ['voucher:f3', '2024/A/1', 'copy.pdf', '2024-01-01'],
      ]);
      // Every row's voucher is in the warehouse, and every file is where its row says, with its bytes.
      expect(await warehouse.all('SELECT document_id FROM document WHERE voucher_id NOT IN (SELECT voucher_id FROM voucher)')).toEqual([]);
      for (const [i, r] of rows.entries()) {
        expect(r.stored_path).toBe(`w.duckdb.documents/${r.sha256.slice(0, 2)}/${r.sha256.slice(2)}`);
        expect(readFileSync(join(dir, r.stored_path)).equals(files[i]!.bytes)).toBe(true);
      }
      expect(existsSync(join(dir, '..', 'etc'))).toBe(false);
      expect(readdirSync(join(dir, 'w.duckdb.documents'), { recursive: true }).filter((p) => String(p).includes('/'))).toHaveLength(2);

      const second = await syncOrganization(warehouse, source, { orgId: 'acme', clock });
      expect(second.status).toBe('succeeded');
      expect(counts.downloads).toBe(3);
      expect(await documents(warehouse)).toEqual(rows);
    } finally {
      warehouse.close();
    }
  });

  it('commits nothing of a documents slice whose download breaks off, and leaves no file of it', async () => {
    const dir = tempDir();
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      let attached = false;
      const { source } = documentSource([yearOf(2024)], () => [
        { id: 'f1', name: 'a.pdf', bytes: pdf('first'), voucher: '1' },
        // A second file attached since, whose download breaks off.
        ...(attached ? [{ id: 'f2', name: 'b.pdf', bytes: Buffer.concat([pdf('second'), Buffer.alloc(200_000, 3)]), voucher: '1', failAfter: 100_000 }] : []),
      ]);
      const clock = new FixedClock('2024-06-01');
      await syncOrganization(warehouse, source, { orgId: 'acme', clock });
      const before = await documents(warehouse);
      expect(before).toHaveLength(1);
      attached = true;
      const summary = await syncOrganization(warehouse, source, { orgId: 'acme', clock });
      const outcome = summary.streams.find((s) => s.stream === 'documents')!;
      expect(outcome).toMatchObject({ status: 'failed', note: expect.stringContaining('connection reset mid-body') });
      // The slice's year keeps what it had; no row points at a missing file, no half file is left.
      expect(await documents(warehouse)).toEqual(before);
      for (const r of await documents(warehouse)) expect(existsSync(join(dir, r.stored_path))).toBe(true);
      const left = readdirSync(join(dir, 'w.duckdb.documents'), { recursive: true }).map(String).filter((p) => p.includes('/') || p.endsWith('.tmp'));
      expect(left).toEqual([before[0]!.stored_path.replace('w.duckdb.documents/', '')]);
    } finally {
      warehouse.close();
    }
  });

  it('removes, after a run that died, the files it stored that no row lists', async () => {
    const dir = tempDir();
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const { source } = documentSource([yearOf(2024)], () => [{ id: 'f1', name: 'a.pdf', bytes: pdf('kept'), voucher: '1' }]);
      const clock = new FixedClock('2024-06-01');
      await syncOrganization(warehouse, source, { orgId: 'acme', clock });
      // What a run killed after a download and before its commit leaves: a whole file no row
      // lists, and its run still `running`.
      const store = DocumentStore.of(warehouse);
      const orphan = await store.store((async function* () { yield pdf('downloaded, never committed'); })());
      store.release([orphan.sha256]); // the process that held it died
      await warehouse.run("INSERT INTO sync_run (run_id, org_id, source, trigger, started_at, status) VALUES ('killed', 'acme', 'fortnox', 'sync', now()::TIMESTAMP, 'running')");
      await syncOrganization(warehouse, source, { orgId: 'acme', clock });
      expect(store.has(orphan.sha256)).toBe(false);
      for (const r of await documents(warehouse)) expect(existsSync(join(dir, r.stored_path))).toBe(true);
    } finally {
      warehouse.close();
    }
  });

  it("removes a year's documents and their files when the year leaves the history window", async () => {
    const dir = tempDir();
    const warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
    try {
      const years = [yearOf(2023), yearOf(2024)];
      const shared = pdf('standing order');
      const { source } = documentSource(years, (y) => [
        { id: `own-${y.label}`, name: `${y.label}.pdf`, bytes: pdf(`only ${y.label}`), voucher: '1' },
        { id: `shared-${y.label}`, name: 'agreement.pdf', bytes: shared, voucher: '1' },
      ]);
      await syncOrganization(warehouse, source, { orgId: 'acme', keepYears: 2, clock: new FixedClock('2024-06-01') });
      const all = await documents(warehouse);
      expect(all).toHaveLength(4);
      const own2023 = all.find((r) => r.document_id === 'voucher:own-2023')!;

      years.push(yearOf(2025));
      const summary = await syncOrganization(warehouse, source, { orgId: 'acme', keepYears: 2, clock: new FixedClock('2025-06-01') });
      expect(summary.status).toBe('succeeded');
      const left = await documents(warehouse);
      expect(left.map((r) => r.fiscal_year_start).sort()).toEqual(['2024-01-01', '2024-01-01', '2025-01-01', '2025-01-01']);
      expect(existsSync(join(dir, own2023.stored_path))).toBe(false);
      // Bytes another year still lists stay.
      for (const r of left) expect(existsSync(join(dir, r.stored_path))).toBe(true);
    } finally {
      warehouse.close();
    }
  });
});

describe('a fiscal year whose ledger came from a file', () => {
  const at = { file: 'acme.se' };
  const org = { name: 'Acme AB', country: 'SE' as const, org_number: '5566778899', base_currency: 'SEK', source_company_ref: 'acme' };
  const year: SourceFiscalYear = { start_date: '2024-01-01', end_date: '2024-12-31', label: '2024', is_closed: false, source_year_ref: 'fy1' };
  const line = (account_id: string, amount: bigint) => ({ account_id, amount, currency: null, currency_amount: null, vat_code: null, description: null, party_type: null, party_id: null, dimensions: [], extra: null });
  const voucher = (number: string, description: string): StreamEvent => ({
    kind: 'voucher', location: at,
    voucher: { journal_id: 'A', voucher_number: number, voucher_date: '2024-03-01', posting_date: null, description, source_modified_at: null, extra: null, lines: [line('1930', 500n), line('3000', -500n)] },
  });

  async function* sieFile(): AsyncGenerator<LedgerEvent> {
    yield {
      kind: 'header', location: at,
      header: { format: 'sie', format_version: 'sie-4E', declared_version: '4', encoding: 'cp437', software: 'test', organization: org, selection_start: null, selection_end: null, fiscal_years: [year], extra: null },
    };
    yield voucher('1', 'from the file');
    yield voucher('2', 'only in the file');
  }

  function provider() {
    const read: string[] = [];
    const source: Source = {
      provider: 'fortnox',
      organization: async () => org,
      fiscalYears: async () => [year],
      streams: (['vouchers', 'opening_balances', 'documents'] as const).map((name): SourceStream => ({
        name, scope: 'fiscal_year', replaces: name === 'opening_balances' ? 'balances' : name, incremental: false,
        async *read() {
          read.push(name);
          if (name === 'vouchers') yield [voucher('1', 'from the provider')];
          return null;
        },
      })),
      close: async () => undefined,
    };
    return { source, read };
  }

  const ledger = (warehouse: Warehouse) => warehouse.all('SELECT voucher_id, description FROM voucher ORDER BY voucher_id');

  it('reads its documents but keeps its ledger, and says how to replace it', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await importLedgerEvents(warehouse, sieFile(), { orgId: 'acme', files: ['acme.se'], format: 'sie', sha256: 'f'.repeat(64) });
      const { source, read } = provider();
      const summary = await syncOrganization(warehouse, source, { orgId: 'acme', clock: new FixedClock('2024-06-01') });
      expect(summary.status).toBe('succeeded');
      expect(read).toEqual(['documents']);
      expect(summary.keptFileLedgers).toEqual([
        {
          label: '2024', source: 'sie',
          message: 'Fiscal year 2024: the ledger imported from a SIE file was kept (its documents were read); run "ledgerhouse sync acme --fiscal-year 2024 --replace-file-ledger" to replace it with fortnox\'s.',
        },
      ]);
      expect(await ledger(warehouse)).toEqual([{ voucher_id: '2024/A/1', description: 'from the file' }, { voucher_id: '2024/A/2', description: 'only in the file' }]);
      expect((await readLedgerSources(warehouse, 'acme')).get('2024-01-01')).toMatchObject({ source: 'sie', fromFile: true });
    } finally {
      warehouse.close();
    }
  });

  it('replaces it with the provider\'s when the operator says so, and then it is a provider year', async () => {
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      await importLedgerEvents(warehouse, sieFile(), { orgId: 'acme', files: ['acme.se'], format: 'sie', sha256: 'f'.repeat(64) });
      const asked: string[] = [];
      const { source, read } = provider();
      const summary = await syncOrganization(warehouse, source, {
        orgId: 'acme', clock: new FixedClock('2024-06-01'),
        replaceFileLedger: async (y, from) => (asked.push(`${y.label} ${from}`), true),
      });
      expect(asked).toEqual(['2024 sie']);
      expect(summary.keptFileLedgers).toEqual([]);
      expect(read.sort()).toEqual(['documents', 'opening_balances', 'vouchers']);
      expect(await ledger(warehouse)).toEqual([{ voucher_id: '2024/A/1', description: 'from the provider' }]);
      expect((await readLedgerSources(warehouse, 'acme')).get('2024-01-01')).toMatchObject({ source: 'fortnox', fromFile: false });
      // The next sync asks nothing: the year is the provider's now.
      const again = await syncOrganization(warehouse, provider().source, { orgId: 'acme', clock: new FixedClock('2024-06-02'), replaceFileLedger: async () => { throw new Error('asked again'); } });
      expect(again.status).toBe('succeeded');
    } finally {
      warehouse.close();
    }
  });
});
