import { existsSync } from 'node:fs';
import { CredentialStoreError, type CredentialStore } from '../extract/index.ts';
import { readLedgerSources, Warehouse } from '../load/index.ts';
import { configPath, configuredOrganization, existingCredentialStore, loadConfig, providers, resolveWarehouse, type LedgerhouseConfig } from '../pipeline/index.ts';
import { describeOrganization } from './org-command.ts';

/** Sources that are statutory files rather than an API: nothing to connect. */
const FILE_SOURCES = new Set(['saft', 'sie']);

/** A type, not an interface: warehouse rows must be indexable. */
type LastRun = {
  org_id: string;
  source: string;
  trigger: string;
  source_file: string | null;
  started_at: string;
  finished_at: string | null;
  status: string;
  error: string | null;
};

interface WarehouseFacts {
  names: Map<string, { name: string; source: string }>;
  runOrgs: Set<string>;
  lastRuns: Map<string, LastRun>;
  counts: Map<string, Map<string, number>>;
  years: Map<string, { n: number; first: string; last: string }>;
  /** Per organization, each fiscal year's label and where its ledger came from, oldest first. */
  ledgers: Map<string, string[]>;
}

/** Tables counted per organization, with their name for a person. */
const COUNTED: readonly [table: string, singular: string, plural: string][] = [
  ['voucher', 'voucher', 'vouchers'],
  ['ledger_line', 'ledger line', 'ledger lines'],
  ['account', 'account', 'accounts'],
  ['party', 'party', 'parties'],
  ['dimension', 'dimension', 'dimensions'],
  ['document', 'document', 'documents'],
];

/**
 * The green light: every organization, configured or imported, with its connection, its last
 * run and what the warehouse holds of it. Exit 1 when any last run failed, ended partial or
 * never finished, or stored credentials cannot be opened, so monitoring can run it as is.
 */
export async function statusCommand(values: Record<string, unknown>): Promise<number> {
  const path = configPath(values);
  const config = await loadConfig(path);
  const warehousePath = resolveWarehouse(path, config, values);
  const configured = Object.keys(config.organizations);
  console.log(`Configuration  ${path}${existsSync(path) ? '' : ' (not found: no organizations configured)'}`);

  // Opening would create an empty warehouse: a missing one is reported, not made.
  const facts = existsSync(warehousePath) ? await readWarehouse(warehousePath) : null;
  console.log(`Warehouse      ${warehousePath}${facts ? '' : ' (does not exist yet: nothing synced or imported)'}`);

  const problems: string[] = [];
  let storeProblem: string | null = null;
  const store = await existingCredentialStore(path).catch((error: unknown) => {
    if (!(error instanceof CredentialStoreError)) throw error;
    storeProblem = error.message;
    return null;
  });
  if (storeProblem) problems.push(`the credential store cannot be opened: ${storeProblem}`);

  const others = facts ? [...new Set([...facts.names.keys(), ...facts.runOrgs])].filter((id) => configuredOrganization(config, id) === undefined).sort() : [];
  if (configured.length + others.length === 0) {
    console.log(`\nNo organizations yet: add one with "ledgerhouse org add <id> --provider ${providers[0]}", or import a file.`);
    return storeProblem ? 1 : 0;
  }
  for (const id of [...configured, ...others]) {
    const problem = await printOrganization(id, config, facts, store, storeProblem !== null);
    if (problem) problems.push(`${id}: ${problem}`);
  }

  console.log('');
  if (problems.length > 0) {
    console.log(`Needs attention (${problems.length}):`);
    for (const p of problems) console.log(`  ${p}`);
    return 1;
  }
  const ran = [...configured, ...others].filter((id) => facts?.lastRuns.has(id)).length;
  console.log(ran === 0 ? 'Nothing has run yet.' : `All good: ${ran === 1 ? 'the last run' : `the last runs of all ${ran} organizations that ran`} succeeded.`);
  return 0;
}

