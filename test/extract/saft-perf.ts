// Measures readSaft against a bare saxes parse of the same file (the "parse floor").
// Not a vitest file: run `npx tsx test/extract/saft-perf.ts [MB]` by hand. It writes a large
// file into os.tmpdir() by repeating the Tøyen transactions with fresh TransactionIDs.

import { createReadStream, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SaxesParser } from 'saxes';
import { readSaft } from '../../extract/saft/index.ts';
import { referencePath } from '../helpers/reference.ts';

const TOYEN = referencePath('saf-t/examples/ExampleFile SAF-T Financial_888888888_20180228235959.xml');

export async function generateLargeSaft(path: string, targetMb: number): Promise<{ transactions: number }> {
  const src = readFileSync(TOYEN, 'utf8');
  const jStart = src.indexOf('<n1:Transaction>');
  const jEnd = src.lastIndexOf('</n1:Journal>');
  const head = src.slice(0, jStart);
  const body = src.slice(jStart, jEnd);
  const tail = src.slice(jEnd);
  const out = createWriteStream(path);
  out.write(head.replace(/<n1:NumberOfEntries>\d+/, '<n1:NumberOfEntries>0'));
  let transactions = 0;
  let bytes = head.length;
  for (let round = 0; bytes < targetMb * 1e6; round++) {
    const chunk = body.replace(/<n1:TransactionID>(\d+)</g, (_m, id: string) => {
      transactions++;
      return `<n1:TransactionID>${round}-${id}<`;
    });
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end(tail);
  await once(out, 'finish');
  return { transactions };
}

async function bareSaxes(path: string): Promise<number> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let n = 0;
  parser.on('opentag', () => void n++);
  const stream = createReadStream(path, { highWaterMark: 1 << 20, encoding: 'utf8' });
  for await (const chunk of stream) parser.write(chunk as string);
  parser.close();
  return n;
}

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 100);
  const path = join(tmpdir(), `saft-perf-${process.pid}.xml`);
  const { transactions } = await generateLargeSaft(path, mb);
  try {
    let t = performance.now();
    const elements = await bareSaxes(path);
    const bare = performance.now() - t;
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    t = performance.now();
    let vouchers = 0;
    let lines = 0;
    for await (const e of readSaft([path])) {
      if (e.kind === 'voucher') {
        vouchers++;
        lines += e.voucher.lines.length;
      }
    }
    const full = performance.now() - t;
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(JSON.stringify({ mb, transactions, vouchers, lines, elements, bareMs: Math.round(bare), readSaftMs: Math.round(full), ratio: +(full / bare).toFixed(2), peakRssMb: Math.round(peak / 2 ** 20) }));
  } finally {
    rmSync(path, { force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
