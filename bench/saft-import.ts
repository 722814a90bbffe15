// Child process: a full `importFile` of one SAF-T file into a fresh warehouse, timed from the
// call to its summary (opening and migrating the empty warehouse is not timed). Run alone in
// its process so the peak RSS it reports is the import's.
//   node --import tsx bench/saft-import.ts <file.xml>

import { importFile } from '../cli/import-files.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';

const path = argument(0, 'saft-import.ts <file.xml>');
const warehousePath = freshWarehousePath('saft-import');
const warehouse = await Warehouse.open(warehousePath);
try {
  const { ms, value: summary } = await timed(() => importFile(warehouse, [path], { orgId: 'bench-saft' }));
  const lines = summary.years.reduce((n, y) => n + y.lines, 0);
  const vouchers = summary.years.reduce((n, y) => n + y.vouchers, 0);
  report({ ms, lines, vouchers, warnings: summary.warnings.length });
} finally {
  warehouse.close();
  removeWarehouse(warehousePath);
}
