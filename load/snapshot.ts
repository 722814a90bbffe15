// Publishes a copy of the warehouse for readers (the Evidence dashboards, analysts) that must
// never open the file the ETL writes: DuckDB allows one writer per file, so a reader on the
// live file would lock the next run out, and the ETL would lock the reader out.
//
// How the copy is taken: `COPY FROM DATABASE` into a new DuckDB file. It is one statement
// and so reads one MVCC snapshot: a copy of committed data only, whatever else runs. It must
// run on a connection that may read the warehouse:
//  - the ETL process passes its open Warehouse: the copy runs on that connection. Opening
//    the same file a second time from this process, even read-only or with plain fs reads,
//    is not safe: DuckDB's lock is a POSIX record lock, owned by the process, and closing
//    any other handle on the file releases it, after which a second writer could open the
//    warehouse. A file copy is ruled out for the same reason (and would also need the WAL,
//    and a moment without a checkpoint).
//  - anyone else passes the path: it is attached read-only, which DuckDB refuses while a
//    writer holds the file, so the copy never races a run.
// The copy is written to a temp file beside the target, checkpointed (no WAL to carry along),
// synced, and renamed over the target: readers see the old snapshot or the new one, never a
// half-written file, and a reader that has the old one open keeps reading its inode.
import './duckdb-allocator.ts';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Warehouse } from './warehouse.ts';
import { WarehouseError } from './warehouse-error.ts';

/**
 * Copies the warehouse to `publishedPath` atomically. `warehouse` is the open Warehouse of
 * the calling process (the ETL, after a successful run) or the path of a warehouse no
 * process is writing.
 */
export async function publishSnapshot(warehouse: string | Warehouse, publishedPath: string): Promise<void> {
  const target = resolve(publishedPath);
  const source = typeof warehouse === 'string' ? resolve(warehouse) : warehouse.path;
  if (source === target) throw new WarehouseError(`The snapshot ${target} cannot be the warehouse itself; publish it to another path.`);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.publishing`);
  try {
    if (typeof warehouse === 'string') await copyFromPath(source, temp);
    else await copyOver(warehouse.connection, await catalogOf(warehouse), temp);
    // A WAL beside the copy would not travel with the rename: the copy must stand alone.
    if (existsSync(`${temp}.wal`)) throw new WarehouseError(`The snapshot of ${source} was left with a write-ahead log; nothing was published.`);
    syncFile(temp);
    // DuckDB replays a WAL found beside the file it opens; a stale one (someone opened an
    // earlier snapshot read-write) would be replayed onto the new snapshot.
    rmSync(`${target}.wal`, { force: true });
    renameSync(temp, target);
    syncFile(dirname(target));
  } catch (error) {
    rmSync(temp, { force: true });
    rmSync(`${temp}.wal`, { force: true });
    throw error;
  }
}

/** The catalog name under which the Warehouse's connection sees its own file. */
async function catalogOf(warehouse: Warehouse): Promise<string> {
  const row = await warehouse.one<{ name: string }>('SELECT database_name AS name FROM duckdb_databases() WHERE path = $1', [warehouse.path]);
  if (!row) throw new WarehouseError(`The warehouse ${warehouse.path} is not attached to its own connection; nothing was published.`);
  return row.name;
}

async function copyFromPath(source: string, temp: string): Promise<void> {
  if (!existsSync(source)) throw new WarehouseError(`There is no warehouse at ${source} to publish.`);
  if (heldOpenByThisProcess(source)) {
    throw new WarehouseError(
      `The warehouse ${source} is open in this process; pass its open Warehouse to publishSnapshot (opening the file again here would release DuckDB's lock on it).`,
    );
  }
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: `${temp}.spill` });
  try {
    const connection = await instance.connect();
    try {
      try {
        await connection.run(`ATTACH ${quoteLiteral(source)} AS ledgerhouse_source (READ_ONLY)`);
      } catch (cause) {
        const text = String((cause as Error).message ?? cause);
        if (/lock/i.test(text)) {
          throw new WarehouseError(`The warehouse ${source} is being written by another process; publish from that process, or after it finishes.`, { cause });
        }
        throw new WarehouseError(`The warehouse ${source} cannot be opened for publishing: ${text}`, { cause });
      }
      await copyOver(connection, 'ledgerhouse_source', temp);
      await connection.run('DETACH ledgerhouse_source');
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
    rmSync(`${temp}.spill`, { recursive: true, force: true });
  }
}

/** Copies catalog `from` (as `connection` sees it) into a new database file at `temp`. */
async function copyOver(connection: DuckDBConnection, from: string, temp: string): Promise<void> {
  const alias = `ledgerhouse_snapshot_${randomBytes(4).toString('hex')}`;
  await connection.run(`ATTACH ${quoteLiteral(temp)} AS ${alias}`);
  try {
    await connection.run(`COPY FROM DATABASE ${quoteIdentifier(from)} TO ${alias}`);
    // Everything into the file itself, so it can be renamed without its WAL.
    await connection.run(`CHECKPOINT ${alias}`);
  } catch (error) {
    // The copy's error is the one to report; a failed transaction may refuse the DETACH too.
    await connection.run(`DETACH ${alias}`).catch(() => undefined);
    throw new WarehouseError(`The snapshot of the warehouse could not be written; nothing was published: ${String((error as Error).message ?? error)}`, { cause: error });
  }
  await connection.run(`DETACH ${alias}`);
}

/**
 * Whether this process has a descriptor on `path` (Linux: /proc/self/fd). Elsewhere it
 * cannot tell and says no; the caller is then trusted to pass its open Warehouse.
 */
function heldOpenByThisProcess(path: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return false;
  }
  const real = realpathSync(path);
  return fds.some((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd)) === real;
    } catch {
      return false;
    }
  });
}

/** fsync a file or folder, so that a crash after the rename cannot surface a torn file. */
function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
