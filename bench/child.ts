// Helpers for the benchmark child processes: each child measures one thing and reports it
// as a single JSON line on stdout, with its own peak RSS, for bench/run.ts to collect.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchOut } from './paths.ts';

export const RESULT_MARKER = 'BENCH_RESULT ';

export interface ChildResult {
  /** Wall time of the measured section, in milliseconds. */
  ms: number;
  /** Peak resident set size of the whole child process, in MB (10^6 bytes). */
  maxRssMb: number;
  [key: string]: unknown;
}

/** Prints the child's result line, adding its peak RSS. */
export function report(result: Omit<ChildResult, 'maxRssMb'>): void {
  const maxRssMb = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6); // maxRSS is in KiB
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify({ ...result, maxRssMb })}\n`);
}

/** Times `work` with the monotonic clock. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** A path for a fresh warehouse under bench/out/tmp; anything left there by a crash is removed. */
export function freshWarehousePath(name: string): string {
  const dir = join(benchOut, 'tmp');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${process.pid}.duckdb`);
  removeWarehouse(path);
  return path;
}

export function removeWarehouse(path: string): void {
  for (const p of [path, `${path}.wal`, `${path}.tmp`]) rmSync(p, { recursive: true, force: true });
}

/** The single positional argument a child needs, or a clear usage error. */
export function argument(index: number, usage: string): string {
  const value = process.argv[2 + index];
  if (value === undefined) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return value;
}
