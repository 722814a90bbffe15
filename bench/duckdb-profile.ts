// Where a DuckDB query spends its time: the query run once more with DuckDB's JSON profiler
// on, its operator tree summarised as the operators that took longest (their own time, not
// their children's), for the log and results.json.

import { readFileSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface OperatorTime {
  operator: string;
  ms: number;
  rows: number;
  /** The operator's most telling detail: its table, aggregates, join condition, … */
  detail: string;
}

export interface QueryProfile {
  /** Latency as the profiler saw it. */
  latencyMs: number;
  cpuMs: number;
  /** Peak buffer memory; above the memory limit this means spilling. */
  peakBufferMb: number;
  peakTempDirMb: number;
  rowsScanned: number;
  /** Longest first. */
  operators: OperatorTime[];
}

interface ProfileNode {
  operator_name?: string;
  operator_timing?: number;
  operator_cardinality?: number;
  extra_info?: Record<string, unknown>;
  children?: ProfileNode[];
  latency?: number;
  cpu_time?: number;
  system_peak_buffer_memory?: number;
  system_peak_temp_dir_size?: number;
  cumulative_rows_scanned?: number;
}

const detailKeys = ['Table', 'Function', 'Aggregates', 'Groups', 'Conditions', 'Order By', 'Join Type', 'Filters', 'Projections'];

function detailOf(info: Record<string, unknown> | undefined): string {
  if (!info) return '';
  const parts: string[] = [];
  for (const key of detailKeys) {
    const value = info[key];
    if (value === undefined || value === '') continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    parts.push(`${key}: ${text.replace(/\s+/g, ' ')}`);
    if (parts.length === 2) break;
  }
  const joined = parts.join('; ');
  return joined.length > 160 ? `${joined.slice(0, 157)}…` : joined;
}

/**
 * Runs `sql` on `connection` with profiling on, reading the whole result chunk by chunk
 * (so a large result is not held in memory), and summarises the profile written to `file`.
 */
export async function profileQuery(connection: DuckDBConnection, sql: string, file: string, top = 5): Promise<QueryProfile> {
  rmSync(file, { force: true });
  await connection.run(`SET enable_profiling = 'json'`);
  await connection.run(`SET profiling_output = '${file.replaceAll("'", "''")}'`);
  try {
    const result = await connection.stream(sql);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      // read to the end
    }
  } finally {
    await connection.run('PRAGMA disable_profiling');
  }
  const root = JSON.parse(readFileSync(file, 'utf8')) as ProfileNode;
  rmSync(file, { force: true });
  const operators: OperatorTime[] = [];
  const visit = (node: ProfileNode) => {
    if (node.operator_name !== undefined) {
      operators.push({ operator: node.operator_name, ms: round((node.operator_timing ?? 0) * 1000), rows: node.operator_cardinality ?? 0, detail: detailOf(node.extra_info) });
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  operators.sort((a, b) => b.ms - a.ms);
  return {
    latencyMs: round((root.latency ?? 0) * 1000),
    cpuMs: round((root.cpu_time ?? 0) * 1000),
    peakBufferMb: Math.round((root.system_peak_buffer_memory ?? 0) / 1e6),
    peakTempDirMb: Math.round((root.system_peak_temp_dir_size ?? 0) / 1e6),
    rowsScanned: root.cumulative_rows_scanned ?? 0,
    operators: operators.slice(0, top),
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** One line per profile: latency, then the top operators. */
export function describeProfile(profile: QueryProfile): string {
  const ops = profile.operators.map((o) => `${o.operator} ${o.ms} ms (${o.rows.toLocaleString('en')} rows${o.detail ? `; ${o.detail}` : ''})`).join(' | ');
  const spill = profile.peakTempDirMb > 0 ? `, spilled ${profile.peakTempDirMb} MB` : '';
  return `profiled ${profile.latencyMs} ms (CPU ${profile.cpuMs} ms, ${profile.rowsScanned.toLocaleString('en')} rows scanned, peak buffer ${profile.peakBufferMb} MB${spill}): ${ops}`;
}
