import { Warehouse } from './load/warehouse.ts';
import { ArrowAppender } from './load/arrow-appender.ts';
import { BatchBuilder } from './transform/batch-builder.ts';
import { unifiedTables } from './transform/unified-schema.ts';
const w = await Warehouse.open("/tmp/lh-t/w.duckdb"); await w.run("CREATE TEMP TABLE sl AS SELECT * FROM ledger_line LIMIT 0");
const b = new BatchBuilder(unifiedTables.ledger_line);
const N = 1_000_000;
const t0 = performance.now();
const batches = [];
for (let i = 0; i < N; i++) { b.appendRow(['org', '2024/A/' + (i >> 2), i & 3, '1920', BigInt(i % 2 ? -12345 : 12345), null, null, i % 5 ? '3' : null, 'Sale åæø number ' + i, null, null, 'D1', null, null, '2024-01-01', '2024-03-05', i % 7 ? null : { a: 1 }]); if (b.full) batches.push(b.flush()!); }
if (b.length) batches.push(b.flush()!);
const t1 = performance.now();
const app = await ArrowAppender.create(w.connection, "sl", "temp");
for (const bb of batches) app.append(bb);
app.close();
const t2 = performance.now();
console.log('build', (t1 - t0).toFixed(0), 'append', (t2 - t1).toFixed(0));
console.log(await w.all("select count(*) n, sum(amount) s, count(vat_code) v, count(extra) e, min(voucher_date)::varchar d, max(description) de, max(voucher_id) from sl"));
w.close();
