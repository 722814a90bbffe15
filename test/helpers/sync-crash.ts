import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Warehouse } from '../../load/index.ts';
import { importFile } from '../../pipeline/index.ts';
import { writeSaftFile, writeSieFile } from '../../formats/index.ts';
import { generateCompany } from '../../sandbox/index.ts';
import { dumpLedger } from './warehouse-dump.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
const cliOnDay = join(import.meta.dirname, 'cli-on-day.ts');

/** Where a sync runs: its organization, configuration and credentials' key, and the day its clock reads (the machine's without it). */
interface SyncCommand {
  orgId: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  today?: string;
}

/** When to stop a sync or an import: `arm` gets the kill and returns what stops it from firing later. */
export interface KillTrigger {
  label: string;
  arm(kill: () => void): () => void;
  /** The signal sent; SIGKILL unless given. SIGTERM and SIGINT must end the run `interrupted`. */
  signal?: CrashSignal;
}

export type CrashSignal = 'SIGKILL' | 'SIGTERM' | 'SIGINT';

/** How a signalled CLI run ended: killed by the signal, stopped by it (exit 143/130), or done first. */
export type CrashOutcome = 'killed' | 'interrupted' | 'finished';

/** Figures of the runs a crash harness started, for the reliability suite to print. */
export const crashFigures = { runs: 0, worstMs: 0, peakRssKb: 0 };

/**
 * The child's peak resident set (VmHWM), sampled while it runs: Node reports no child's
 * rusage, and the high-water mark only grows, so the last sample is close to the peak.
 */
function watchPeak(child: ChildProcess): () => void {
  const sample = () => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      crashFigures.peakRssKb = Math.max(crashFigures.peakRssKb, kb);
    } catch {
      // gone already, or no /proc here
    }
  };
  const timer = setInterval(sample, 100);
  const started = performance.now();
  return () => {
    clearInterval(timer);
    crashFigures.runs++;
    crashFigures.worstMs = Math.max(crashFigures.worstMs, Math.round(performance.now() - started));
  };
}

/** A CLI run in its own process, sent `trigger`'s signal when it fires unless null. */
function runCli(args: string[], env: NodeJS.ProcessEnv, trigger: KillTrigger | null, today?: string, onStdout?: (text: string) => void): Promise<CrashOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, today ? ['--import', 'tsx', cliOnDay, today, ...args] : [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout!.on('data', (d: Buffer) => onStdout?.(d.toString()));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const stopWatching = watchPeak(child);
    const sent = trigger?.signal ?? 'SIGKILL';
    const disarm = trigger?.arm(() => child.kill(sent));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      disarm?.();
      stopWatching();
      // A signal before the handlers are in place ends the process as the default would.
      if (signal === sent) resolve('killed');
      else if (code === 0) resolve('finished');
      else if (trigger && ((sent === 'SIGTERM' && code === 143) || (sent === 'SIGINT' && code === 130))) resolve('interrupted');
      else reject(new Error(`${args[0]} exited ${code ?? signal}: ${stderr}`));
    });
  });
}

/** `ledgerhouse sync` in its own process, signalled when `trigger` fires unless null. */
function runSync({ orgId, configPath, env, today }: SyncCommand, warehousePath: string, trigger: KillTrigger | null): Promise<CrashOutcome> {
  return runCli(['sync', orgId, '--config', configPath, '--warehouse', warehousePath], env, trigger, today);
}

/**
 * After a stop: no run may stay `running` once a new run has started, and a run stopped by
 * SIGTERM/SIGINT says `interrupted` at once. Returns whether a run was cut short mid-way.
 */
async function expectRunRecords(path: string, outcome: CrashOutcome): Promise<boolean> {
  if (!existsSync(path)) return false;
  const warehouse = await Warehouse.open(path);
  try {
    const statuses = await warehouse.all<{ status: string }>('SELECT status FROM sync_run ORDER BY started_at');
    if (outcome === 'interrupted') {
      // Stopped in flight it says so; stopped once its work was committed it succeeded.
      expect(statuses.map((r) => r.status)).not.toContain('running');
      expect(['interrupted', 'succeeded']).toContain(statuses.at(-1)?.status);
    }
    return statuses.some((r) => r.status === 'running' || r.status === 'interrupted');
  } finally {
    warehouse.close();
  }
}

