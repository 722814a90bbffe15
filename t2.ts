import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create('/tmp/lh-t/x.duckdb');
const c = await inst.connect();
await c.run('create table t (a varchar, b bigint, c decimal(18,2), d date, e varchar not null)');
const app = await c.createAppender('t');
const raw = (app as any).appender;
const types = [0,1,2,3,4].map(i => app.columnType(i));
let tCreate = 0, tFill = 0, tAppend = 0;
for (let r = 0; r < 500; r++) {
  let t = performance.now();
  const ch = DuckDBDataChunk.create(types, 2048);
  tCreate += performance.now() - t; t = performance.now();
  for (let col = 0; col < 5; col++) { const v = duckdb.data_chunk_get_vector(ch.chunk, col); const buf = new Uint8Array(2048*16); if (col===0||col===4) for (let i=0;i<2048;i++){buf[i*16]=3;buf[i*16+4]=65;} duckdb.copy_data_to_vector(v, 0, buf.buffer, 0, col===3?2048*4:(col===0||col===4?2048*16:2048*8)); }
  tFill += performance.now() - t; t = performance.now();
  duckdb.append_data_chunk(raw, ch.chunk);
  tAppend += performance.now() - t;
}
let t = performance.now(); app.closeSync(); const tClose = performance.now() - t;
console.log({ tCreate, tFill, tAppend, tClose });
console.log((await c.runAndReadAll('select count(*), max(a) from t')).getRows());
