import { parseArgs, type ParseArgsConfig } from 'node:util';
import { providers, type AnyProvider } from '../extract/index.ts';
import { DEBUG_ENV } from '../pipeline/index.ts';
import { reportError } from './terminal/error-report.ts';

/** `org add` for one provider: its own options from its descriptor. */
function orgAddUsage(p: AnyProvider): string {
  const countries = p.countries.length > 1 ? [`[--country ${p.countries.join('|')}]`] : [];
  const own = p.orgAddOptions.map((o) => (o.required ? `--${o.name} ${o.value}` : `[--${o.name} ${o.value}]`));
  const words = [`ledgerhouse org add <id> --provider ${p.id}`, ...countries, ...own, '[--keep-years <n>]', '[--config <path>]'];
  const lines = [''];
  for (const word of words) {
    if (lines.at(-1)!.length + word.length > 96) lines.push('      ');
    lines[lines.length - 1] += `${lines.at(-1)!.trim() ? ' ' : ''}${word}`;
  }
  return lines.map((l, i) => (i === 0 ? `  ${l}` : l)).join('\n');
}

/** What `connect` reads for one provider. */
function connectUsage(p: AnyProvider): string {
  const names = p.secrets.map((f) => f.env).join(' and ');
  return `        ${p.label}: ${names}${p.auth.kind === 'oauth2' ? ', then a consent in the browser' : ''}.`;
}

const oauth = providers.some((p) => p.auth.kind === 'oauth2');

const usage = `ledgerhouse: Nordic bookkeeping into an analytical warehouse

Usage:
  ledgerhouse import <file…> --org <id> [--warehouse <path>] [--force] [--accept-deletions] [--keep-years <n>]
      Import SAF-T Financial XML (also .zip and split sets) or SIE 1–4 files.
      A file that would delete far more vouchers than usual is held back unless --accept-deletions.
  ledgerhouse export --org <id> --format saft|sie --fiscal-year <year> [--out <path>] [--warehouse <path>]
      Write one fiscal year as SAF-T Financial 1.30 or SIE 4E.
  ledgerhouse trial-balance --org <id> [--fiscal-year <year>] [--warehouse <path>]
  ledgerhouse report --org <id> --period <yyyy-mm> --out <dir> [--warehouse <path>]
      The month-end pack: index.html (KPIs, P&L, balance sheet, cash flow, trends, data quality),
      csv/<view>.csv, and report.pdf when Chromium is found ($CHROMIUM_PATH, else /usr/bin/chromium).
  ledgerhouse demo [--out <dir>]
      Generate a company, export it, import it with the reference examples, print a trial balance.
${providers.map(orgAddUsage).join('\n')}
  ledgerhouse org list [--config <path>]
  ledgerhouse org remove <id> [--config <path>]
      Organizations to sync from an accounting system, kept in the configuration file.
  ledgerhouse connect <id> [--config <path>] [--forget]
      Store its secrets encrypted, from the environment, else asked for:
${providers.map(connectUsage).join('\n')}${
  oauth ? '\n      A consent is received on loopback [--callback-port <n>], or pasted [--no-listen --redirect-uri <uri>].' : ''
}
      --forget deletes the stored secrets.
  ledgerhouse companies <id> [--config <path>]
      The companies its credentials reach (own company, an accountant's clients).
  ledgerhouse sync <id> [--fiscal-year <year>] [--full] [--replace-file-ledger] [--accept-deletions] [--config <path>] [--warehouse <path>]
      Read the current fiscal year and the two before it; closed years weekly, or now with --full.
      A year imported from a file keeps its ledger (documents are read) unless --replace-file-ledger,
      or a yes when asked at a terminal.
  ledgerhouse sandbox [--port <n>]
      Run the provider simulators on loopback and print their URLs and demo credentials.
  ledgerhouse status [--config <path>] [--warehouse <path>]
      Every organization's connection, last run and rows; exit 1 when a last run failed.
      Its warehouse is --warehouse, else $LEDGERHOUSE_WAREHOUSE, else the configuration's.

The warehouse defaults to $LEDGERHOUSE_WAREHOUSE, else ./warehouse.duckdb.
The configuration is --config, else $LEDGERHOUSE_CONFIG, else ./ledgerhouse.json.
Add --debug to any command for stack traces and a request log (secrets redacted).`;

