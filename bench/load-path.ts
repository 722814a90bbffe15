// Child process, two ways of putting the same ledger lines into `ledger_line` of a fresh
// warehouse (opening it is not timed):
//   appender — rows through BatchBuilder + ArrowAppender, as staging does: building the
//              batches, appending them and closing the appender are timed; making the row
//              values beforehand is not;
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

async function appendRows(warehouse: Warehouse, rows: readonly CellValue[][]): Promise<void> {
  const builder = new BatchBuilder(unifiedTables.ledger_line);
  const appender = await ArrowAppender.create(warehouse.connection, 'ledger_line');
  for (const row of rows) {
    builder.appendRow(row);
    if (builder.full) appender.append(builder.flush()!);
  }
  const last = builder.flush();
  if (last) appender.append(last);
  appender.close();
}

async function insertCsv(warehouse: Warehouse, csv: string): Promise<void> {
  const file = csv.replaceAll("'", "''");
  await warehouse.run(`INSERT INTO ledger_line SELECT * FROM read_csv('${file}', header = true, columns = ${ledgerLineCsvColumns()})`);
}

const rows = mode === 'appender' ? [...ledgerLineRows(Number(input))] : [];
const warehousePath = freshWarehousePath(`load-${mode}`);
const warehouse = await Warehouse.open(warehousePath);
try {
  const { ms } = await timed(() => (mode === 'appender' ? appendRows(warehouse, rows) : insertCsv(warehouse, input)));
  const counted = await warehouse.one<{ n: string }>('SELECT count(*)::VARCHAR AS n, sum(amount)::VARCHAR AS total FROM ledger_line');
  report({ ms, lines: Number(counted?.n ?? 0), amountTotal: counted?.['total'] ?? null });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
