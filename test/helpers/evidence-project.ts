// Reads the Evidence project in reports/evidence the way Evidence 40 does, without Evidence:
// its build needs the internet (DuckDB-WASM fetches its parquet extension), the tests may
// not. Pages are Markdown with ```sql name fences and Svelte components; sources are .sql
// files whose results Evidence exposes to the pages as tables `<source>.<file name>`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

export const evidenceRoot = join(import.meta.dirname, '..', '..', 'reports', 'evidence');

export interface EvidencePage {
  /** Path under pages/, e.g. `accounts/[account].md`. */
  path: string;
  /** The Markdown with partials injected, as Evidence's preprocessor does first. */
  text: string;
  queries: PageQuery[];
  components: PageComponent[];
}

export interface PageQuery {
  name: string;
  sql: string;
}

export interface PageComponent {
  tag: string;
  attributes: Record<string, string>;
  /** DataTable only: the ids of its <Column> children. */
  columns: string[];
}

/** Every page under pages/, partials injected, in path order. */
export function readPages(root = evidenceRoot): EvidencePage[] {
  const pagesDir = join(root, 'pages');
  return listFiles(pagesDir)
    .filter((f) => f.endsWith('.md'))
    .map((file) => {
      const text = injectPartials(readFileSync(file, 'utf8'), join(root, 'partials'));
      return { path: relative(pagesDir, file), text, queries: extractQueries(text), components: extractComponents(text) };
    });
}

/** The source queries of one source folder (initialize.sql is Evidence's setup, not a source). */
export function readSources(root = evidenceRoot, source = 'warehouse'): { name: string; sql: string }[] {
  const dir = join(root, 'sources', source);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql') && f !== 'initialize.sql')
    .sort()
    .map((f) => ({ name: f.slice(0, -'.sql'.length), sql: readFileSync(join(dir, f), 'utf8') }));
}

