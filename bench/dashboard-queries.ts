// Child process: every SQL query of the Evidence dashboards (reports/evidence) timed over a
// published snapshot of the benchmark warehouse, with native DuckDB (Evidence itself is not
// run; the queries are read and filled in as test/reports/evidence-queries.test.ts does,
// with the helpers of test/helpers/evidence-project.ts).
//
//   0. Not timed: the cached warehouse is copied, the marts built (buildMarts) and the copy
//      published (publishSnapshot), as the ETL does after a run; the publish time is reported.
//   1. Source queries (sources/warehouse/*.sql, `npm run sources`), as @evidence-dev/duckdb
//      runs each: a new DuckDB instance on the snapshot file (READ_ONLY), initialize.sql,
//      then `WITH root AS (…) SELECT COUNT(*)`, `DESCRIBE …`, and the query itself streamed
//      to its last row. Each phase is timed; the query's time is their sum. The connector
//      also turns every row into a JS object (and Evidence writes them to parquet): that is
//      timed once per source, apart, as context ("rows to JS").
//   2. Not timed: the sources' results kept as Evidence's parquet cache keeps them
//      (materializeSources: DOUBLE money, timestamp dates, …), written as ZSTD parquet, one
//      file per source.
//   3. Page queries, as the browser sends them: a DuckDB instance with one thread (DuckDB-WASM
//      runs single-threaded), the views `warehouse.<source>` over read_parquet of those files
//      (universal-sql's setParquetURLs); each page opened for each organization with the inputs a
//      reader gets by default (every Dropdown's options queried as the component does, the first
//      taken), every query filled in and run as Evidence's three statements (data, row count,
//      DESCRIBE), one after the other; the query's time is their sum. The account page
//      is opened for a revenue account with postings in the trial balance's period.
//   Every query <reps> times; medians. A query whose median is over the goal is run once more
//   with DuckDB's profiler, for where its time goes.
//   node --import tsx bench/dashboard-queries.ts <warehouse.duckdb> <reps>

import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildMarts, publishSnapshot, Warehouse } from '../load/index.ts';
import { compileQuery, dropdownOptionsQuery, evidenceStatements, materializeSources, readInitializeSql, readPages, readSources, type EvidencePage } from '../test/helpers/evidence-project.ts';
import { argument, freshWarehousePath, removeWarehouse, report, timed } from './child.ts';
import { profileQuery, type QueryProfile } from './duckdb-profile.ts';
import { median } from './measure.ts';
import { benchOut } from './paths.ts';

const usage = 'dashboard-queries.ts <warehouse.duckdb> <reps>';
const source = argument(0, usage);
const reps = Number(argument(1, usage));
if (!Number.isInteger(reps) || reps < 1) {
  console.error(`usage: ${usage}`);
  process.exit(2);
}
/** The issue's goal for every dashboard query. */
const GOAL_MS = 250;

type Row = Record<string, unknown>;
const all = async (connection: DuckDBConnection, sql: string): Promise<Row[]> => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
const round = (ms: number) => Math.round(ms * 10) / 10;

const scratch = join(benchOut, 'tmp', `dashboard-queries-${process.pid}`);
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const snapshot = join(scratch, 'published', 'warehouse.duckdb');
const parquetDir = join(scratch, 'parquet');
mkdirSync(parquetDir, { recursive: true });

