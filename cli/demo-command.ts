import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CredentialStore, providers } from '../extract/index.ts';
import { generateCompany, sandboxes, type RunningSandbox } from '../sandbox/index.ts';
import { trialBalance, Warehouse } from '../load/index.ts';
import { writeSaftFile, writeSieFile } from '../formats/index.ts';
import { addMonths, monthStart, osloToday } from '../model/index.ts';
import { writeReportPack } from '../reports/pack/index.ts';
import { importFile, credentialsDir, saveConfig, organizationSchema, type OrganizationConfig, connection, giveConsent, syncOrganization, afterRun } from '../pipeline/index.ts';
import { printSummary } from './import-command.ts';
import { terminalProgress } from './terminal/progress.ts';
import { printTrialBalance } from './terminal/trial-balance-table.ts';
import { printSyncSummary } from './sync-command.ts';

const referenceDir = resolve(fileURLToPath(import.meta.url), '../../../shared/reference');

/**
 * The quick start: a generated Norwegian and Swedish company go out through the SAF-T and
 * SIE writers and back in through the importers, beside the real reference files; then each
 * provider's simulator is synced.
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

/** The organization id the demo syncs each provider's simulator as. */
const demoOrgId = (provider: string) => `demo-${provider}`;

/**
 * The API path: every provider's simulator serves one more generated company over loopback,
 * and each is synced the way a customer's would be: configuration, encrypted credentials,
 * and for an OAuth2 provider a consent (the simulator approves it at once).
 */
async function syncFromSandbox(out: string, warehouse: Warehouse, warehousePath: string): Promise<void> {
  const running: RunningSandbox[] = [];
  try {
    const served: { orgId: string; line: string }[] = [];
    const organizations: Record<string, OrganizationConfig> = {};
    for (const provider of providers) {
      const sandbox = sandboxes[provider.id];
      const company = generateCompany({ seed: sandbox.demoSeed, country: provider.countries[0], linesPerYear: sandbox.demoLinesPerYear });
      const sim = await sandbox.start({ companies: [company] });
      running.push(sim);
      const orgId = demoOrgId(provider.id);
      organizations[orgId] = organizationSchema.parse({ provider: provider.id, [provider.id]: sim.settings });
      served.push({ orgId, line: `${sim.served} serving ${company.organization.name}${sim.consent ? ' (consent given through its OAuth server)' : ''}` });
    }
    const configPath = join(out, 'ledgerhouse.json');
    await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations });
    const store = await CredentialStore.open(credentialsDir(configPath));
    for (const [i, { orgId }] of served.entries()) {
      const sim = running[i]!;
      const tokens = sim.consent ? await giveConsent(organizations[orgId]!, sim.secrets, { orgId, mode: { listen: { port: 0 } }, showUrl: sim.consent.approve }) : {};
      await store.set(orgId, { ...sim.secrets, ...tokens });
    }

    for (const { orgId, line } of served) {
      console.log(`\n${line}; syncing it as ${orgId}.`);
      const source = (await connection(orgId, organizations[orgId]!, store)).source();
      printSyncSummary(orgId, warehousePath, await syncOrganization(warehouse, source, { orgId, trigger: 'demo', progress: terminalProgress() }));
    }
  } finally {
    await Promise.all(running.map((s) => s.close()));
  }
}

/** A month-end pack for every demo organization, for the last month before today. */
async function writeDemoReports(warehouse: Warehouse, dir: string): Promise<void> {
  const lastMonth = addMonths(monthStart(osloToday()), -1).slice(0, 7);
  console.log(`\nMonth-end report packs for ${lastMonth}:`);
  for (const orgId of ['demo-no', 'demo-se', ...providers.map((p) => demoOrgId(p.id))]) {
    const pack = await writeReportPack(warehouse, { orgId, period: lastMonth, out: join(dir, orgId), buildMarts: false });
    console.log(`  ${orgId}: ${pack.html}${pack.pdf ? `, ${basename(pack.pdf)}` : ` (${pack.pdfNote})`}, ${pack.csv.length} CSV files`);
  }
}

function firstProblem(error: unknown): string {
  const errors = (error as { errors?: { message: string }[] }).errors;
  return errors?.[0] ? `(${errors[0].message})` : '';
}