/** Prints one organization; returns what needs attention, if anything. */
async function printOrganization(
  id: string,
  config: LedgerhouseConfig,
  facts: WarehouseFacts | null,
  store: CredentialStore | null,
  storeBroken: boolean,
): Promise<string | null> {
  const org = configuredOrganization(config, id);
  const known = facts?.names.get(id);
  const run = facts?.lastRuns.get(id);
  let problem: string | null = null;

  console.log(`\n${id}${known?.name ? ` — ${known.name}` : ''}`);
  let source: string;
  if (org) {
    let connection = storeBroken ? 'credentials unknown (the store cannot be opened)' : `not connected (run "ledgerhouse connect ${id}")`;
    if (store) {
      connection = await store.get(id).then(
        (secrets) => (secrets ? 'connected' : `not connected (run "ledgerhouse connect ${id}")`),
        (error: unknown) => {
          if (!(error instanceof CredentialStoreError)) throw error;
          problem = error.message;
          return 'credentials cannot be opened';
        },
      );
    }
    // Reachable: the provider answered the last run (a partial run had answers too).
    if (connection === 'connected' && run?.source === org.provider && (run.status === 'succeeded' || run.status === 'partial')) connection += ', reachable at the last run';
    source = `${describeOrganization(org)}; ${connection}`;
  } else {
    const from = known?.source ?? run?.source ?? 'unknown';
    source = FILE_SOURCES.has(from) ? `file import (${from})` : `${from}, not in the configuration`;
  }
  console.log(`  source        ${source}`);

  if (!run) {
    console.log(`  last run      none yet`);
  } else {
    const what = run.source_file ? `${run.trigger} of ${run.source_file}` : `${run.trigger} (${run.source})`;
    const when = run.finished_at ? `${run.started_at} to ${sameDay(run.started_at, run.finished_at)}` : `started ${run.started_at}`;
    const status = run.status === 'running' ? 'did not finish (interrupted, or still running elsewhere)' : run.status;
    console.log(`  last run      ${what}, ${when}: ${status}`);
    if (run.error) console.log(`  error         ${oneLine(run.error)}`);
    if (run.status !== 'succeeded') problem ??= `the last run ${run.status === 'running' ? 'did not finish' : run.status === 'partial' ? 'was partial' : run.status === 'interrupted' ? 'was interrupted' : run.status}${run.error ? `: ${oneLine(run.error, 120)}` : ''}`;
  }

  const counts = facts?.counts.get(id);
  const years = facts?.years.get(id);
  const held = COUNTED.map(([table, one, many]) => [counts?.get(table) ?? 0, one, many] as const)
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`);
  console.log(`  rows          ${held.length ? held.join(', ') : 'none'}`);
  if (years) console.log(`  fiscal years  ${years.n}: ${years.first} to ${years.last}`);
  const ledgers = facts?.ledgers.get(id);
  if (ledgers?.length) console.log(`  ledger from   ${ledgers.join(', ')}`);
  return problem;
}

async function readWarehouse(path: string): Promise<WarehouseFacts> {
  const warehouse = await Warehouse.open(path);
  try {
    const names = new Map(
      (await warehouse.all<{ org_id: string; name: string; source: string }>('SELECT org_id, name, source FROM organization')).map((r) => [
        r.org_id,
        { name: r.name, source: r.source },
      ]),
    );
    const runOrgs = new Set((await warehouse.all<{ org_id: string }>('SELECT DISTINCT org_id FROM sync_run')).map((r) => r.org_id));
    const lastRuns = new Map(
      (
        await warehouse.all<LastRun>(
          `SELECT org_id, source, trigger, source_file, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
                  strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at, status, error
           FROM sync_run QUALIFY row_number() OVER (PARTITION BY org_id ORDER BY started_at DESC, run_id) = 1`,
        )
      ).map((r) => [r.org_id, r]),
    );
    const counts = new Map<string, Map<string, number>>();
    for (const [table] of COUNTED) {
      for (const row of await warehouse.all<{ org_id: string; n: string }>(`SELECT org_id, count(*)::VARCHAR AS n FROM ${table} GROUP BY org_id`)) {
        if (!counts.has(row.org_id)) counts.set(row.org_id, new Map());
        counts.get(row.org_id)!.set(table, Number(row.n));
      }
    }
    const years = new Map(
      (
        await warehouse.all<{ org_id: string; n: string; first: string; last: string }>(
          `SELECT org_id, count(*)::VARCHAR AS n, min(start_date)::VARCHAR AS first, max(end_date)::VARCHAR AS last FROM fiscal_year GROUP BY org_id`,
        )
      ).map((r) => [r.org_id, { n: Number(r.n), first: r.first, last: r.last }]),
    );
    const ledgers = new Map<string, string[]>();
    const labels = await warehouse.all<{ org_id: string; start_date: string; label: string }>('SELECT org_id, start_date::VARCHAR AS start_date, label FROM fiscal_year ORDER BY org_id, start_date');
    for (const orgId of new Set(labels.map((r) => r.org_id))) {
      const sources = await readLedgerSources(warehouse, orgId);
      ledgers.set(
        orgId,
        labels
          .filter((r) => r.org_id === orgId)
          .map((r) => {
            const from = sources.get(r.start_date);
            return `${r.label} ${from ? (from.fromFile ? `file import (${from.source})` : `${from.source} sync`) : 'unknown'}`;
          }),
      );
    }
    return { names, runOrgs, lastRuns, counts, years, ledgers };
  } finally {
    warehouse.close();
  }
}

/** The end of a run on the day it started needs only its time. */
function sameDay(start: string, end: string): string {
  return end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end;
}

/** Errors can be long (a rejected file lists every problem): one line, shortened. */
function oneLine(text: string, max = 200): string {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
