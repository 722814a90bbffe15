// Child process, two ways of putting the same ledger lines into `ledger_line` of a fresh
// warehouse (opening it is not timed):
//   appender — as the import loads them: a worker thread makes the rows and builds Arrow
//              batches with BatchBuilder, this thread appends each through ArrowAppender and
//              hands its buffers back (cli/transform-worker-protocol.ts). Timed from the word
//              to the loaded worker to begin until the appender is closed;
//   csv      — DuckDB's own INSERT … SELECT * FROM read_csv(…) of the same lines (the floor).
//   node --import tsx bench/load-path.ts appender <lines>
//   node --import tsx bench/load-path.ts csv <file.csv>

import { on } from 'node:events';
import { buffersOf, fromPortable, type WorkerMessage, startWorker } from '../pipeline/index.ts';
import { ArrowAppender, Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';
import { ledgerLineCsvColumns } from './ledger-lines.ts';

const usage = 'load-path.ts appender <lines> | csv <file.csv>';
const mode = argument(0, usage);
const input = argument(1, usage);
if (mode !== 'appender' && mode !== 'csv') {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

async function appendFromWorker(warehouse: Warehouse, lines: number): Promise<number> {
  const worker = await startWorker(new URL('./load-path-worker.ts', import.meta.url), { workerData: { lines } });
  let start = 0;
  let appender: ArrowAppender | undefined;
  try {
    for await (const [message] of on(worker, 'message', { close: ['exit'] }) as AsyncIterable<['ready' | 'done' | Extract<WorkerMessage, { type: 'batch' }>]>) {
      if (message === 'ready') {
        start = performance.now();
        appender = await ArrowAppender.create(warehouse.connection, 'ledger_line');
        worker.postMessage('start');
      } else if (message === 'done') {
        appender!.close();
        return performance.now() - start;
      } else {
        appender!.append(fromPortable(message.batch).batch);
        const buffers = buffersOf(message.batch);
        worker.postMessage(buffers, buffers);
      }
    }
    throw new Error('load path: the batch worker stopped without finishing.');
  } finally {
    await worker.terminate();
  }
}

async function insertCsv(warehouse: Warehouse, csv: string): Promise<void> {
  const file = csv.replaceAll("'", "''");
  await warehouse.run(`INSERT INTO ledger_line SELECT * FROM read_csv('${file}', header = true, columns = ${ledgerLineCsvColumns()})`);
}

const warehousePath = freshWarehousePath(`load-${mode}`);
const warehouse = await Warehouse.open(warehousePath);
try {
  const ms = mode === 'appender' ? await appendFromWorker(warehouse, Number(input)) : (await timed(() => insertCsv(warehouse, input))).ms;
  const counted = await warehouse.one<{ n: string; total: string | null }>('SELECT count(*)::VARCHAR AS n, sum(abs(amount))::VARCHAR AS total FROM ledger_line');
  report({ ms, lines: Number(counted?.n ?? 0), amountTotal: counted?.total ?? null });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
