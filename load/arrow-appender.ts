import './duckdb-allocator.ts';
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { RecordBatch, Data } from 'apache-arrow';
import { WarehouseError } from './warehouse-error.ts';

// DuckDB's appender takes data chunks of up to this many rows.
const CHUNK_ROWS = duckdb.vector_size();

/** Which DuckDB column types each ledgerhouse column kind may land in (same physical storage). */
const compatible: Record<string, (t: string) => boolean> = {
  utf8: (t) => t === 'VARCHAR',
  json: (t) => t === 'VARCHAR' || t === 'JSON',
  int32: (t) => t === 'INTEGER',
  int64: (t) => t === 'BIGINT',
  money: (t) => t === 'DECIMAL(18,2)',
  rate: (t) => t === 'DECIMAL(18,4)',
  date: (t) => t === 'DATE',
  timestamp: (t) => t === 'TIMESTAMP',
  bool: (t) => t === 'BOOLEAN',
};

/**
 * The bindings' appender inside @duckdb/node-api's wrapper: the raw handle is what takes
 * whole data chunks, and the wrapper keeps it private. Both packages are pinned to the same
 * exact version in package.json because of this read; test/load/arrow-appender.test.ts fails
 * when the handle moves or the pins part.
 */
export function rawAppender(appender: DuckDBAppender): duckdb.Appender {
  const raw = (appender as unknown as { appender?: duckdb.Appender }).appender;
  if (raw == null) throw new WarehouseError(HANDLE_MOVED);
  return raw;
}

export const HANDLE_MOVED =
  "@duckdb/node-api no longer keeps its raw appender handle where load/arrow-appender.ts reads it (the private field 'appender'): " +
  'install @duckdb/node-api and @duckdb/node-bindings at the same exact version package.json pins, or, upgrading them together, update rawAppender to the new handle.';

/**
 * Appends Arrow record batches to one table through DuckDB's appender, column by column:
 * fixed-width columns are copied as whole buffers into the chunk's vectors and strings go
 * in as UTF-8 byte ranges, so no row is ever materialised as JS values.
 */
export class ArrowAppender {
  private chunk: duckdb.DataChunk | undefined;
  private checkedSchema = false;

  private constructor(
    private readonly appender: duckdb.Appender,
    private readonly table: string,
    private readonly types: DuckDBType[],
  ) {}

  /** `catalog` is `temp` for staging tables, the database's own otherwise. */
  static async create(connection: DuckDBConnection, table: string, catalog?: string): Promise<ArrowAppender> {
    const appender = await connection.createAppender(table, 'main', catalog);
    const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
    return new ArrowAppender(rawAppender(appender), catalog ? `${catalog}.${table}` : table, types);
  }

  append(batch: RecordBatch): void {
    if (!this.checkedSchema) this.checkSchema(batch);
    const columns = batch.schema.fields.map((_, i) => batch.data.children[i]!);
    const chunk = (this.chunk ??= DuckDBDataChunk.create(this.types).chunk);
    for (let offset = 0; offset < batch.numRows; offset += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, batch.numRows - offset);
      duckdb.data_chunk_reset(chunk);
      columns.forEach((column, i) => fillVector(duckdb.data_chunk_get_vector(chunk, i), column, offset, count));
      duckdb.data_chunk_set_size(chunk, count);
      duckdb.append_data_chunk(this.appender, chunk);
    }
  }

  /** Batches for one table share one schema: checking the first is checking them all. */
  private checkSchema(batch: RecordBatch): void {
    const fields = batch.schema.fields;
    if (fields.length !== this.types.length) {
      throw new WarehouseError(`Table ${this.table} has ${this.types.length} columns but the batch has ${fields.length}; the warehouse schema and the loader disagree.`);
    }
    fields.forEach((field, i) => {
      const kind = field.metadata.get('ledgerhouse.kind') ?? '';
      const type = this.types[i]!.toString();
      if (!compatible[kind]?.(type)) {
        throw new WarehouseError(`Column ${field.name} of ${this.table} is ${type} but the batch holds ${kind || field.type}.`);
      }
    });
    this.checkedSchema = true;
  }

  /** Moves what was appended into the table now rather than at close. */
  flush(): void {
    duckdb.appender_flush_sync(this.appender);
  }

  /** Writes what was appended into the table (inside the caller's transaction, if any). */
  close(): void {
    duckdb.appender_close_sync(this.appender);
  }

  /**
   * Drops rows not yet written and closes. A plain close after a rollback would write the
   * appender's buffer outside the rolled-back transaction: half an import.
   */
  discard(): void {
    duckdb.appender_clear(this.appender);
    duckdb.appender_close_sync(this.appender);
  }
}

