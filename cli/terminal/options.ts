import { resolve } from 'node:path';
import { UsageError } from '../../pipeline/index.ts';

export function warehousePath(values: Record<string, unknown>): string {
  return resolve((values.warehouse as string | undefined) ?? process.env.LEDGERHOUSE_WAREHOUSE ?? 'warehouse.duckdb');
}

export function requiredString(values: Record<string, unknown>, name: string, hint: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required: ${hint}.`);
  return value;
}

/** Organization ids end up in file names and SQL parameters: keep them plain. */
export function orgId(values: Record<string, unknown>): string {
  const id = requiredString(values, 'org', 'give the organization id, e.g. --org acme');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id)) {
    throw new UsageError(`--org "${id}" is not a valid organization id: use letters, digits, "-", "_" or ".", at most 64 characters.`);
  }
  return id;
}

export function positiveInteger(values: Record<string, unknown>, name: string, fallback: number): number {
  const value = values[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1, not "${String(value)}".`);
  return n;
}