type Run = (values: Record<string, unknown>, positionals: string[]) => Promise<number>;

// Commands load their modules on use, so `ledgerhouse import` never pays for the demo's.
const commands: Record<string, { options: ParseArgsConfig['options']; run: Run }> = {
  import: {
    options: { org: { type: 'string' }, warehouse: { type: 'string' }, force: { type: 'boolean' }, 'accept-deletions': { type: 'boolean' }, 'keep-years': { type: 'string' } },
    run: async (v, p) => (await import('./import-command.ts')).importCommand(v, p),
  },
  export: {
    options: { org: { type: 'string' }, warehouse: { type: 'string' }, format: { type: 'string' }, 'fiscal-year': { type: 'string' }, out: { type: 'string' } },
    run: async (v) => (await import('./export-command.ts')).exportCommand(v),
  },
  'trial-balance': {
    options: { org: { type: 'string' }, warehouse: { type: 'string' }, 'fiscal-year': { type: 'string' } },
    run: async (v) => (await import('./trial-balance-command.ts')).trialBalanceCommand(v),
  },
  report: {
    options: { org: { type: 'string' }, warehouse: { type: 'string' }, period: { type: 'string' }, out: { type: 'string' } },
    run: async (v) => (await import('./report-command.ts')).reportCommand(v),
  },
  demo: { options: { out: { type: 'string' } }, run: async (v) => (await import('./demo-command.ts')).demoCommand(v) },
  org: {
    options: {
      config: { type: 'string' },
      // `org add`: the common options and every provider's own.
      ...Object.fromEntries(
        ['provider', 'country', 'keep-years', ...providers.flatMap((p) => p.orgAddOptions.map((o) => o.name))].map((name) => [name, { type: 'string' as const }]),
      ),
    },
    run: async (v, p) => (await import('./org-command.ts')).orgCommand(v, p),
  },
  connect: {
    options: { config: { type: 'string' }, forget: { type: 'boolean' }, 'no-listen': { type: 'boolean' }, 'redirect-uri': { type: 'string' }, 'callback-port': { type: 'string' } },
    run: async (v, p) => (await import('./connect-command.ts')).connectCommand(v, p),
  },
  companies: { options: { config: { type: 'string' } }, run: async (v, p) => (await import('./companies-command.ts')).companiesCommand(v, p) },
  sync: {
    options: { config: { type: 'string' }, warehouse: { type: 'string' }, 'fiscal-year': { type: 'string' }, full: { type: 'boolean' }, 'replace-file-ledger': { type: 'boolean' }, 'accept-deletions': { type: 'boolean' } },
    run: async (v, p) => (await import('./sync-command.ts')).syncCommand(v, p),
  },
  sandbox: {
    options: { port: { type: 'string' }, 'lines-per-year': { type: 'string' } },
    run: async (v) => (await import('./sandbox-command.ts')).sandboxCommand(v),
  },
  status: {
    options: { config: { type: 'string' }, warehouse: { type: 'string' } },
    run: async (v) => (await import('./status-command.ts')).statusCommand(v),
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const debug = rest.includes('--debug');
  if (debug) process.env[DEBUG_ENV] = '1';
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage);
    return name ? 0 : 2;
  }
  // Own keys only: `ledgerhouse constructor` is an unknown command, not Object's constructor.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest.filter((a) => a !== '--debug'),
      options: command.options,
      allowPositionals: true,
      strict: true,
    });
    return await command.run(values, positionals);
  } catch (error) {
    return reportError(error, debug);
  }
}