/** After the run that followed a stop: nothing is left `running`. */
async function expectNothingRunning(path: string): Promise<void> {
  const warehouse = await Warehouse.open(path);
  try {
    expect(await warehouse.all("SELECT run_id FROM sync_run WHERE status = 'running'")).toEqual([]);
  } finally {
    warehouse.close();
  }
}

/** The ledger without what differs between two runs that did the same work: run ids, row order. */
export function comparable(dump: Record<string, unknown[]>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.map((r) => JSON.stringify({ ...(r as object), run_id: null })).sort()])));
}

/**
 * Syncs once uninterrupted, then, for each kill trigger, kills a sync when it fires and runs a
 * clean one: each warehouse must equal the uninterrupted one. `kills` is asked for the triggers
 * after the uninterrupted run, so they can be placed by what it did. Returns the uninterrupted
 * warehouse's path.
 */
export async function expectCrashSafeSync(options: SyncCommand & { dir: string; kills: () => KillTrigger[] }): Promise<string> {
  const cleanPath = join(options.dir, 'clean.duckdb');
  await runSync(options, cleanPath, null);
  const clean = await Warehouse.open(cleanPath);
  const reference = comparable(await dumpLedger(clean));
  clean.close();

  const outcomes: string[] = [];
  for (const [i, trigger] of options.kills().entries()) {
    const path = join(options.dir, `killed-${i}.duckdb`);
    const outcome = await runSync(options, path, trigger);
    outcomes.push(outcome !== 'finished' && (await expectRunRecords(path, outcome)) ? 'killed mid-run' : outcome);
    expect(await runSync(options, path, null), `the run after the kill ${trigger.label}`).toBe('finished');
    await expectNothingRunning(path);
    const warehouse = await Warehouse.open(path);
    try {
      expect(comparable(await dumpLedger(warehouse)), `the warehouse after the kill ${trigger.label} and a new run`).toBe(reference);
    } finally {
      warehouse.close();
    }
  }
  // At least one kill must land mid-sync, or the test proved nothing.
  expect(outcomes).toContain('killed mid-run');
  lastOutcomes.splice(0, lastOutcomes.length, ...outcomes);
  return cleanPath;
}

/** The outcomes of the last crash trials (`killed mid-run`, `killed`, `finished`), for figures. */
export const lastOutcomes: string[] = [];

export interface ImportCrash {
  dir: string;
  orgId: string;
  /** Imported first, uninterrupted: the state a stopped import must fall back to. */
  first: string;
  /** The import that is stopped, then run again. */
  second: string;
  /**
   * When to stop it, in ms after its run starts (its first write to the warehouse), given how
   * long an uninterrupted one took from there to its commit.
   */
  moments: (cleanMs: number) => number[];
  signal?: CrashSignal;
}

/**
 * Imports `first` then `second` uninterrupted as the reference; then, per moment, imports
 * `first`, stops an import of `second` at that moment, checks the ledger is one of the two
 * states and the run records say so, imports `second` again and checks the ledger equals the
 * reference. Returns each trial's outcome (`killed mid-run` when the stop landed mid-import).
 */
