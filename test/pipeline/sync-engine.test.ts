import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadAheadBudget, ReadAhead, syncOrganization } from '../../pipeline/index.ts';
import type { Source, SourceFiscalYear, SourceStream, StreamEvent } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
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
