// Fuzz suite for both readers: reference files mutated as transfers and editors damage
// files (byte flips, truncation, lines duplicated or removed, encoding damage). Every case
// must end in a typed refusal (FileFormatError, or issues of severity error) or a correct
// read (every voucher balanced); for a sample the real import runs into a DuckDB file, and
// a refused import must leave it exactly as it was.
//
// FUZZ_RUNS sets the number of reader cases (default 300, seconds); the warehouse sample is
// one case in 25. `FUZZ_RUNS=5000 npx vitest run test/formats/fuzz-readers.test.ts` is the
// long run. Figures (cases, refused, imported, worst time and heap) are printed at the end.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileFormatError, readSaft, readSie } from '../../formats/index.ts';
import { Warehouse } from '../../load/index.ts';
import type { LedgerEvent } from '../../model/index.ts';
import { importFile, ImportRejectedError } from '../../pipeline/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dumpLedger } from '../helpers/warehouse-dump.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const WAREHOUSE_EVERY = 25;

const saftDir = referencePath('saf-t', 'examples');
const sieDir = referencePath('sie', 'examples');
const seeds = [
  ...readdirSync(saftDir).filter((f) => f.endsWith('.xml')).map((f) => ({ name: f, kind: 'saft' as const, bytes: readFileSync(join(saftDir, f)) })),
  ...readdirSync(sieDir).filter((f) => /\.(se|si)$/i.test(f)).map((f) => ({ name: f, kind: 'sie' as const, bytes: readFileSync(join(sieDir, f)) })),
].sort((a, b) => a.name.localeCompare(b.name));

type Mutation =
  | { op: 'flip'; at: number; byte: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate-line'; at: number }
  | { op: 'remove-line'; at: number }
  | { op: 'latin1-byte'; at: number; byte: number }
  | { op: 'transcode'; to: 'latin1' | 'utf-16le' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('remove-line' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('latin1-byte' as const), at: fc.nat(), byte: fc.constantFrom(0xe5, 0xe4, 0xf6, 0xc5, 0xf8, 0x81, 0xc3) }),
  fc.record({ op: fc.constant('transcode' as const), to: fc.constantFrom('latin1' as const, 'utf-16le' as const) }),
);

/** Line boundaries (offsets after each LF), for line-level edits; in XML a line is mostly an element. */
function lineStarts(b: Buffer): number[] {
  const starts = [0];
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) starts.push(i + 1);
  return starts;
}

function apply(bytes: Buffer, ms: Mutation[]): Buffer {
  let b = bytes;
  for (const m of ms) {
    if (b.length === 0) break;
    switch (m.op) {
      case 'flip': {
        b = Buffer.from(b);
        b[m.at % b.length] = m.byte;
        break;
      }
      case 'truncate':
        b = b.subarray(0, m.at % b.length);
        break;
      case 'duplicate-line':
      case 'remove-line': {
        const starts = lineStarts(b);
        const i = m.at % starts.length;
        const from = starts[i]!;
        const to = starts[i + 1] ?? b.length;
        b = m.op === 'remove-line' ? Buffer.concat([b.subarray(0, from), b.subarray(to)]) : Buffer.concat([b.subarray(0, to), b.subarray(from, to), b.subarray(to)]);
        break;
      }
      case 'latin1-byte': {
        const at = m.at % b.length;
        b = Buffer.concat([b.subarray(0, at), Buffer.from([m.byte]), b.subarray(at)]);
        break;
      }
      case 'transcode':
        // The text re-encoded, its declaration left as it was: encoding damage as a careless tool makes it.
        b = Buffer.from(b.toString('utf8'), m.to);
        break;
    }
  }
  return b;
}

interface Outcome {
  refused: boolean;
  reason: string;
}

/** Reads a case; throws (failing the property) on anything but a typed refusal or a correct read. */
async function readCase(kind: 'saft' | 'sie', name: string, bytes: Buffer): Promise<Outcome> {
  const events: LedgerEvent[] = [];
  try {
    if (kind === 'saft') for await (const batch of readSaft({ name, bytes })) events.push(...batch);
    else for await (const e of readSie({ name, bytes })) events.push(e);
  } catch (e) {
    if (e instanceof FileFormatError) {
      // One sentence that names the file.
      expect(e.message.startsWith(name) || e.message.includes(name)).toBe(true);
      return { refused: true, reason: 'FileFormatError' };
    }
    throw e;
  }
  const errors = events.filter((e) => e.kind === 'issue' && e.issue.severity === 'error');
  if (errors.length > 0) return { refused: true, reason: 'error issues' };
  for (const e of events) {
    if (e.kind !== 'voucher') continue;
    const sum = e.voucher.lines.reduce((s, l) => s + l.amount, 0n);
    expect(sum, `${name}: voucher ${e.voucher.journal_id} ${e.voucher.voucher_number} read without an error but does not balance`).toBe(0n);
  }
  return { refused: false, reason: 'read' };
}

const figures = { cases: 0, refused: 0, imported: 0, warehouseCases: 0, warehouseRefused: 0, worstMs: 0, worstCase: '', peakHeapMiB: 0 };

describe('fuzzed reference files', () => {
  let warehouse: Warehouse;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('ledgerhouse-fuzz-');
    warehouse = await Warehouse.open(join(dir, 'fuzz.duckdb'));
  });
  afterAll(() => {
    warehouse?.close();
    console.log(`fuzz figures: ${JSON.stringify(figures)}`);
  });

  it(`every one of ${RUNS} mutated files is refused with a typed error or read correctly; sampled imports leave the warehouse unchanged on refusal`, async () => {
    expect(seeds.length).toBeGreaterThan(10);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (seedIndex, ms) => {
        const seed = seeds[seedIndex]!;
        const bytes = apply(seed.bytes, ms);
        const caseName = `${seed.name}#${n}`;
        const started = performance.now();
        const outcome = await readCase(seed.kind, caseName, bytes);
        figures.cases++;
        if (outcome.refused) figures.refused++;
        else figures.imported++;
        if (n++ % WAREHOUSE_EVERY === 0) {
          figures.warehouseCases++;
          const path = join(dir, `case-${n}${seed.kind === 'saft' ? '.xml' : '.se'}`);
          writeFileSync(path, bytes);
          const before = await dumpLedger(warehouse);
          const result = await importFile(warehouse, [path], { orgId: `fuzz-${n}` }).catch((e: unknown) => e);
          if (result instanceof Error) {
            if (!(result instanceof ImportRejectedError || result instanceof FileFormatError)) throw result;
            figures.warehouseRefused++;
            expect(await dumpLedger(warehouse)).toEqual(before);
          } else {
            const unbalanced = await warehouse.one<{ n: number }>(
              'SELECT count(*)::INT AS n FROM (SELECT voucher_id FROM ledger_line WHERE org_id = $1 GROUP BY voucher_id HAVING sum(amount) <> 0)',
              [`fuzz-${n}`],
            );
            expect(unbalanced).toEqual({ n: 0 });
          }
        }
        const ms_ = performance.now() - started;
        if (ms_ > figures.worstMs) [figures.worstMs, figures.worstCase] = [Math.round(ms_), `${seed.name} ${JSON.stringify(ms)}`];
        figures.peakHeapMiB = Math.max(figures.peakHeapMiB, Math.round(process.memoryUsage().heapUsed / 2 ** 20));
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(figures.refused).toBeGreaterThan(0);
    expect(figures.imported).toBeGreaterThan(0);
  }, 600_000);
});
