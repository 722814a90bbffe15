// Looks for secrets where they must never be: text printed, files written, every text column
// of every table of a DuckDB file (its pages may hold them compressed, so it is asked by SQL).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Warehouse } from '../../load/index.ts';
import { isSecretKey } from '../../pipeline/index.ts';

/** The values of a credential record that are secrets (tokens, client secrets, API keys, passwords), not ids. */
export function secretValues(record: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(record ?? {})
    .filter(([k, v]) => typeof v === 'string' && v.length >= 8 && (isSecretKey(k) || /access|refresh|bearer/i.test(k)) && !/id$/i.test(k))
    .map(([, v]) => v as string);
}

/** Token-looking values in an answer's JSON (an OAuth token answer, a session token): what a provider issued. */
export function issuedSecrets(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      if (value.length >= 8 && /token|secret|password|api[-_]?key/i.test(key) && !/type|expires|id$/i.test(key)) found.push(value);
    } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(parsed, '');
  return found;
}

/** Where each secret appears in `text`, named by `where`. */
export function hitsIn(where: string, text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${where} holds ${s.slice(0, 4)}…`);
}

/** Every file under `dir` (DuckDB files by SQL, the rest as UTF-8 and Latin-1 text). */
export async function hitsInFolder(dir: string, secrets: readonly string[]): Promise<{ hits: string[]; files: number; warehouses: number }> {
  const result = { hits: [] as string[], files: 0, warehouses: 0 };
  const visit = async (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) await visit(join(path, name));
      return;
    }
    result.files++;
    if (/\.duckdb$/.test(path)) {
      result.warehouses++;
      result.hits.push(...(await hitsInWarehouse(path, secrets)));
    } else if (!/\.duckdb\.wal$/.test(path)) {
      const bytes = readFileSync(path);
      result.hits.push(...hitsIn(relative(dir, path), bytes.toString('utf8') + bytes.toString('latin1'), secrets));
    }
  };
  await visit(dir);
  return result;
}

/** Every VARCHAR column of every table and view. */
export async function hitsInWarehouse(path: string, secrets: readonly string[]): Promise<string[]> {
  const warehouse = await Warehouse.open(path);
  try {
    const columns = await warehouse.all<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR' AND table_schema = 'main'",
    );
    const hits: string[] = [];
    for (const { table_name, column_name } of columns) {
      const any = await warehouse.one<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM "${table_name}" WHERE ${secrets.map((_, i) => `contains("${column_name}", $${i + 1})`).join(' OR ')}`,
        [...secrets],
      );
      if (!any?.n) continue;
      for (const secret of secrets) {
        const row = await warehouse.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM "${table_name}" WHERE contains("${column_name}", $1)`, [secret]);
        if ((row?.n ?? 0) > 0) hits.push(`${path} ${table_name}.${column_name} holds ${secret.slice(0, 4)}…`);
      }
    }
    return hits;
  } finally {
    warehouse.close();
  }
}
