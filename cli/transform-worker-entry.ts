import { parentPort, workerData } from 'node:worker_threads';
// Narrow imports: this file is bundled for the worker, and the extract/ barrel brings the API clients.
import { FileFormatError } from '../extract/file-format-error.ts';
import { readSaft } from '../extract/saft/index.ts';
import { readSie } from '../extract/sie/index.ts';
import { emptyTransformResult, transformFileLedger } from '../transform/index.ts';
import { recycleBuffers } from '../transform/recycled-buffers.ts';
import { BATCHES_IN_FLIGHT, toPortable, type WorkerInput, type WorkerMessage } from './transform-worker-protocol.ts';

const port = parentPort!;
const { files, format, context } = workerData as WorkerInput;

let inFlight = 0;
let acked: (() => void) | null = null;
// The loader acknowledges each batch by handing its buffers back, for the batches to come.
port.on('message', (buffers: ArrayBuffer[]) => {
  inFlight--;
  recycleBuffers(buffers);
  acked?.();
});

const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const result = emptyTransformResult();
  const events = format === 'saft' ? readSaft(files) : readSie(files[0]!);
  for await (const tableBatch of transformFileLedger(events, context, result)) {
    while (inFlight >= BATCHES_IN_FLIGHT) await new Promise<void>((resolve) => (acked = resolve));
    const { batch, transfer } = toPortable(tableBatch);
    inFlight++;
    send({ type: 'batch', batch }, transfer);
  }
  send({ type: 'done', result });
} catch (error) {
  const e = error as Error;
  send({ type: 'error', name: e.name, message: e.message, location: e instanceof FileFormatError ? e.location : undefined, stack: e.stack });
} finally {
  port.close();
}
