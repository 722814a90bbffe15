import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Warehouse } from '../../load/index.ts';
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

/** When to SIGKILL a sync: `arm` gets the kill and returns what stops it from firing later. */
export interface KillTrigger {
  label: string;
  arm(kill: () => void): () => void;
}

/** `ledgerhouse sync` in its own process, SIGKILLed when `trigger` fires unless null. */
function runSync({ orgId, configPath, env, today }: SyncCommand, warehousePath: string, trigger: KillTrigger | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const args = ['sync', orgId, '--config', configPath, '--warehouse', warehousePath];
    const child = spawn(process.execPath, today ? ['--import', 'tsx', cliOnDay, today, ...args] : [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const disarm = trigger?.arm(() => child.kill('SIGKILL'));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      disarm?.();
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`sync exited ${code}: ${stderr}`));
    });
  });
}

/** The ledger without what differs between two runs that did the same work: run ids, row order. */
export function comparable(dump: Record<string, unknown[]>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.map((r) => JSON.stringify({ ...(r as object), run_id: null })).sort()])));
}

/** Whether the warehouse at `path` holds a run that started and never finished: the kill landed mid-sync. */
async function killedMidRun(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const warehouse = await Warehouse.open(path);
  try {
    return ((await warehouse.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM sync_run WHERE status = 'running'"))?.n ?? 0) > 0;
  } finally {
    warehouse.close();
  }
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
    outcomes.push(outcome === 'killed' && (await killedMidRun(path)) ? 'killed mid-run' : outcome);
    expect(await runSync(options, path, null), `the run after the kill ${trigger.label}`).toBe('finished');
    const warehouse = await Warehouse.open(path);
    try {
      expect(comparable(await dumpLedger(warehouse)), `the warehouse after the kill ${trigger.label} and a new run`).toBe(reference);
    } finally {
      warehouse.close();
    }
  }
  // At least one kill must land mid-sync, or the test proved nothing.
  expect(outcomes).toContain('killed mid-run');
  return cleanPath;
}
