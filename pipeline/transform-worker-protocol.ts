import type { MessagePort } from 'node:worker_threads';
import { makeData, RecordBatch, Struct, type Data, type Schema } from 'apache-arrow';
import type { FileFormat, FileFormatError } from '../formats/index.ts';
import { arrowSchema, type FileTransformContext, type FileTransformResult, type TableBatch, recycleBuffers } from '../transform/index.ts';
import { unifiedTables, type UnifiedTable } from '../model/index.ts';

// What the import thread and its transform worker say to each other. Kept apart from both so
// the worker's bundle pulls in nothing of the import thread's.

export type WorkerMessage =
  | { type: 'batch'; batch: PortableBatch }
  | { type: 'done'; result: FileTransformResult }
  | { type: 'error'; name: string; message: string; location?: FileFormatError['location']; stack?: string };

export interface WorkerInput {
  files: string[];
  format: FileFormat;
  context: FileTransformContext;
}

/** Batches a worker may send ahead of the loader: enough to keep both threads busy. */
export const BATCHES_IN_FLIGHT = 4;

/** A batch as its column buffers, which cross to the other thread moved, not copied or re-encoded. */
export interface PortableBatch {
  table: UnifiedTable;
  length: number;
  columns: { nullCount: number; nullBitmap: Uint8Array | undefined; values: ArrayBufferView; valueOffsets: Int32Array | undefined }[];
}

/**
 * The worker's side: posts each batch to the loader thread, at most BATCHES_IN_FLIGHT ahead
 * of it. The loader acknowledges a batch by handing its buffers back, for the batches to come.
 */
export async function postBatches(port: MessagePort, batches: AsyncIterable<TableBatch> | Iterable<TableBatch>): Promise<void> {
  let inFlight = 0;
  let acked: (() => void) | null = null;
  const onAck = (buffers: ArrayBuffer[]) => {
    inFlight--;
    recycleBuffers(buffers);
    acked?.();
  };
  port.on('message', onAck);
  try {
    for await (const tableBatch of batches) {
      while (inFlight >= BATCHES_IN_FLIGHT) await new Promise<void>((resolve) => (acked = resolve));
      const { batch, transfer } = toPortable(tableBatch);
      inFlight++;
      port.postMessage({ type: 'batch', batch } satisfies WorkerMessage, transfer);
    }
  } finally {
    port.off('message', onAck);
  }
}

/** The batch's buffers and the list that moves them; the batch must not be used afterwards. */
export function toPortable({ table, batch }: TableBatch): { batch: PortableBatch; transfer: ArrayBuffer[] } {
  const columns = batch.data.children.map((d: Data) => ({
    nullCount: d.nullCount,
    nullBitmap: d.nullBitmap,
    values: d.values as ArrayBufferView,
    valueOffsets: d.valueOffsets as Int32Array | undefined,
  }));
  const portable = { table, length: batch.numRows, columns };
  return { batch: portable, transfer: buffersOf(portable) };
}

/** Every buffer a batch's columns lie in, each once: what moves with it between threads. */
export function buffersOf(batch: PortableBatch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of batch.columns) {
    for (const view of [c.nullBitmap, c.values, c.valueOffsets]) {
      if (view !== undefined && view.byteLength > 0) buffers.add(view.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

const schemas = new Map<UnifiedTable, Schema>();

export function fromPortable(p: PortableBatch): TableBatch {
  let schema = schemas.get(p.table);
  if (schema === undefined) schemas.set(p.table, (schema = arrowSchema(unifiedTables[p.table])));
  const children = schema.fields.map((field, i) => {
    const c = p.columns[i]!;
    return makeData({ type: field.type, length: p.length, nullCount: c.nullCount, nullBitmap: c.nullBitmap, data: c.values, valueOffsets: c.valueOffsets } as Parameters<typeof makeData>[0]);
  });
  return { table: p.table, batch: new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: p.length, nullCount: 0, children })) };
}
