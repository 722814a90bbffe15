// Parent-side helpers: run a benchmark child, collect its result line, summarise samples.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { RESULT_MARKER, type ChildResult } from './child.ts';
import { benchDir, benchScript, profileDir } from './paths.ts';

export interface ChildOptions {
  /** Write a V8 CPU profile of the child as `<profileDir>/<name>.cpuprofile`. */
  profileName?: string;
}

/** Runs `node --import tsx bench/<script> …args` and returns the result line it printed. */
export function runChild(script: string, args: string[], options: ChildOptions = {}): Promise<ChildResult> {
  const profile = options.profileName
    ? (mkdirSync(profileDir, { recursive: true }), ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${options.profileName}.cpuprofile`])
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', benchScript(script), ...args], {
    cwd: dirname(benchDir),
    stdio: ['ignore', 'pipe', 'inherit'],
    env: options.profileName ? { ...process.env, BENCH_WORKER_PROFILE: JSON.stringify({ dir: profileDir, name: options.profileName }) } : process.env,
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (code !== 0 || !line) {
        reject(new Error(`bench/${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${stdout ? `:\n${stdout}` : ''}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as ChildResult);
    });
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = loadavg().map((v) => +v.toFixed(2));
  return [one!, five!, fifteen!];
}

export function machine(): { node: string; cpus: number; cpuModel: string } {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
}

/**
 * Runs each of `sides` in turn, `reps` rounds, so a change in machine load during the run
 * touches every side alike. Returns the samples per side, in the order given.
 */
export async function alternate(
  reps: number,
  sides: readonly (() => Promise<ChildResult>)[],
  onSample: (side: number, result: ChildResult) => void,
): Promise<ChildResult[][]> {
  const out = sides.map(() => [] as ChildResult[]);
  for (let round = 0; round < reps; round++) {
    for (const [i, run] of sides.entries()) {
      const result = { ...(await run()), loadAverage1m: loadAverage()[0] };
      out[i]!.push(result);
      onSample(i, result);
    }
  }
  return out;
}
