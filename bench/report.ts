// The readable table on stdout and bench/out/results.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import type { BenchmarkResult } from './benchmarks.ts';
import { benchDir, resultsPath } from './paths.ts';

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  machine: { node: string; cpus: number; cpuModel: string };
  loadAverage: { start: [number, number, number]; end: [number, number, number] };
  reps: number;
  benchmarks: BenchmarkResult[];
}

export function printTable(results: BenchmarkResult[]): void {
  const header = ['benchmark', 'figure', 'measured (median)', 'floor, same run (median)', 'ratio', 'goal', 'met'];
  const rows = results.flatMap((r) =>
    r.figures.map((f) => [r.title, f.label, f.measured, f.floor, f.ratio === null ? '' : `${f.ratio.toFixed(2)}×`, f.goal, f.met === null ? '–' : f.met ? 'yes' : 'NO']),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

export function writeResults(record: RunRecord): void {
  const repo = dirname(benchDir);
  const portable = {
    ...record,
    benchmarks: record.benchmarks.map((b) => ({ ...b, input: { ...b.input, path: isAbsolute(b.input.path) ? relative(repo, b.input.path) : b.input.path } })),
  };
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify(portable, null, 2)}\n`);
}
