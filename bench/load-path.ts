// Child process, two ways of putting the same ledger lines into `ledger_line` of a fresh
// warehouse (opening it is not timed):
//   appender — rows through BatchBuilder + ArrowAppender, as the import does: building the
//              batches, appending them and closing the appender are timed; making the row
//              values (one batch at a time, between the timed parts) is not;
//   csv      — DuckDB's own INSERT … SELECT * FROM read_csv(…) of the same lines (the floor).
//   node --import tsx bench/load-path.ts appender <lines>
//   node --import tsx bench/load-path.ts csv <file.csv>

import { ArrowAppender, Warehouse } from '../load/index.ts';
import { BatchBuilder, type CellValue, unifiedTables } from '../transform/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';
import { ledgerLineCsvColumns, ledgerLineRows } from './ledger-lines.ts';

const usage = 'load-path.ts appender <lines> | csv <file.csv>';
const mode = argument(0, usage);
const input = argument(1, usage);
if (mode !== 'appender' && mode !== 'csv') {
  console.error(`usage: ${usage}`);
  process.exit(2);
}

/**
 * Makes the rows one batch at a time, untimed, then times putting each batch in: so neither
 * making the values nor a heap holding a million rows (GC work the import never has) counts.
 */
async function appendRows(warehouse: Warehouse, count: number): Promise<number> {
  const builder = new BatchBuilder(unifiedTables.ledger_line);
  const rows = ledgerLineRows(count);
  let ms = 0;
  let start = performance.now();
  const appender = await ArrowAppender.create(warehouse.connection, 'ledger_line');
  ms += performance.now() - start;
  for (;;) {
    const batch: CellValue[][] = [];
    for (let r = rows.next(); !r.done; r = rows.next()) {
      batch.push(r.value);
      if (batch.length === builder.batchRows) break;
    }
    if (batch.length === 0) break;
    start = performance.now();
    for (const row of batch) builder.appendRow(row);
    appender.append(builder.flush()!);
    ms += performance.now() - start;
  }
  start = performance.now();
  appender.close();
  return ms + (performance.now() - start);
}

async function insertCsv(warehouse: Warehouse, csv: string): Promise<void> {
  const file = csv.replaceAll("'", "''");
  await warehouse.run(`INSERT INTO ledger_line SELECT * FROM read_csv('${file}', header = true, columns = ${ledgerLineCsvColumns()})`);
}

const warehousePath = freshWarehousePath(`load-${mode}`);
const warehouse = await Warehouse.open(warehousePath);
try {
  const ms = mode === 'appender' ? await appendRows(warehouse, Number(input)) : (await timed(() => insertCsv(warehouse, input))).ms;
  const counted = await warehouse.one<{ n: string; total: string | null }>('SELECT count(*)::VARCHAR AS n, sum(amount)::VARCHAR AS total FROM ledger_line');
  report({ ms, lines: Number(counted?.n ?? 0), amountTotal: counted?.total ?? null });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
