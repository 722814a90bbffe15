import { parentPort, workerData } from 'node:worker_threads';
// Narrow imports: this file is bundled for the worker, and the extract/ barrel brings the API clients.
import { FileFormatError, readSaft, readSie } from '../formats/index.ts';
import { emptyTransformResult, transformFileLedger } from '../transform/index.ts';
import { postBatches, type WorkerInput, type WorkerMessage } from './transform-worker-protocol.ts';

const port = parentPort!;
const { files, format, context } = workerData as WorkerInput;

const send = (message: WorkerMessage) => port.postMessage(message);

try {
  const result = emptyTransformResult();
  const events = format === 'saft' ? readSaft(files) : readSie(files[0]!);
  await postBatches(port, transformFileLedger(events, context, result));
  send({ type: 'done', result });
} catch (error) {
  const e = error as Error;
  send({ type: 'error', name: e.name, message: e.message, location: e instanceof FileFormatError ? e.location : undefined, stack: e.stack });
} finally {
  port.close();
}
