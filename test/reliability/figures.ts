// The reliability suite's figures, printed once per file: trials, outcomes, worst time, peak RSS.
import { afterAll } from 'vitest';
import { crashFigures } from '../helpers/sync-crash.ts';

/** Trials per importer and per connector: RELIABILITY_TRIALS (CI sets it), else 3. */
export const TRIALS = Math.max(1, Number(process.env.RELIABILITY_TRIALS ?? 3));

/** The seed of the suite's random moments: RELIABILITY_SEED repeats a run's; it is printed. */
export const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);

const outcomes = new Map<string, number>();
const worst = { ms: 0, what: '' };

export function countOutcomes(what: string, list: readonly string[]): void {
  for (const o of list) outcomes.set(`${what}: ${o}`, (outcomes.get(`${what}: ${o}`) ?? 0) + 1);
}

export function timed(what: string, ms: number): void {
  if (ms > worst.ms) Object.assign(worst, { ms: Math.round(ms), what });
}

/** Prints the file's figures after its tests. */
export function printFiguresAfterAll(suite: string): void {
  afterAll(() => {
    const lines = [
      `reliability ${suite}: RELIABILITY_TRIALS=${TRIALS}, RELIABILITY_SEED=${SEED}`,
      ...[...outcomes].sort().map(([k, n]) => `  ${k} × ${n}`),
      `  CLI runs: ${crashFigures.runs}, worst ${crashFigures.worstMs} ms, peak RSS of a CLI run ${Math.round(crashFigures.peakRssKb / 1024)} MB`,
      `  in-process: worst ${worst.ms} ms (${worst.what || 'none'}), peak RSS of the test process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    ];
    console.info(lines.join('\n'));
  });
}
