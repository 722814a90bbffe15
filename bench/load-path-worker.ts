// Worker thread of the load-path benchmark, in the import's transform worker's place: builds
// `ledger_line` batches from the synthetic rows with BatchBuilder and posts them as the
// import's worker does. It says when it is loaded and waits for the word to begin, so the
// timing covers the batches, not starting a thread.

import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { postBatches } from '../pipeline/index.ts';
import { BatchBuilder, type TableBatch } from '../transform/index.ts';
import { unifiedTables } from '../model/index.ts';
import { ledgerLineRows } from './ledger-lines.ts';

const port = parentPort!;

function* batches(count: number): Generator<TableBatch> {
  const builder = new BatchBuilder(unifiedTables.ledger_line);
  for (const row of ledgerLineRows(count)) {
    builder.appendRow(row);
    if (builder.full) yield { table: 'ledger_line', batch: builder.flush()! };
  }
  const rest = builder.flush();
  if (rest) yield { table: 'ledger_line', batch: rest };
}

port.postMessage('ready');
await once(port, 'message');
await postBatches(port, batches((workerData as { lines: number }).lines));
port.postMessage('done');
port.close();
