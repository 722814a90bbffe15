// Child process, two modes over one SIE file:
//   import — a full `importFile` into a fresh warehouse (opening it is not timed);
//   read   — a bare `readSie` pass that only counts ledger lines: the reader's share.
//   node --import tsx bench/sie-import.ts import|read <file.se>

import './profile-workers.ts';
import { importFile } from '../pipeline/index.ts';
import { readSie } from '../formats/index.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';
import { ImportTrace } from './import-trace.ts';

const usage = 'sie-import.ts import|read <file.se>';
const mode = argument(0, usage);
const path = argument(1, usage);

if (mode === 'read') {
  const { ms, value: lines } = await timed(async () => {
    let n = 0;
    for await (const event of readSie(path)) if (event.kind === 'voucher') n += event.voucher.lines.length;
    return n;
  });
  report({ ms, lines });
} else if (mode === 'import') {
  const warehousePath = freshWarehousePath('sie-import');
  const warehouse = await Warehouse.open(warehousePath);
  try {
    const trace = new ImportTrace(warehouse);
    const { ms, value: summary } = await timed(() => importFile(warehouse, [path], { orgId: 'bench-sie' }));
    report({ ms, lines: summary.years.reduce((n, y) => n + y.lines, 0), warnings: summary.warnings.length, trace: trace.finish(ms) });
  } finally {
    warehouse.close();
    removeWarehouse(warehousePath);
  }
} else {
  console.error(`usage: ${usage}`);
  process.exit(2);
}
