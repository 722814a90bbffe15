import type { FiscalYearRow, ImportIssue, IsoDate, OrganizationInfo } from '../model/index.ts';
import { BatchBuilder } from '../transform/index.ts';
import { unifiedTables } from '../model/index.ts';
import { ArrowAppender } from './arrow-appender.ts';
import type { Warehouse } from './warehouse.ts';
import { forgetSyncStates, ORGANIZATION_SLICE, writeLedgerSource, writeSyncState } from './sync-state.ts';
import { DeletionsHeldError, heldDeletions } from './deletion-guard.ts';

export interface SliceCommit {
  orgId: string;
  runId: string;
  /** `saft`, `sie`, or a provider name: what the slices came from. */
  source: string;
  organization: OrganizationInfo;
  /** JSON of what the source says about the organization beyond the columns (a file's header). */
  organizationExtra: string | null;
  /** Fiscal years the staged data covers; empty for a slice of master data only. */
  years: FiscalYearRow[];
  /**
   * What the slice replaces in those years. Vouchers: `year`, the years' vouchers as a whole
   * (one missing from the slice was deleted at the source); a period, the vouchers dated in it
   * as a whole (a file of some months); `read`, only the vouchers the slice holds (an
   * incremental read of what changed, a SIE 4I file); `none` (balance-only files and streams).
   * Balances and budgets: the years' as a whole; `stated`, only the balance dates and the
   * tables the slice has rows for (a file of some months states its own opening and closing
   * dates); or `none`. Documents: the years' as a whole, or `none` (the default).
   */
  replaces: { vouchers: 'year' | VoucherPeriod | 'read' | 'none'; balances: 'year' | 'stated' | 'none'; documents?: 'year' | 'none' };
  /** How many fiscal years to keep per organization: the newest and the ones before it. */
  keepYears: number;
  /**
   * Sync state to store with the data: per committed year, or once under the slice
   * `organization` when the commit has no years. The cursor is a file's sha256 or an API
   * cursor; `committedAt` is the run's clock's now (ms since the epoch).
   */
  syncState: { stream: string; cursor: string | null; committedAt: number };
  /** What the slices came from, as a person names it (file names), for messages. */
  sourceLabel: string;
  /** Warnings and forced-through errors to keep beside the data for analysts. */
  issues: ImportIssue[];
  /** The staging tables that hold rows (`temp.main.stage_<table>`); the others are not read. */
  staged: ReadonlySet<string>;
  /** Commit even deletions beyond the deletion guard's thresholds (`--accept-deletions`). */
  acceptDeletions?: boolean;
}

export interface VoucherPeriod {
  from: IsoDate;
  to: IsoDate;
}

export interface CommitOutcome {
  committedYears: FiscalYearRow[];
  /** Years in the source older than the history window: not loaded. */
  skippedYears: FiscalYearRow[];
  /** Years the warehouse held that fell out of the window and were removed. */
  expiredYears: string[];
  changes: { inserted: number; updated: number; deleted: number };
}

const masterTables = [
  ['account', 'org_id, account_id'],
  ['journal', 'org_id, journal_id'],
  ['dimension', 'org_id, dimension_type, dimension_id'],
  ['party', 'org_id, party_type, party_id'],
  ['tax_code', 'org_id, tax_code'],
] as const;

const yearTables = ['opening_balance', 'account_balance', 'budget'] as const;

const ledgerTables = ['ledger_line_dimension', 'ledger_line', 'voucher'] as const;

/**
 * Settles staged slices in the warehouse, inside the caller's transaction, together with
 * their sync state, change log and issues: a crash at any point leaves the previous complete
 * slices or the new complete slices. The run's vouchers were appended in place, tagged with
 * its run id; they are compared with the slices' previous vouchers by content hash, and only
 * real changes survive, so a re-run of the same source leaves the ledger as it was.
 */