export async function expectCrashSafeImport(options: ImportCrash): Promise<string[]> {
  const { dir, orgId, first, second, signal = 'SIGKILL' } = options;
  const importCli = (path: string, trigger: KillTrigger | null, onStdout?: (text: string) => void) =>
    runCli(['import', second, '--org', orgId, '--warehouse', path], process.env, trigger, undefined, onStdout);
  const cleanPath = join(dir, `clean-import-${signal}.duckdb`);
  const clean = await Warehouse.open(cleanPath);
  await importFile(clean, [first], { orgId });
  const afterFirst = comparableImport(await dumpLedger(clean));
  clean.close();
  // The run starts with its first write (the WAL appears: the closed warehouse has none) and
  // is committed when the summary is printed; the marts are rebuilt after that.
  let runStarted = 0;
  let committed = 0;
  const timing: KillTrigger = { label: 'none', arm: () => afterRunStarts(cleanPath, () => (runStarted = performance.now()), 0) };
  expect(await importCli(cleanPath, timing, (text) => (committed ||= text.includes('Imported ') ? performance.now() : 0))).toBe('finished');
  expect(runStarted, 'the clean import wrote to the warehouse').toBeGreaterThan(0);
  const cleanMs = Math.max(1, committed - runStarted);
  const reopenedClean = await Warehouse.open(cleanPath);
  const afterBoth = comparableImport(await dumpLedger(reopenedClean));
  reopenedClean.close();

  const outcomes: string[] = [];
  for (const [i, ms] of options.moments(cleanMs).entries()) {
    const path = join(dir, `stopped-${signal}-${i}.duckdb`);
    const warehouse = await Warehouse.open(path);
    await importFile(warehouse, [first], { orgId });
    warehouse.close();
    const label = `${signal} ${Math.round(ms)} ms into the import of ${second}`;
    const outcome = await importCli(path, { label, signal, arm: (kill) => afterRunStarts(path, kill, ms) });
    outcomes.push(outcome !== 'finished' && (await expectRunRecords(path, outcome)) ? 'killed mid-run' : outcome);
    const reopened = await Warehouse.open(path);
    try {
      const state = comparableImport(await dumpLedger(reopened));
      if (process.env.SHOW_OUTCOMES && state !== afterFirst && state !== afterBoth) {
        const [a, b] = [JSON.parse(state), JSON.parse(afterBoth)];
        for (const t of Object.keys(a)) if (JSON.stringify(a[t]) !== JSON.stringify(b[t])) console.info(`DIFF ${t} ${a[t].length} ${b[t].length} ${JSON.stringify(a[t].filter((r: string) => !b[t].includes(r)).slice(0, 2))}`);
      }
      expect([afterFirst, afterBoth], `the ledger after ${label}`).toContain(state);
      await importFile(reopened, [second], { orgId });
      expect(comparableImport(await dumpLedger(reopened)), `the ledger after ${label} and a new import`).toBe(afterBoth);
      expect(await reopened.all("SELECT run_id FROM sync_run WHERE status = 'running'")).toEqual([]);
    } finally {
      reopened.close();
    }
  }
  return outcomes;
}

/** Calls `fire` `ms` after the warehouse at `path` gets its WAL (a run's first write); returns the disarm. */
function afterRunStarts(path: string, fire: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  const poll = setInterval(() => {
    if (!existsSync(`${path}.wal`)) return;
    clearInterval(poll);
    timer = setTimeout(fire, ms);
  }, 5);
  return () => {
    clearInterval(poll);
    clearTimeout(timer);
  };
}

/** As `comparable`, with the change log and issues counted: a re-run logs under its own run. */
function comparableImport(dump: Record<string, unknown[]>): string {
  return comparable({ ...dump, change_log: [{ rows: dump.change_log!.length }], import_issue: [{ rows: dump.import_issue!.length }] });
}

/**
 * Two consecutive years of a generated company as files of `format`: the first imported
 * uninterrupted, the second stopped mid-import.
 */
export async function twoYearFiles(dir: string, format: 'sie' | 'saft', linesPerYear = 25_000): Promise<[string, string]> {
  const country = format === 'sie' ? 'SE' : 'NO';
  const company = generateCompany({ seed: 3, country, linesPerYear, years: 2, currentYear: 2026 });
  const files = company.fiscalYears.map((_, i) => join(dir, `year-${i}.${format === 'sie' ? 'se' : 'xml'}`));
  for (const [i, year] of company.fiscalYears.entries()) await (format === 'sie' ? writeSieFile : writeSaftFile)(year, files[i]!);
  return [files[0]!, files[1]!];
}
