import type { TableBatch } from '../transform/index.ts';
import type { UnifiedTable } from '../model/index.ts';
import { ArrowAppender } from './arrow-appender.ts';
import type { Warehouse } from './warehouse.ts';

/**
 * The ledger's big tables are appended straight into the warehouse, tagged with the run,
 * inside the import's one transaction: copying millions of lines from a staging table at
 * commit would cost as much again. A rejected import rolls them back with everything else.
 */
export const appendedInPlace: ReadonlySet<UnifiedTable> = new Set(['voucher', 'ledger_line', 'ledger_line_dimension']);

/**
 * Where a source's rows go while it is read: the big ledger tables in place (see above), the
 * rest into temporary tables shaped like the warehouse's, which the slice commit merges.
 * Nothing here is visible to analysts before the commit, nor survives a crash.
 */
export class Staging {
  private readonly appenders = new Map<UnifiedTable, ArrowAppender>();
  private readonly created = new Set<UnifiedTable>();
  private readonly appended = new Set<UnifiedTable>();

  constructor(private readonly warehouse: Warehouse) {}

  /** The staging tables that received rows: the only ones a commit has to merge. */
  get staged(): ReadonlySet<UnifiedTable> {
    return this.created;
  }

  /** Whether any rows went into `table`, staged or in place. */
  received(table: UnifiedTable): boolean {
    return this.appended.has(table);
  }

  async append({ table, batch }: TableBatch): Promise<void> {
    let appender = this.appenders.get(table);
    if (!appender) {
      if (appendedInPlace.has(table)) {
        appender = await ArrowAppender.create(this.warehouse.connection, table);
      } else {
        if (!this.created.has(table)) {
          await this.warehouse.run(`CREATE OR REPLACE TEMP TABLE stage_${table} AS SELECT * FROM main.${table} LIMIT 0`);
          this.created.add(table);
        }
        appender = await ArrowAppender.create(this.warehouse.connection, `stage_${table}`, 'temp');
      }
      this.appenders.set(table, appender);
    }
    appender.append(batch);
    // Table by table as batches come, not all at the end: the end of a slice is what a
    // sync waits for after its last page.
    if (appendedInPlace.has(table)) appender.flush();
    this.appended.add(table);
  }

  /** Flushes every appender; call before reading the staged rows. */
  seal(): void {
    for (const appender of this.appenders.values()) appender.close();
    this.appenders.clear();
  }

  async drop(): Promise<void> {
    for (const appender of this.appenders.values()) {
      try {
        appender.discard();
      } catch {
        // Dropping anyway.
      }
    }
    this.appenders.clear();
    for (const table of this.created) await this.warehouse.run(`DROP TABLE IF EXISTS temp.main.stage_${table}`);
    this.created.clear();
  }
}
