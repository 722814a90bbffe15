import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CredentialStore } from '../extract/index.ts';
import { FikenSimulator, generateCompany, TripletexSimulator } from '../sandbox/index.ts';
import { trialBalance, Warehouse } from '../load/index.ts';
import { writeSaftFile, writeSieFile } from '../formats/index.ts';
import { addMonths, monthStart, osloToday } from '../model/index.ts';
import { writeReportPack } from '../reports/pack/index.ts';
import { importFile, credentialsDir, saveConfig, type FikenOrgConfig, type OrganizationConfig, connection, fikenApp, tokenSecrets, fikenConsent, syncOrganization, afterRun } from '../pipeline/index.ts';
import { printSummary } from './import-command.ts';
import { terminalProgress } from './terminal/progress.ts';
import { printTrialBalance } from './terminal/trial-balance-table.ts';
import { printSyncSummary } from './sync-command.ts';

const referenceDir = resolve(fileURLToPath(import.meta.url), '../../../shared/reference');

/**
 * The quick start: a generated Norwegian and Swedish company go out through the SAF-T and
 * SIE writers and back in through the importers, beside the real reference files.
 */
export async function demoCommand(values: Record<string, unknown>): Promise<number> {
  const out = resolve((values.out as string | undefined) ?? 'demo-output');
  const exports = join(out, 'exports');
  const warehousePath = join(out, 'warehouse.duckdb');
  rmSync(exports, { recursive: true, force: true });
  for (const f of [warehousePath, `${warehousePath}.wal`]) rmSync(f, { force: true });
  mkdirSync(exports, { recursive: true });

  const warehouse = await Warehouse.open(warehousePath);
  const progress = terminalProgress();
  try {
    const companies = [
      { orgId: 'demo-no', country: 'NO' as const, format: 'saft' as const },
      { orgId: 'demo-se', country: 'SE' as const, format: 'sie' as const },
    ];
    for (const company of companies) {
      const generated = generateCompany({ seed: 2026, country: company.country, linesPerYear: 20_000 });
      console.log(`\nGenerated ${generated.organization.name} (${company.country}), ${generated.fiscalYears.length} fiscal years.`);
      for (const year of generated.fiscalYears) {
        const file = join(exports, `${company.orgId}-${year.fiscal_year.label.replace('/', '-')}.${company.format === 'saft' ? 'xml' : 'se'}`);
        await (company.format === 'saft' ? writeSaftFile(year, file) : writeSieFile(year, file));
        printSummary(await importFile(warehouse, [file], { orgId: company.orgId, trigger: 'demo', progress }));
      }
    }

    await syncFromSandbox(out, warehouse, warehousePath);

    console.log('\nReference examples:');
    for (const [folder, prefix] of [['saf-t/examples', 'saft'], ['sie/examples', 'sie']] as const) {
      const dir = join(referenceDir, folder);
      if (!existsSync(dir)) {
        console.log(`  ${dir} is missing; skipped the reference examples.`);
        continue;
      }
      for (const name of readdirSync(dir).filter((f) => /\.(xml|se|si)$/i.test(f)).sort()) {
        const orgId = `${prefix}-${name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`.slice(0, 64);
        try {
          const summary = await importFile(warehouse, [join(dir, name)], { orgId, trigger: 'demo' });
          const y = summary.years.at(-1);
          console.log(`  ${name} → ${orgId}: ${y ? `${y.vouchers} vouchers, ${y.lines} lines` : 'balances only'}, ${summary.warnings.length} warnings`);
        } catch (error) {
          console.log(`  ${name}: rejected: ${(error as Error).message.split('\n')[0]} ${firstProblem(error)}`);
        }
      }
    }

    await afterRun(warehouse);
    await writeDemoReports(warehouse, join(out, 'reports'));
    const newest = await warehouse.one<{ start_date: string; label: string }>(
      `SELECT start_date::VARCHAR AS start_date, label FROM fiscal_year WHERE org_id = 'demo-no' ORDER BY start_date DESC LIMIT 1`,
    );
    if (newest) printTrialBalance(`demo-no, fiscal year ${newest.label}`, await trialBalance(warehouse, 'demo-no', newest.start_date));
    console.log(`\nWarehouse: ${warehousePath}\nExports:   ${exports} (${readdirSync(exports).map((f) => basename(f)).join(', ')})`);
    return 0;
  } finally {
    warehouse.close();
  }
}

