import { Worker } from 'node:worker_threads';
import { tableFromIPC } from 'apache-arrow';
import { FileFormatError, type FileFormat } from '../extract/index.ts';
import type { FileTransformContext, FileTransformResult, TableBatch, UnifiedTable } from '../transform/index.ts';

export type WorkerMessage =
  | { type: 'batch'; table: UnifiedTable; ipc: Uint8Array }
  | { type: 'done'; result: FileTransformResult }
  | { type: 'error'; name: string; message: string; location?: FileFormatError['location']; stack?: string };

export interface WorkerInput {
  files: string[];
  format: FileFormat;
  context: FileTransformContext;
}

// Workers do not inherit the command's TypeScript loader: register it, then load the entry.
const entry = new URL('./transform-worker-entry.ts', import.meta.url).href;
const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;

/** Batches a worker may send ahead of the loader: enough to keep both threads busy. */
export const BATCHES_IN_FLIGHT = 4;

/**
 * Reads and transforms a file on a worker thread and yields its Arrow batches here, so
 * parsing the next part of the file overlaps with appending the last one to DuckDB. Batches
 * cross as Arrow IPC buffers, moved rather than copied; `result` is filled when the worker
 * is done.
 */
export async function* transformInWorker(input: WorkerInput, result: FileTransformResult): AsyncGenerator<TableBatch> {
  const worker = new Worker(bootstrap, { eval: true, workerData: input });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    // Messages sent before the exit are queued first, so a finished worker is seen as done.
    const what = code === 0 ? 'ended before finishing the file' : `stopped with exit code ${code}`;
    failure ??= new Error(`The import worker ${what}; nothing was imported. Run the import again with --debug and report its output.`);
    wake?.();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      if (message.type === 'batch') {
        const batch = tableFromIPC(message.ipc).batches[0]!;
        yield { table: message.table, batch };
        worker.postMessage('ack');
      } else if (message.type === 'done') {
        Object.assign(result, message.result);
        return;
      } else {
        throw rebuildError(message);
      }
    }
  } finally {
    await worker.terminate();
  }
}

function rebuildError(m: Extract<WorkerMessage, { type: 'error' }>): Error {
  const error = m.name === 'FileFormatError' && m.location ? new FileFormatError(m.message, m.location) : new Error(m.message);
  if (m.stack) error.stack = m.stack;
  return error;
}
