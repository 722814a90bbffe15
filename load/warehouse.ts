import './duckdb-allocator.ts';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { latestSchemaVersion, migrations } from './migrations.ts';
import { WarehouseError } from './warehouse-error.ts';

export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;

/** DuckDB's buffer pool outside a load (see `withSettings`): room for the marts' queries. */
const MEMORY_LIMIT = '512MB';
const spillDirectoryOf = (warehousePath: string) => `${warehousePath}.tmp`;
/** Rows as JSON-safe values: DECIMAL and BIGINT come back as exact strings, never floats. */
export type Row = Record<string, string | number | boolean | null | Row[] | unknown>;
/** The DuckDB settings a piece of work may change for its duration (see `withSettings`). */
export type Setting = 'memory_limit' | 'threads';

/**
 * One open DuckDB warehouse file, migrated to the current schema. DuckDB allows a single
 * writer per file, so a second process gets a clear error instead of waiting.
 */
export class Warehouse {
  /** As last set: DuckDB reports it back rounded, so it is kept as given. */
  private memoryLimit = MEMORY_LIMIT;
  /** Settings `withSettings` could not give back inside an aborted transaction: its rollback does. */
  private unrestored: Partial<Record<Setting, string>> = {};

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<Warehouse> {
    const absolute = resolve(path);
    mkdirSync(dirname(absolute), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(absolute, {
        // Staged imports larger than memory spill next to the warehouse instead of failing.
        memory_limit: MEMORY_LIMIT,
        temp_directory: spillDirectoryOf(absolute),
        // An import's appended rows wait in memory until written out as row groups; by default
        // DuckDB holds five per table before writing them together (~135 MB against ~45 MB
        // while a 200 MB SAF-T file loads). Written one by one, no slower, a table holds only
        // the row group it is filling.
        write_buffer_row_group_count: '1',
      });
    } catch (cause) {
      const text = String((cause as Error).message ?? cause);
      if (/lock/i.test(text)) {
        throw new WarehouseError(`The warehouse ${absolute} is in use by another process; wait for it to finish or point --warehouse elsewhere.`, { cause });
      }
      throw new WarehouseError(`The warehouse ${absolute} cannot be opened: ${text}`, { cause });
    }
    const connection = await instance.connect();
    const warehouse = new Warehouse(absolute, instance, connection);
    await warehouse.migrate();
    return warehouse;
  }

  /** Where DuckDB puts what does not fit in its memory limit. */
  get spillDirectory(): string {
    return spillDirectoryOf(this.path);
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, params);
  }

  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /**
   * Runs `work` with DuckDB's settings changed, then gives back the values they had.
   * `memory_limit` holds the buffer pool: DuckDB evicts, or spills to the temp directory,
   * rather than grow past it. `threads` is how many threads DuckDB's queries may use.
   */
  async withSettings<T>(changes: Partial<Record<Setting, string>>, work: () => Promise<T>): Promise<T> {
    const before: Partial<Record<Setting, string>> = {};
    for (const name of Object.keys(changes) as Setting[]) {
      before[name] = name === 'memory_limit' ? this.memoryLimit : (await this.one<{ v: string }>(`SELECT current_setting('${name}')::VARCHAR AS v`))!.v;
    }
    await this.applySettings(changes);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // In a transaction DuckDB aborted no SET runs until the rollback, which then restores
      // them; `work`'s error is the one to report.
      await this.applySettings(before).catch(() => {
        this.unrestored = { ...this.unrestored, ...before };
      });
      throw error;
    }
    await this.applySettings(before);
    return result;
  }

  private async applySettings(values: Partial<Record<Setting, string>>): Promise<void> {
    for (const [name, value] of Object.entries(values) as [Setting, string][]) {
      await this.run(`SET ${name} = '${value}'`);
      if (name === 'memory_limit') this.memoryLimit = value;
    }
  }

  /** Runs `work` in one transaction: all of it is written, or none of it. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      const unrestored = this.unrestored;
      this.unrestored = {};
      await this.applySettings(unrestored).catch(() => undefined);
      throw error;
    }
  }

  async schemaVersion(): Promise<number> {
    const row = await this.one<{ v: string | null }>('SELECT max(version)::VARCHAR AS v FROM schema_version');
    return Number(row?.v ?? 0);
  }

  private async migrate(): Promise<void> {
    await this.run(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
    );
    const current = await this.schemaVersion();
    if (current > latestSchemaVersion) {
      throw new WarehouseError(
        `The warehouse ${this.path} has schema version ${current}, newer than this ledgerhouse knows (${latestSchemaVersion}); upgrade ledgerhouse.`,
      );
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await this.transaction(async () => {
        await this.connection.run(migration.sql);
        await this.run('INSERT INTO schema_version VALUES ($1, $2, now()::TIMESTAMP)', [migration.version, migration.description]);
      });
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