try {
  // 0. The snapshot the dashboards read, from marts built by today's code.
  const copy = freshWarehousePath('dashboard-queries');
  copyFileSync(source, copy);
  let publishMs: number;
  let lines: number;
  {
    const warehouse = await Warehouse.open(copy);
    try {
      await buildMarts(warehouse);
      publishMs = (await timed(() => publishSnapshot(warehouse, snapshot))).ms;
      lines = Number((await warehouse.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM ledger_line'))?.n ?? 0);
    } finally {
      warehouse.close();
      removeWarehouse(copy);
    }
  }

  const sources = readSources();
  const initializeSql = readInitializeSql();
  const pages = readPages();

  // 1. Source queries, each on a fresh instance as the connector runs them.
  const evidenceInstance = async () => {
    const instance = await DuckDBInstance.create(snapshot, { access_mode: 'READ_ONLY', custom_user_agent: 'evidence-dev' });
    const connection = await instance.connect();
    await connection.run(initializeSql).catch(() => null);
    return {
      connection,
      close: () => {
        connection.disconnectSync();
        instance.closeSync();
      },
    };
  };
  const cleanQuery = (sql: string) => `${sql.trim().replace(/;$/, '')}\n`;
  interface SourceSample {
    openMs: number;
    countMs: number;
    describeMs: number;
    dataMs: number;
    totalMs: number;
    rows: number;
  }
  const sourceSamples = new Map<string, SourceSample[]>(sources.map((s) => [s.name, []]));
  for (let round_ = 0; round_ < reps; round_++) {
    for (const s of sources) {
      const t0 = performance.now();
      const e = await evidenceInstance();
      try {
        const t1 = performance.now();
        await e.connection.runAndReadAll(`WITH root as (${cleanQuery(s.sql)}) SELECT COUNT(*) FROM root`);
        const t2 = performance.now();
        await e.connection.runAndReadAll(`DESCRIBE ${cleanQuery(s.sql)}`);
        const t3 = performance.now();
        const result = await e.connection.stream(s.sql);
        let rows = 0;
        for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) rows += chunk.rowCount;
        const t4 = performance.now();
        sourceSamples.get(s.name)!.push({ openMs: t1 - t0, countMs: t2 - t1, describeMs: t3 - t2, dataMs: t4 - t3, totalMs: t4 - t0, rows });
      } finally {
        e.close();
      }
    }
  }
  // Context: the rows as JS objects, as the connector hands them on (once per source).
  const rowsToJsMs = new Map<string, number>();
  for (const s of sources) {
    const e = await evidenceInstance();
    try {
      const { ms } = await timed(async () => {
        const result = await e.connection.stream(s.sql);
        let n = 0;
        for await (const batch of result.yieldRowObjectJs()) n += batch.length;
        return n;
      });
      rowsToJsMs.set(s.name, ms);
    } finally {
      e.close();
    }
  }
  const sourceResults = sources.map((s) => {
    const samples = sourceSamples.get(s.name)!;
    const m = (f: (x: SourceSample) => number) => round(median(samples.map(f)));
    return {
      name: `sources/warehouse/${s.name}.sql`,
      source: s.name,
      rows: samples[0]!.rows,
      medianMs: m((x) => x.totalMs),
      phasesMs: { open: m((x) => x.openMs), count: m((x) => x.countMs), describe: m((x) => x.describeMs), data: m((x) => x.dataMs) },
      samplesMs: samples.map((x) => round(x.totalMs)),
      rowsToJsMs: round(rowsToJsMs.get(s.name)!),
      /** Size of its file in the parquet cache (what the browser fetches), set below. */
      parquetMb: 0,
      profile: null as QueryProfile | null,
    };
  });

  // 2. Evidence's parquet cache of the source results.
  const cache = await timed(async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`ATTACH '${snapshot}' AS ledger (READ_ONLY)`);
      await connection.run('USE ledger');
      await connection.run(initializeSql);
      await materializeSources(connection, sources, 'memory.evidence_cache');
      for (const s of sources) {
        await connection.run(`COPY memory.evidence_cache.${s.name} TO '${join(parquetDir, `${s.name}.parquet`)}' (FORMAT parquet, CODEC zstd)`);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  for (const s of sourceResults) s.parquetMb = Math.round(statSync(join(parquetDir, `${s.source}.parquet`)).size / 1e5) / 10;

  // 3. Page queries in a one-thread instance over the parquet files.
  const browserInstance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const browser = await browserInstance.connect();
  await browser.run('CREATE SCHEMA warehouse');
  for (const s of sources) await browser.run(`CREATE VIEW warehouse.${s.name} AS (SELECT * FROM read_parquet('${join(parquetDir, `${s.name}.parquet`)}'))`);

  interface PageSample {
    dataMs: number;
    countMs: number;
    describeMs: number;
    totalMs: number;
    rows: number;
  }
  interface PageQueryRecord {
    page: string;
    query: string;
    org: string;
    kind: 'query' | 'dropdown options';
    sql: string;
    samples: PageSample[];
  }
  const pageRecords = new Map<string, PageQueryRecord>();
  const record = (r: Omit<PageQueryRecord, 'samples'>, sample: PageSample) => {
    const key = `${r.page}\t${r.query}\t${r.org}\t${r.kind}`;
    let found = pageRecords.get(key);
    if (!found) pageRecords.set(key, (found = { ...r, samples: [] }));
    found.samples.push(sample);
  };

  const orgs = (await all(browser, 'SELECT org_id FROM warehouse.organizations ORDER BY org_id')).map((r) => String(r['org_id']));
  /** The account opened on the drill-down page, per organization (chosen in the first round). */
  const drillAccount = new Map<string, string>();

  async function render(page: EvidencePage, org: string, params?: Record<string, string>): Promise<Record<string, string>> {
    const inputs: Record<string, string> = {};
    for (const dropdown of page.components.filter((c) => c.tag === 'Dropdown')) {
      const name = dropdown.attributes['name']!;
      const data = compileQuery(dropdown.attributes['data']!, page.queries, { inputs, params });
      const sql = dropdownOptionsQuery(dropdown, data);
      const t = performance.now();
      const options = (await browser.runAndReadAll(sql)).getRowObjectsJson() as Row[];
      const ms = performance.now() - t;
      record({ page: page.path, query: `${dropdown.attributes['data']} → <Dropdown ${name}>`, org, kind: 'dropdown options', sql }, { dataMs: ms, countMs: 0, describeMs: 0, totalMs: ms, rows: options.length });
      if (options.length === 0) throw new Error(`${page.path}: <Dropdown ${name}> has no options for ${org}`);
      inputs[name] = name === 'org' ? org : String(options[0]!['value']);
      if (name === 'org' && !options.some((o) => o['value'] === org)) throw new Error(`${page.path}: <Dropdown org> does not offer ${org}`);
    }
    for (const query of page.queries) {
      const sql = compileQuery(query.name, page.queries, { inputs, params });
      const [data, length, describe] = evidenceStatements(query.name, sql) as [string, string, string];
      const t0 = performance.now();
      const rows = (await browser.runAndReadAll(data)).currentRowCount;
      const t1 = performance.now();
      await browser.runAndReadAll(length);
      const t2 = performance.now();
      await browser.runAndReadAll(describe);
      const t3 = performance.now();
      record({ page: page.path, query: query.name, org, kind: 'query', sql: data }, { dataMs: t1 - t0, countMs: t2 - t1, describeMs: t3 - t2, totalMs: t3 - t0, rows });
    }
    return inputs;
  }

  const drillPage = pages.find((p) => p.path === 'accounts/[account].md');
  for (let round_ = 0; round_ < reps; round_++) {
    for (const org of orgs) {
      let trialBalancePeriod: string | undefined;
      for (const page of pages) {
        if (page === drillPage) continue;
        const inputs = await render(page, org);
        if (page.path === 'trial-balance.md') trialBalancePeriod = inputs['period'];
      }
      if (!drillPage) continue;
      let account = drillAccount.get(org);
      if (account === undefined) {
        const found = await all(
          browser,
          `SELECT account_id FROM warehouse.trial_balance WHERE org_id = '${org}' AND period = '${trialBalancePeriod}' AND statement_line = 'revenue' AND movement <> 0 ORDER BY account_id LIMIT 1`,
        );
        if (!found[0]) throw new Error(`no revenue account with postings for ${org} in ${trialBalancePeriod}`);
        account = String(found[0]['account_id']);
        drillAccount.set(org, account);
      }
      await render(drillPage, org, { account });
    }
  }

  const pageResults = [...pageRecords.values()].map((r) => {
    const m = (f: (x: PageSample) => number) => round(median(r.samples.map(f)));
    return {
      name: `${r.page} ${r.query}`,
      page: r.page,
      query: r.query,
      org: r.org,
      kind: r.kind,
      rows: r.samples[0]!.rows,
      medianMs: m((x) => x.totalMs),
      statementsMs: { data: m((x) => x.dataMs), count: m((x) => x.countMs), describe: m((x) => x.describeMs) },
      samplesMs: r.samples.map((x) => round(x.totalMs)),
      sql: r.sql,
      profile: null as QueryProfile | null,
    };
  });

  // Where the time goes, for every query over the goal.
  const profileFile = join(scratch, 'profile.json');
  for (const p of pageResults.filter((x) => x.medianMs > GOAL_MS)) p.profile = await profileQuery(browser, p.sql, profileFile);
  browser.closeSync();
  browserInstance.closeSync();
  for (const s of sourceResults.filter((x) => x.medianMs > GOAL_MS)) {
    const e = await evidenceInstance();
    try {
      s.profile = await profileQuery(e.connection, sources.find((x) => x.name === s.source)!.sql, profileFile);
    } finally {
      e.close();
    }
  }

  const slowestPage = [...pageResults].sort((a, b) => b.medianMs - a.medianMs)[0]!;
  const slowestSource = [...sourceResults].sort((a, b) => b.medianMs - a.medianMs)[0]!;
  report({
    ms: slowestPage.medianMs,
    lines,
    goalMs: GOAL_MS,
    publishMs: round(publishMs),
    parquetCacheMs: round(cache.ms),
    browserThreads: 1,
    drillAccounts: Object.fromEntries(drillAccount),
    sources: sourceResults,
    pages: pageResults,
    slowestPage: { name: slowestPage.name, org: slowestPage.org, ms: slowestPage.medianMs },
    slowestSource: { name: slowestSource.name, ms: slowestSource.medianMs },
    describe:
      `slowest page query ${slowestPage.name} [${slowestPage.org}] ${slowestPage.medianMs} ms, slowest source query ${slowestSource.source} ${slowestSource.medianMs} ms; ` +
      `publishSnapshot ${(publishMs / 1000).toFixed(1)} s, parquet cache ${(cache.ms / 1000).toFixed(1)} s (not timed)`,
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
