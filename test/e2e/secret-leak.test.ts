// Every provider in the registry, synced with --debug through its simulator and reported on:
// no secret the simulator issued (app secrets, tokens, API keys, session tokens, refreshed
// tokens) appears in what the commands print, in any file they write, in any text column of
// the warehouse or its published snapshot, in the export or in the report pack. The full demo
// gets the same check in test/cli/demo-command.test.ts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialStore, KEY_ENV, providers } from '../../extract/index.ts';
import { credentialsDir, giveConsent, organizationSchema, saveConfig } from '../../pipeline/index.ts';
import { generateCompany, sandboxes } from '../../sandbox/index.ts';
import { RecordingProxy } from '../helpers/recording-proxy.ts';
import { hitsIn, hitsInFolder, issuedSecrets, secretValues } from '../helpers/secret-scan.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function ledgerhouse(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LEDGERHOUSE_')));
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...base, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, out: `${stdout}\n${stderr}` }),
    );
  });
}

/** The settings with every URL at the simulator's origin pointed at `to` instead. */
function through(settings: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, typeof v === 'string' ? v.replace(from, to) : v]));
}

describe('no secret a simulator issued leaks', () => {
  for (const provider of providers) {
    it(`${provider.id}: sync --debug, trial balance, export and report print and write none of them`, async () => {
      const dir = tempDir();
      const orgId = `leak-${provider.id}`;
      const company = generateCompany({ seed: 17, country: provider.countries[0], linesPerYear: 1_000, years: 2 });
      const sim = await sandboxes[provider.id].start({ companies: [company] });
      closers.push(() => sim.close());
      const origin = new URL(Object.values(sim.settings).find((v): v is string => typeof v === 'string' && /^https?:/.test(v))!).origin;
      // Every answer recorded: the tokens the simulator issues (consent, refresh, sessions) are in them.
      const proxy = await RecordingProxy.start(origin);
      closers.push(() => proxy.close());
      const configPath = join(dir, 'ledgerhouse.json');
      const org = organizationSchema.parse({ provider: provider.id, [provider.id]: through(sim.settings, origin, proxy.origin) });
      await saveConfig(configPath, { version: 1, warehouse: 'warehouse.duckdb', organizations: { [orgId]: org } });
      const env = { [KEY_ENV]: randomBytes(32).toString('base64') };
      const store = await CredentialStore.open(credentialsDir(configPath), env);
      const tokens = sim.consent ? await giveConsent(org, sim.secrets, { orgId, mode: { listen: { port: 0 } }, showUrl: sim.consent.approve }) : {};
      await store.set(orgId, { ...sim.secrets, ...tokens });

      const year = company.fiscalYears.at(-1)!.fiscal_year;
      const warehouse = ['--warehouse', join(dir, 'warehouse.duckdb')];
      const synced = await ledgerhouse(['sync', orgId, '--debug', '--config', configPath, ...warehouse], env);
      expect(synced.code, synced.out).toBe(0);
      // The request log is on: the check below reads it.
      expect(synced.out).toMatch(new RegExp(`^\\[${provider.id}\\] GET \\S+ 200`, 'm'));
      // One after the other: DuckDB lets one process at a time hold the file.
      const reports = [
        await ledgerhouse(['trial-balance', '--org', orgId, '--debug', ...warehouse], env),
        await ledgerhouse(['export', '--org', orgId, '--format', provider.countries[0] === 'SE' ? 'sie' : 'saft', '--fiscal-year', year.label, '--out', join(dir, 'export'), '--debug', ...warehouse], env),
      ];
      const report = await ledgerhouse(['report', '--org', orgId, '--period', year.start_date.slice(0, 7), '--out', join(dir, 'report'), '--debug', ...warehouse], env);
      for (const r of [...reports, report]) expect(r.code, r.out).toBe(0);

      const secrets = [
        ...new Set([
          ...secretValues(sim.secrets),
          ...secretValues(tokens),
          ...secretValues(await store.get(orgId)),
          ...proxy.answers.flatMap((a) => issuedSecrets(a.body)),
        ]),
      ];
      expect(secrets.length, 'secrets collected from the simulator').toBeGreaterThan(0);
      const scanned = await hitsInFolder(dir, secrets);
      expect(scanned.warehouses, 'the warehouse and its published snapshot').toBeGreaterThanOrEqual(2);
      const hits = [...scanned.hits, ...[synced, ...reports, report].flatMap((r, i) => hitsIn(`output of command ${i}`, r.out, secrets))];
      expect(hits).toEqual([]);
      if (process.env.SHOW_OUTCOMES) console.info(`${provider.id}: ${secrets.length} secrets, ${scanned.files} files, ${scanned.warehouses} warehouses, ${proxy.answers.length} answers`);
    }, 240_000);
  }
});
