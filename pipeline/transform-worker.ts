import { FileFormatError } from '../formats/index.ts';
import type { FileTransformResult, TableBatch } from '../transform/index.ts';
import { buffersOf, fromPortable, type WorkerInput, type WorkerMessage } from './transform-worker-protocol.ts';
import { startWorker } from './worker-bundle.ts';

const entry = new URL('./transform-worker-entry.ts', import.meta.url);

/**
 * How much garbage V8 lets a heap gather between full collections grows with its limit: up
 * to 4× the live heap at a limit of 2 GB or more, ~1.4× at 512 MB. The worker's live heap is
 * small and does not grow with the file (~20 MB), so 512 MB leaves ample room and still
 * bounds what a pathological file can take; against 2 GB it measured the same time and peak.
 * A worker that reached it fails the import as a whole, saying so, never half-writing it.
 */
const resourceLimits = { maxOldGenerationSizeMb: 512 };

/**
 * Reads and transforms a file on a worker thread and yields its Arrow batches here, so
 * parsing the next part of the file overlaps with appending the last one to DuckDB. Batches
 * cross as their column buffers, moved rather than copied, and move back once the next batch
 * is asked for: a batch is only good until then. `result` is filled when the worker is done.
 */
export async function* transformInWorker(input: WorkerInput, result: FileTransformResult): AsyncGenerator<TableBatch> {
  const worker = await startWorker(entry, { workerData: input, resourceLimits });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e: Error & { code?: string }) => {
    failure =
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new Error(`Reading ${input.files.join(', ')} needed more than the ${resourceLimits.maxOldGenerationSizeMb} MB the import's reader may use; nothing was imported. Please report it with the file's size and the output of --debug.`, { cause: e })
        : e;
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
        yield fromPortable(message.batch);
        // Appended, so its buffers go back to be filled again rather than wait for this
        // thread's next garbage collection: their memory is reused, not piled up.
        const buffers = buffersOf(message.batch);
        worker.postMessage(buffers, buffers);
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
