import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FileFormatError } from '../extract/index.ts';
import { WarehouseError } from '../load/index.ts';
import { UsageError } from './usage-error.ts';
import { ImportRejectedError } from './import-files.ts';

const usage = `ledgerhouse: Nordic bookkeeping into an analytical warehouse

Usage:
  ledgerhouse import <file…> --org <id> [--warehouse <path>] [--force] [--keep-years <n>]
      Import SAF-T Financial XML (also .zip and split sets) or SIE 1–4 files.
  ledgerhouse export --org <id> --format saft|sie --fiscal-year <year> [--out <path>] [--warehouse <path>]
      Write one fiscal year as SAF-T Financial 1.30 or SIE 4E.
  ledgerhouse trial-balance --org <id> [--fiscal-year <year>] [--warehouse <path>]
  ledgerhouse demo [--out <dir>]
      Generate a company, export it, import it with the reference examples, print a trial balance.

The warehouse defaults to $LEDGERHOUSE_WAREHOUSE, else ./warehouse.duckdb.
Add --debug to any command for stack traces.`;

type Run = (values: Record<string, unknown>, positionals: string[]) => Promise<number>;

// Commands load their modules on use, so `ledgerhouse import` never pays for the demo's.
const commands: Record<string, { options: ParseArgsConfig['options']; run: Run }> = {
  import: {
    options: { org: { type: 'string' }, warehouse: { type: 'string' }, force: { type: 'boolean' }, 'keep-years': { type: 'string' } },
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
  demo: { options: { out: { type: 'string' } }, run: async (v) => (await import('./demo-command.ts')).demoCommand(v) },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const debug = rest.includes('--debug');
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
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
    return report(error, debug);
  }
}

/** One clear sentence per problem for a person; the stack only with --debug. */
function report(error: unknown, debug: boolean): number {
  if (error instanceof ImportRejectedError) {
    console.error(error.message);
    for (const problem of error.errors.slice(0, 50)) console.error(`  ${problem.message}`);
    if (error.errors.length > 50) console.error(`  … and ${error.errors.length - 50} more.`);
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(error as Error).message}\nRun "ledgerhouse help" for usage.`);
    return 2;
  } else if (error instanceof FileFormatError || error instanceof WarehouseError) {
    console.error(error.message);
  } else {
    console.error(`Unexpected error: ${(error as Error)?.message ?? String(error)}${debug ? '' : ' (run again with --debug for details)'}`);
  }
  if (debug) console.error((error as Error)?.stack);
  return 1;
}
