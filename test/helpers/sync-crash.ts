import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Warehouse } from '../../load/index.ts';
import { dumpLedger } from './warehouse-dump.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');

/** `ledgerhouse sync` in its own process, SIGKILLed after `killAfterMs` unless null. */
function runSync(orgId: string, configPath: string, warehousePath: string, env: NodeJS.ProcessEnv, killAfterMs: number | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'sync', orgId, '--config', configPath, '--warehouse', warehousePath], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === null ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
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

/**
 * Syncs once uninterrupted, then, for each delay, kills a sync after it and runs a clean one:
 * each warehouse must equal the uninterrupted one. Returns the uninterrupted warehouse's path.
 */
export async function expectCrashSafeSync(options: { orgId: string; configPath: string; dir: string; env: NodeJS.ProcessEnv; killAfterMs: number[] }): Promise<string> {
  const { orgId, configPath, dir, env } = options;
  const cleanPath = join(dir, 'clean.duckdb');
  await runSync(orgId, configPath, cleanPath, env, null);
  const clean = await Warehouse.open(cleanPath);
  const reference = comparable(await dumpLedger(clean));
  clean.close();

  const outcomes: string[] = [];
  for (const killAfter of options.killAfterMs) {
    const path = join(dir, `killed-${killAfter}.duckdb`);
    outcomes.push(await runSync(orgId, configPath, path, env, killAfter));
    expect(await runSync(orgId, configPath, path, env, null)).toBe('finished');
    const warehouse = await Warehouse.open(path);
    try {
      expect(comparable(await dumpLedger(warehouse))).toBe(reference);
    } finally {
      warehouse.close();
    }
  }
  // At least one kill must land mid-sync, or the test proved nothing.
  expect(outcomes).toContain('killed');
  return cleanPath;
}