export async function commitSlices(warehouse: Warehouse, commit: SliceCommit): Promise<CommitOutcome> {
  const { orgId, runId } = commit;
  const org = commit.organization;
  await warehouse.run(
    `INSERT INTO organization VALUES ($1, $2, $3, $4, $5, $6, $7, now()::TIMESTAMP, now()::TIMESTAMP, $8) ON CONFLICT DO NOTHING`,
    [orgId, org.name, org.country, org.org_number, org.base_currency, commit.source, org.source_company_ref, commit.organizationExtra],
  );

  const window = await historyWindow(warehouse, orgId, commit.years, commit.keepYears);
  const committedYears = commit.years.filter((y) => window.keep.has(y.start_date));
  const skippedYears = commit.years.filter((y) => !window.keep.has(y.start_date));
  for (const skipped of skippedYears) {
    commit.issues.push({
      severity: 'warning',
      code: 'outside_history_window',
      message: `${commit.sourceLabel}: fiscal year ${skipped.label} is older than the ${commit.keepYears} years kept and was skipped.`,
      location: { file: commit.sourceLabel },
    });
  }
  const yearList = committedYears.map((y) => y.start_date);

  await warehouse.run('CREATE OR REPLACE TEMP TABLE slice_year (start_date DATE)');
  if (yearList.length) await warehouse.run(`INSERT INTO slice_year VALUES ${yearList.map((_, i) => `($${i + 1}::DATE)`).join(', ')}`, yearList);

  for (const expired of window.expire) await removeYear(warehouse, orgId, runId, expired);

  for (const [table, key] of masterTables.filter(([t]) => commit.staged.has(t))) {
    // A source that lists a row twice keeps its last word rather than failing the commit. A
    // journal the vouchers only name by id (a sync's voucher slices, a file without a
    // journal list) does not overwrite the one its own stream or file named.
    const unnamed = table === 'journal' ? 'WHERE NOT (name = journal_id AND journal_id IN (SELECT journal_id FROM main.journal WHERE org_id = stage.org_id))' : '';
    await warehouse.run(
      `INSERT OR REPLACE INTO main.${table} SELECT * FROM temp.main.stage_${table} stage ${unnamed}
       QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY rowid DESC) = 1`,
    );
  }
  for (const year of committedYears) {
    await warehouse.run(
      `INSERT INTO fiscal_year VALUES ($1, $2::DATE, $3::DATE, $4, $5)
       ON CONFLICT DO UPDATE SET end_date = excluded.end_date, label = excluded.label, is_closed = excluded.is_closed`,
      [orgId, year.start_date, year.end_date, year.label, year.is_closed],
    );
  }
  for (const slice of commit.years.length === 0 ? [ORGANIZATION_SLICE] : committedYears.map((y) => y.start_date)) {
    await writeSyncState(warehouse, orgId, { ...commit.syncState, slice });
  }

  const changes = commit.replaces.vouchers === 'none' ? { inserted: 0, updated: 0, deleted: 0 } : await settleVouchers(warehouse, commit);
  // A slice that replaced the years' ledger says where it came from (a file or a provider).
  const vouchers = commit.replaces.vouchers;
  if (vouchers === 'year' || typeof vouchers === 'object') {
    for (const year of committedYears) await writeLedgerSource(warehouse, orgId, year.start_date, commit.source, commit.syncState.committedAt);
  }
  if (commit.replaces.documents === 'year') await replaceDocuments(warehouse, commit);

  const balances = commit.replaces.balances;
  for (const table of balances === 'none' ? [] : yearTables) {
    if (balances === 'stated' && !commit.staged.has(table)) continue;
    const sameSource = table === 'account_balance' ? ' AND source = $2' : '';
    const statedDates = balances === 'stated' && table === 'account_balance' ? ' AND as_of IN (SELECT as_of FROM temp.main.stage_account_balance)' : '';
    await warehouse.run(
      `DELETE FROM main.${table} WHERE org_id = $1 AND fiscal_year_start IN (SELECT start_date FROM slice_year)${sameSource}${statedDates}`,
      table === 'account_balance' ? [orgId, commit.source] : [orgId],
    );
    if (commit.staged.has(table)) {
      await warehouse.run(`INSERT INTO main.${table} SELECT * FROM temp.main.stage_${table} WHERE fiscal_year_start IN (SELECT start_date FROM slice_year)`);
    }
  }

  await recordIssues(warehouse, commit.runId, commit.orgId, commit.issues);
  return { committedYears, skippedYears, expiredYears: window.expire, changes };
}