function fillVector(vector: duckdb.Vector, column: Data, offset: number, count: number): void {
  const start = column.offset + offset;
  const typeId = column.typeId;
  const values = column.values as Int32Array | BigInt64Array | Uint8Array;
  // Arrow type ids: Utf8 5, Bool 6, Int 2, Date 8, Timestamp 10.
  if (typeId === 5) {
    fillStrings(vector, column, start, count);
  } else if (typeId === 6) {
    const bools = scratch.bools;
    for (let i = 0; i < count; i++) {
      const bit = start + i;
      bools[i] = ((values as Uint8Array)[bit >> 3]! >> (bit & 7)) & 1;
    }
    duckdb.copy_data_to_vector(vector, 0, bools.buffer, 0, count);
  } else {
    const width = values.BYTES_PER_ELEMENT;
    duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + start * width, count * width);
  }
  if (column.nullCount > 0) writeValidity(vector, column, start, count);
}

// duckdb_string_t, as the C API's header defines it: 16 bytes per row. A string of up to
// 12 bytes is stored inline after its length; a longer one is its length, its first 4
// bytes (DuckDB compares on them) and a pointer to the bytes.
const STRING_T_BYTES = 16;
const INLINE_MAX = 12;
const TWO_POW_32 = 2 ** 32;

/**
 * Buffers a chunk is assembled in before DuckDB copies it: reused, since a fresh
 * ArrayBuffer per vector per chunk was most of what the load path left to the GC.
 */
const scratch = {
  slots: new Uint8Array(CHUNK_ROWS * STRING_T_BYTES),
  bools: new Uint8Array(CHUNK_ROWS),
  mask: new Uint8Array(Math.ceil(CHUNK_ROWS / 64) * 8),
};
const scratchWords = new Uint32Array(scratch.slots.buffer);

/**
 * Fills a chunk's string vector with two or three native calls, whatever its strings: short
 * ones are written straight into their string_t slots; for longer ones the chunk's whole
 * byte range is copied once onto the vector's own string heap, and each slot points into
 * that copy. (One call per long string was the appender's main cost: ids, descriptions and
 * run ids are mostly over 12 bytes.)
 */
function fillStrings(vector: duckdb.Vector, column: Data, start: number, count: number): void {
  const offsets = column.valueOffsets as Int32Array;
  const bytes = column.values as Uint8Array;
  const slots = scratch.slots;
  // Inline strings are compared on all 12 bytes: what follows a short one must be zeros.
  slots.fill(0, 0, count * STRING_T_BYTES);
  // Little-endian, as on every platform DuckDB's Node bindings ship for.
  const words = scratchWords;
  const valid = column.nullCount > 0 ? column.nullBitmap! : null;
  let firstLong = -1;
  for (let i = 0; i < count; i++) {
    const row = start + i;
    if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) continue;
    const from = offsets[row]!;
    const length = offsets[row + 1]! - from;
    words[i * 4] = length;
    const at = i * STRING_T_BYTES + 4;
    if (length <= INLINE_MAX) {
      for (let k = 0; k < length; k++) slots[at + k] = bytes[from + k]!;
    } else {
      for (let k = 0; k < 4; k++) slots[at + k] = bytes[from + k]!;
      if (firstLong < 0) firstLong = i;
    }
  }
  if (firstLong >= 0) {
    // The heap copy goes into slot 0 for a moment; its pointer is read back from there
    // (vector_get_data copies the slots from the first, pointer included, so slot 0 costs
    // a 16-byte copy). The slots written below then replace slot 0's content.
    const base = offsets[start]!;
    duckdb.vector_assign_string_element_len(vector, 0, bytes.subarray(base, offsets[start + count]!));
    const copy = duckdb.vector_get_data(vector, STRING_T_BYTES);
    const pointer = new DataView(copy.buffer, copy.byteOffset + 8, 8);
    const low = pointer.getUint32(0, true);
    const high = pointer.getUint32(4, true);
    for (let i = firstLong; i < count; i++) {
      const length = words[i * 4]!;
      if (length <= INLINE_MAX) continue;
      const address = low + (offsets[start + i]! - base);
      words[i * 4 + 2] = address % TWO_POW_32;
      words[i * 4 + 3] = high + (address >= TWO_POW_32 ? 1 : 0);
    }
  }
  duckdb.copy_data_to_vector(vector, 0, slots.buffer, 0, count * STRING_T_BYTES);
}

function writeValidity(vector: duckdb.Vector, column: Data, start: number, count: number): void {
  // DuckDB's validity mask is a little-endian bit set like Arrow's, but starts at row 0 of
  // the chunk, so the bits are re-packed from the batch's offset.
  const mask = scratch.mask;
  mask.fill(0);
  const valid = column.nullBitmap!;
  for (let i = 0; i < count; i++) {
    const row = start + i;
    if ((valid[row >> 3]! >> (row & 7)) & 1) mask[i >> 3]! |= 1 << (i & 7);
  }
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, 0, Math.ceil(count / 64) * 8);
}