export function readInitializeSql(root = evidenceRoot, source = 'warehouse'): string {
  return readFileSync(join(root, 'sources', source, 'initialize.sql'), 'utf8');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** `{@partial "file.md"}` replaced by the file's text (@evidence-dev/preprocess inject-partials). */
export function injectPartials(text: string, partialsDir: string): string {
  return text.replace(/\{@partial\s+"(.*?)"\s*\}/g, (_, file: string) => readFileSync(join(partialsDir, file), 'utf8'));
}

/** ```sql name fences: the query's name is the fence's info string after `sql`. */
export function extractQueries(text: string): PageQuery[] {
  const out: PageQuery[] = [];
  const fence = /^```sql[ \t]+(\S+)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const m of text.matchAll(fence)) out.push({ name: m[1]!, sql: m[2]!.trim() });
  return out;
}

/** Components with a `data={query}` prop, and Value; attributes as written (quotes removed). */
export function extractComponents(text: string): PageComponent[] {
  const withoutFences = text.replace(/^```[\s\S]*?^```[ \t]*$/gm, '');
  const out: PageComponent[] = [];
  const tag = /<([A-Z][A-Za-z]*)\b((?:[^>"{]|"[^"]*"|\{[^}]*\})*?)(\/?)>/g;
  for (const m of withoutFences.matchAll(tag)) {
    const name = m[1]!;
    if (name === 'Column') continue;
    const attributes = parseAttributes(m[2]!);
    let columns: string[] = [];
    if (name === 'DataTable' && m[3] !== '/') {
      const end = withoutFences.indexOf('</DataTable>', m.index);
      const body = withoutFences.slice(m.index + m[0].length, end);
      columns = [...body.matchAll(/<Column\b((?:[^>"{]|"[^"]*"|\{[^}]*\})*?)\/>/g)].map((c) => parseAttributes(c[1]!)['id']!);
    }
    out.push({ tag: name, attributes, columns });
  }
  return out;
}

function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z][\w-]*)=("([^"]*)"|\{([^}]*)\}|([^\s"{}>]+))/g)) {
    out[m[1]!] = m[3] ?? m[4] ?? m[5] ?? '';
  }
  return out;
}

/** The column names a component reads from its data (y={['a', 'b']} gives both). */
export function columnsUsed(component: PageComponent): string[] {
  const keys = component.tag === 'Dropdown' ? ['value', 'label'] : ['value', 'column', 'comparison', 'sparkline', 'x', 'y', 'y2', 'series', 'link'];
  const out = new Set<string>(component.columns);
  for (const key of keys) {
    const raw = component.attributes[key];
    if (raw === undefined) continue;
    const listed = [...raw.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
    for (const column of listed.length > 0 ? listed : [raw]) out.add(column);
  }
  return [...out];
}

export interface TemplateValues {
  inputs: Record<string, string>;
  params?: Record<string, string>;
}

/**
 * A page query as the browser runs it: other queries of the page referenced as ${name}
 * inlined as subqueries (Evidence's query chaining), ${inputs.x.value} and ${params.x}
 * replaced by the values given. Throws on a template it cannot fill.
 */
export function compileQuery(name: string, queries: readonly PageQuery[], values: TemplateValues, depth = 0): string {
  const query = queries.find((q) => q.name === name);
  if (!query) throw new Error(`no query ${name}`);
  if (depth > 15) throw new Error(`circular reference in ${name}`);
  return query.sql.replace(/\$\{\s*([^}]+?)\s*\}/g, (whole, expression: string) => {
    const input = /^inputs\.(\w+)\.value$/.exec(expression);
    if (input) {
      const value = values.inputs[input[1]!];
      if (value === undefined) throw new Error(`${name} needs input ${input[1]}`);
      return value;
    }
    const param = /^params\.(\w+)$/.exec(expression);
    if (param) {
      const value = values.params?.[param[1]!];
      if (value === undefined) throw new Error(`${name} needs param ${param[1]}`);
      return value;
    }
    if (queries.some((q) => q.name === expression)) return `(${compileQuery(expression, queries, values, depth + 1)})`;
    throw new Error(`${name}: cannot fill ${whole}`);
  });
}

/** The three statements Evidence's QueryStore sends for a page query: data, length, columns. */
export function evidenceStatements(name: string, sql: string): string[] {
  return [`---- Data ${name}\n${sql}`, `SELECT COUNT(*) as rowCount FROM (${sql})`, `DESCRIBE ${sql}`];
}

/** The options query a <Dropdown> builds (component-utilities buildInputQuery). */
export function dropdownOptionsQuery(dropdown: PageComponent, dataSql: string): string {
  const { value, label, order } = dropdown.attributes;
  if (!value) throw new Error(`Dropdown ${dropdown.attributes['name']} has no value`);
  const ordinal = order ? `, row_number() over (ORDER BY ${order}) AS ordinal` : '';
  return `SELECT DISTINCT ${value} AS value, ${label ?? value} AS label${ordinal} FROM (${dataSql})${order ? ` ORDER BY ${order}` : ''}`;
}

/**
 * Runs each source query against the catalog the connection uses and keeps its result as
 * table `schema.<name>`, typed as Evidence stores it: @evidence-dev/duckdb maps DECIMAL and
 * every integer to a JS number and the parquet cache keeps it as DOUBLE; dates become
 * millisecond timestamps; a date or boolean column that is all NULL becomes DOUBLE; the
 * rest is text.
 */
export async function materializeSources(connection: DuckDBConnection, sources: readonly { name: string; sql: string }[], schema: string): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const source of sources) {
    const described = (await connection.runAndReadAll(`DESCRIBE ${source.sql}`)).getRowObjectsJson() as { column_name: string; column_type: string }[];
    const nullable = described.filter((c) => /^(DATE|TIMESTAMP|BOOLEAN)/.test(c.column_type));
    const counts = nullable.length === 0 ? {} : (await connection.runAndReadAll(
      `SELECT ${nullable.map((c, i) => `count("${c.column_name}")::INTEGER AS c${i}`).join(', ')} FROM (${source.sql})`,
    )).getRowObjectsJson()[0]!;
    const allNull = new Set(nullable.filter((_, i) => counts[`c${i}`] === 0).map((c) => c.column_name));
    const casts = described.map(({ column_name: column, column_type: type }) => {
      const quoted = `"${column}"`;
      if (allNull.has(column)) return `NULL::DOUBLE AS ${quoted}`;
      if (/^(DECIMAL|DOUBLE|FLOAT|REAL|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/.test(type)) return `${quoted}::DOUBLE AS ${quoted}`;
      if (/^(DATE|TIMESTAMP)/.test(type)) return `${quoted}::TIMESTAMP_MS::TIMESTAMP AS ${quoted}`;
      if (type === 'BOOLEAN') return quoted;
      return `${quoted}::VARCHAR AS ${quoted}`;
    });
    await connection.run(`CREATE TABLE ${schema}.${source.name} AS SELECT ${casts.join(', ')} FROM (${source.sql})`);
  }
}

/**
 * The Nordic text of an exact decimal (as DuckDB's JSON gives it, e.g. "-1234567.891"):
 * rounded half away from zero to `places`, a space between thousands, a comma before the
 * decimals. Written apart from the SQL macros so that each checks the other.
 */
export function nordicNumber(value: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const fraction = (m[3] ?? '').padEnd(places + 1, '0');
  const withNext = BigInt(m[2]! + fraction.slice(0, places + 1));
  const units = withNext / 10n + (withNext % 10n >= 5n ? 1n : 0n);
  const scale = 10n ** BigInt(places);
  const whole = (units / scale).toString().replace(/\B(?=(\d{3})+$)/g, ' ');
  const decimals = places > 0 ? `,${(units % scale).toString().padStart(places, '0')}` : '';
  return `${m[1] === '-' && units !== 0n ? '-' : ''}${whole}${decimals}`;
}

/** A decimal string times 100 (a fraction as percent), exactly. */
export function timesHundred(value: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const fraction = (m[3] ?? '').padEnd(2, '0');
  const whole = `${m[2]}${fraction.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = fraction.slice(2);
  return `${m[1]}${whole}${rest ? `.${rest}` : ''}`;
}