/**
 * The slice's vouchers against the ones they replace: only real changes survive, and each is
 * logged. Returns how many vouchers were inserted, updated and deleted.
 */
async function settleVouchers(warehouse: Warehouse, commit: SliceCommit): Promise<CommitOutcome['changes']> {
  const { orgId, runId } = commit;
  const period = typeof commit.replaces.vouchers === 'object' ? commit.replaces.vouchers : null;
  // The slice's own vouchers: appended under this run id in the years it read. (A sync run
  // commits several slices under one run id, each for other years.) Those in years it may
  // not write (outside the history window) are not compared, only removed below.
  await warehouse.run('CREATE OR REPLACE TEMP TABLE read_year (start_date DATE)');
  if (commit.years.length) await warehouse.run(`INSERT INTO read_year VALUES ${commit.years.map((_, i) => `($${i + 1}::DATE)`).join(', ')}`, commit.years.map((y) => y.start_date));
  const writable = 'fiscal_year_start IN (SELECT start_date FROM slice_year)';
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE run_voucher AS
     SELECT voucher_id, fiscal_year_start, content_hash, ${writable} AS writable FROM main.voucher
     WHERE org_id = $1 AND run_id = $2 AND fiscal_year_start IN (SELECT start_date FROM read_year)`,
    [orgId, runId],
  );
  // A period's file replaces what is dated in the period, and the vouchers it holds wherever
  // they were dated before.
  const replaced = period === null ? '' : ' AND (voucher_date BETWEEN $3::DATE AND $4::DATE OR voucher_id IN (SELECT voucher_id FROM run_voucher))';
  await warehouse.run(
    `CREATE OR REPLACE TEMP TABLE slice_change AS
     SELECT coalesce(n.voucher_id, o.voucher_id) AS voucher_id,
            coalesce(n.fiscal_year_start, o.fiscal_year_start) AS fiscal_year_start,
            CASE WHEN o.voucher_id IS NULL THEN 'inserted' WHEN n.voucher_id IS NULL THEN 'deleted'
                 WHEN n.content_hash <> o.content_hash THEN 'updated' ELSE 'unchanged' END AS change
     FROM (SELECT * FROM run_voucher WHERE writable) n
     ${commit.replaces.vouchers === 'read' ? 'LEFT' : 'FULL'} JOIN (SELECT voucher_id, fiscal_year_start, content_hash FROM main.voucher
                WHERE org_id = $1 AND run_id IS DISTINCT FROM $2 AND ${writable}${replaced}) o
       ON n.voucher_id = o.voucher_id`,
    period === null ? [orgId, runId] : [orgId, runId, period.from, period.to],
  );
  const counted = await warehouse.all<{ change: string; n: string }>(
    `SELECT change, count(*)::VARCHAR AS n FROM slice_change GROUP BY change
     UNION ALL SELECT 'unwritable', count(*)::VARCHAR FROM run_voucher WHERE NOT writable`,
  );
  const count = (change: string) => Number(counted.find((r) => r.change === change)?.n ?? 0);
  // The one place a slice's replacement is decided: a slice that would delete much more than
  // usual is held back here, before anything is deleted (see deletion-guard.ts).
  if (count('deleted') > 0 && !commit.acceptDeletions) {
    const held = await heldDeletions(warehouse, orgId, runId, new Map(commit.years.map((y) => [y.start_date, y.label])));
    if (held.length > 0) throw new DeletionsHeldError(orgId, commit.sourceLabel, held);
  }
  for (const table of ledgerTables) {
    // The old version of what changed or went away at the source…
    if (count('updated') + count('deleted') > 0) {
      await warehouse.run(
        `DELETE FROM main.${table} WHERE org_id = $1 AND run_id IS DISTINCT FROM $2
         AND voucher_id IN (SELECT voucher_id FROM slice_change WHERE change IN ('updated', 'deleted'))`,
        [orgId, runId],
      );
    }
    // …and the new copy of what did not change, or may not be written: unchanged vouchers
    // keep the run that last changed them.
    if (count('unchanged') + count('unwritable') > 0) {
      await warehouse.run(
        `DELETE FROM main.${table} WHERE org_id = $1 AND run_id = $2
         AND voucher_id IN (SELECT voucher_id FROM slice_change WHERE change = 'unchanged'
                            UNION ALL SELECT voucher_id FROM run_voucher WHERE NOT writable)`,
        [orgId, runId],
      );
    }
  }
  if (count('inserted') + count('updated') + count('deleted') > 0) {
    await warehouse.run(`INSERT INTO change_log SELECT $1, $2, voucher_id, fiscal_year_start, change FROM slice_change WHERE change <> 'unchanged'`, [runId, orgId]);
  }
  return { inserted: count('inserted'), updated: count('updated'), deleted: count('deleted') };
}

/** The newest `keep` fiscal years among the warehouse's and the incoming ones. */
async function historyWindow(warehouse: Warehouse, orgId: string, incoming: FiscalYearRow[], keep: number) {
  const existing = await warehouse.all<{ start_date: string }>(
    'SELECT start_date::VARCHAR AS start_date FROM fiscal_year WHERE org_id = $1',
    [orgId],
  );
  const all = [...new Set([...existing.map((r) => r.start_date), ...incoming.map((y) => y.start_date)])].sort().reverse();
  const kept = new Set(all.slice(0, keep));
  return { keep: kept, expire: existing.map((r) => r.start_date).filter((d) => !kept.has(d)) };
}

/** The years' documents as the slice lists them; their files stay on disk until swept. */
async function replaceDocuments(warehouse: Warehouse, commit: SliceCommit): Promise<void> {
  await warehouse.run('DELETE FROM document WHERE org_id = $1 AND fiscal_year_start IN (SELECT start_date FROM slice_year)', [commit.orgId]);
  if (!commit.staged.has('document')) return;
  // A document listed twice keeps its last word; one another year listed moves to this one.
  await warehouse.run(
    `INSERT OR REPLACE INTO main.document SELECT * FROM temp.main.stage_document
     WHERE fiscal_year_start IN (SELECT start_date FROM slice_year)
     QUALIFY row_number() OVER (PARTITION BY org_id, document_id ORDER BY rowid DESC) = 1`,
  );
}

/**
 * A year out of the history window goes as a whole; the vouchers it held are logged as
 * deleted (not this run's own copies of them: they were never there).
 */
async function removeYear(warehouse: Warehouse, orgId: string, runId: string, start: string): Promise<void> {
  await warehouse.run(
    `INSERT INTO change_log SELECT $1, org_id, voucher_id, fiscal_year_start, 'deleted' FROM voucher
     WHERE org_id = $2 AND fiscal_year_start = $3::DATE AND run_id IS DISTINCT FROM $1`,
    [runId, orgId, start],
  );
  await warehouse.run(
    `DELETE FROM ledger_line_dimension WHERE org_id = $1 AND voucher_id IN
       (SELECT voucher_id FROM voucher WHERE org_id = $1 AND fiscal_year_start = $2::DATE)`,
    [orgId, start],
  );
  for (const table of ['ledger_line', 'voucher', 'opening_balance', 'account_balance', 'budget', 'document']) {
    await warehouse.run(`DELETE FROM ${table} WHERE org_id = $1 AND fiscal_year_start = $2::DATE`, [orgId, start]);
  }
  await forgetSyncStates(warehouse, orgId, start);
  await warehouse.run('DELETE FROM fiscal_year WHERE org_id = $1 AND start_date = $2::DATE', [orgId, start]);
}

/** Appends a run's issues to `import_issue`; inside a slice's transaction when called from one. */
export async function recordIssues(warehouse: Warehouse, runId: string, orgId: string, issues: readonly ImportIssue[]): Promise<void> {
  if (issues.length === 0) return;
  const builder = new BatchBuilder(unifiedTables.import_issue);
  const appender = await ArrowAppender.create(warehouse.connection, 'import_issue');
  for (const issue of issues) {
    builder.appendRow([runId, orgId, issue.severity, issue.code, issue.message, issue.location.file, issue.location.line ?? null, issue.location.path ?? null]);
    if (builder.full) appender.append(builder.flush()!);
  }
  const rest = builder.flush();
  if (rest) appender.append(rest);
  appender.close();
}
