import { Bool, Data, DateDay, Int32, Int64, RecordBatch, Schema, Field, Struct, TimestampMicrosecond, Utf8, makeData, type DataType } from 'apache-arrow';
import type { ColumnKind, ColumnSpec } from './unified-schema.ts';

export type CellValue = string | number | bigint | boolean | null | undefined | Record<string, unknown>;

const MS_PER_DAY = 86_400_000;

/** `YYYY-MM-DD` → days since 1970-01-01, the Arrow DateDay and DuckDB DATE storage. */
export function dateToDays(iso: string): number {
  const t = Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
  return Math.round(t / MS_PER_DAY);
}

export function daysToDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'utf8':
    case 'json':
      return new Utf8();
    case 'int32':
      return new Int32();
    case 'int64':
    case 'money':
    case 'rate':
      return new Int64();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'bool':
      return new Bool();
  }
}

/** Fields carry their kind so the loader can check it appends into the right DuckDB type. */
export function arrowSchema(columns: readonly ColumnSpec[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowType(c.kind), true, new Map([['ledgerhouse.kind', c.kind]]))));
}

interface ColumnBuffer {
  spec: ColumnSpec;
  values: unknown[];
}

/**
 * Collects rows column by column and hands them out as Arrow record batches of at most
 * `batchRows` rows. Building is columnar and allocation-light: strings are encoded once into
 * one buffer per column when the batch is sealed.
 */
export class BatchBuilder {
  readonly schema: Schema;
  private readonly columns: ColumnBuffer[];
  private rows = 0;

  constructor(
    readonly specs: readonly ColumnSpec[],
    readonly batchRows = 65_536,
  ) {
    this.schema = arrowSchema(specs);
    this.columns = specs.map((spec) => ({ spec, values: [] }));
  }

  get length(): number {
    return this.rows;
  }

  get full(): boolean {
    return this.rows >= this.batchRows;
  }

  /** Appends one row given in column order. */
  appendRow(values: readonly CellValue[]): void {
    const cols = this.columns;
    for (let i = 0; i < cols.length; i++) cols[i]!.values.push(values[i]);
    this.rows++;
  }

  /** Seals the collected rows into a batch and starts over; `null` when empty. */
  flush(): RecordBatch | null {
    if (this.rows === 0) return null;
    const length = this.rows;
    const children = this.columns.map((c) => buildColumn(c.spec.kind, c.values, length));
    for (const c of this.columns) c.values = [];
    this.rows = 0;
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new RecordBatch(this.schema, struct);
  }
}

function nullBitmap(values: readonly unknown[], length: number): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { bitmap, nullCount };
}

function buildColumn(kind: ColumnKind, values: unknown[], length: number): Data {
  const { bitmap, nullCount } = nullBitmap(values, length);
  const nullBitmapOrEmpty = nullCount > 0 ? bitmap : new Uint8Array(0);
  switch (kind) {
    case 'utf8':
    case 'json':
      return buildStrings(kind, values, length, nullCount, nullBitmapOrEmpty);
    case 'int32': {
      const data = new Int32Array(length);
      for (let i = 0; i < length; i++) data[i] = (values[i] as number | null) ?? 0;
      return makeData({ type: new Int32(), length, nullCount, nullBitmap: nullBitmapOrEmpty, data });
    }
    case 'date': {
      const data = new Int32Array(length);
      let lastText = '';
      let lastDays = 0;
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (typeof v === 'string') {
          // Dates repeat row after row (every line of a voucher), so remember the last one.
          if (v !== lastText) {
            lastText = v;
            lastDays = dateToDays(v);
          }
          data[i] = lastDays;
        } else data[i] = (v as number | null) ?? 0;
      }
      return makeData({ type: new DateDay(), length, nullCount, nullBitmap: nullBitmapOrEmpty, data });
    }
    case 'int64':
    case 'money':
    case 'rate': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i];
        data[i] = typeof v === 'bigint' ? v : v === null || v === undefined ? 0n : BigInt(v as number);
      }
      return makeData({ type: new Int64(), length, nullCount, nullBitmap: nullBitmapOrEmpty, data });
    }
    case 'timestamp': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i];
        data[i] = typeof v === 'string' ? BigInt(Date.parse(v)) * 1000n : typeof v === 'bigint' ? v : 0n;
      }
      return makeData({ type: new TimestampMicrosecond(), length, nullCount, nullBitmap: nullBitmapOrEmpty, data });
    }
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true) data[i >> 3]! |= 1 << (i & 7);
      return makeData({ type: new Bool(), length, nullCount, nullBitmap: nullBitmapOrEmpty, data });
    }
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

function buildStrings(kind: 'utf8' | 'json', values: unknown[], length: number, nullCount: number, nullBitmap: Uint8Array): Data {
  const strings = new Array<string>(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    strings[i] = v === null || v === undefined ? '' : kind === 'json' ? jsonText(v) : String(v);
  }
  // One encode for the whole column; per-string byte lengths only when something is not ASCII.
  const joined = strings.join('');
  const data = Buffer.from(joined, 'utf8');
  const offsets = new Int32Array(length + 1);
  const ascii = !NON_ASCII.test(joined);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const s = strings[i]!;
    at += ascii ? s.length : NON_ASCII.test(s) ? Buffer.byteLength(s) : s.length;
    offsets[i + 1] = at;
  }
  return makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets: offsets, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
