// Child process, two modes over one SAF-T file:
//   import — a full `importFile` into a fresh warehouse, timed from the call to its summary
//            (opening and migrating the empty warehouse is not timed);
//   read   — a bare `readSaft` pass that only counts ledger lines: the reader's share.
// Run alone in its process so the peak RSS it reports is its own.
//   node --import tsx bench/saft-import.ts import|read <file.xml>

import './profile-workers.ts';
import { importFile } from '../pipeline/index.ts';
import { readSaft } from '../formats/index.ts';
import { Warehouse } from '../load/index.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';
import { ImportTrace } from './import-trace.ts';

const usage = 'saft-import.ts import|read <file.xml>';
const mode = argument(0, usage);
const path = argument(1, usage);

if (mode === 'read') {
  const { ms, value } = await timed(async () => {
    let lines = 0;
    let vouchers = 0;
    for await (const events of readSaft([path])) {
      for (const event of events) {
        if (event.kind === 'voucher') {
          vouchers++;
          lines += event.voucher.lines.length;
        }
      }
    }
    return { lines, vouchers };
  });
  report({ ms, ...value });
} else if (mode === 'import') {
  const warehousePath = freshWarehousePath('saft-import');
  const warehouse = await Warehouse.open(warehousePath);
  try {
    const trace = new ImportTrace(warehouse);
    const { ms, value: summary } = await timed(() => importFile(warehouse, [path], { orgId: 'bench-saft' }));
    const lines = summary.years.reduce((n, y) => n + y.lines, 0);
    const vouchers = summary.years.reduce((n, y) => n + y.vouchers, 0);
    report({ ms, lines, vouchers, warnings: summary.warnings.length, trace: trace.finish(ms) });
  } finally {
    warehouse.close();
    removeWarehouse(warehousePath);
  }
} else {
  console.error(`usage: ${usage}`);
  process.exit(2);
}