/**
 * The API path: the Tripletex and Fiken simulators serve two more generated companies over
 * loopback, and they are synced the way a customer's would be: configuration, encrypted
 * credentials, and for Fiken an OAuth consent (the simulator approves it at once).
 */
async function syncFromSandbox(out: string, warehouse: Warehouse, warehousePath: string): Promise<void> {
  const tripletexCompany = generateCompany({ seed: 2027, country: 'NO', linesPerYear: 20_000 });
  // Fiken serves four requests a second: a smaller company keeps the demo short.
  const fikenCompany = generateCompany({ seed: 2028, country: 'NO', linesPerYear: 4_000 });
  const tripletex = await TripletexSimulator.start({ companies: [tripletexCompany] });
  const fiken = await FikenSimulator.start({ companies: [fikenCompany] });
  try {
    const configPath = join(out, 'ledgerhouse.json');
    const organizations: Record<string, OrganizationConfig> = {
      'demo-tripletex': { provider: 'tripletex', country: 'NO', keepYears: 3, tripletex: { environment: 'production', baseUrl: tripletex.baseUrl } },
      'demo-fiken': {
        provider: 'fiken',
        country: 'NO',
        keepYears: 3,
        fiken: { companySlug: fiken.companySlugs[0]!, apiBaseUrl: fiken.apiBaseUrl, oauthBaseUrl: new URL(fiken.authorizeUrl).origin },
      },
    };
    await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations });
    const store = await CredentialStore.open(credentialsDir(configPath));
    await store.set('demo-tripletex', { consumerToken: tripletex.consumerToken, employeeToken: tripletex.employeeToken });
    const app = { clientId: fiken.clientId, clientSecret: fiken.clientSecret };
    const fikenOrg = organizations['demo-fiken'] as FikenOrgConfig;
    const tokens = await fikenConsent(fikenApp(fikenOrg, app), { orgId: 'demo-fiken', mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
    await store.set('demo-fiken', { ...app, ...tokenSecrets(tokens) });

    for (const [orgId, served] of [['demo-tripletex', `Tripletex sandbox at ${tripletex.baseUrl} serving ${tripletexCompany.organization.name}`], ['demo-fiken', `Fiken sandbox at ${fiken.apiBaseUrl} serving ${fikenCompany.organization.name} (consent given through its OAuth server)`]] as const) {
      console.log(`\n${served}; syncing it as ${orgId}.`);
      const source = (await connection(orgId, organizations[orgId]!, store)).source();
      printSyncSummary(orgId, warehousePath, await syncOrganization(warehouse, source, { orgId, trigger: 'demo', progress: terminalProgress() }));
    }
  } finally {
    await tripletex.close();
    await fiken.close();
  }
}

/** A month-end pack for every demo organization, for the last month before today. */
async function writeDemoReports(warehouse: Warehouse, dir: string): Promise<void> {
  const lastMonth = addMonths(monthStart(osloToday()), -1).slice(0, 7);
  console.log(`\nMonth-end report packs for ${lastMonth}:`);
  for (const orgId of ['demo-no', 'demo-se', 'demo-tripletex', 'demo-fiken']) {
    const pack = await writeReportPack(warehouse, { orgId, period: lastMonth, out: join(dir, orgId), buildMarts: false });
    console.log(`  ${orgId}: ${pack.html}${pack.pdf ? `, ${basename(pack.pdf)}` : ` (${pack.pdfNote})`}, ${pack.csv.length} CSV files`);
  }
}

function firstProblem(error: unknown): string {
  const errors = (error as { errors?: { message: string }[] }).errors;
  return errors?.[0] ? `(${errors[0].message})` : '';
}
