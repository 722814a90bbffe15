import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsDir } from '../../pipeline/index.ts';
import { CredentialStore, KEY_ENV } from '../../extract/index.ts';
import { generateCompany, TripletexSimulator } from '../../sandbox/index.ts';
import { referencePath } from '../helpers/reference.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
const consumerToken = 'consumer-5e4d3c2b-token-text';
const employeeToken = 'eyJ-employee-9d8f7a6b-token-text';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The real command in a child process, in `cwd` (so ./ledgerhouse.json is the temp dir's), with
 * an environment of its own: nothing of the developer's LEDGERHOUSE_* or TRIPLETEX_* leaks in.
 */
function ledgerhouse(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LEDGERHOUSE_|TRIPLETEX_)/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function writeConfig(dir: string, organizations: Record<string, unknown>): string {
  const path = join(dir, 'ledgerhouse.json');
  writeFileSync(path, JSON.stringify({ version: 1, organizations }));
  return path;
}

const tripletexOrg = { provider: 'tripletex', tripletex: { environment: 'test' } };

describe('org, connect and status on the command line', () => {
  it('adds, lists and removes organizations; a duplicate id or a bad option exits 2', async () => {
    const dir = tempDir();
    const add = await ledgerhouse(dir, ['org', 'add', 'acme', '--provider', 'tripletex', '--environment', 'test', '--client-company-id', '12345']);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Added "acme" (tripletex, test, client company 12345, NO)');
    expect(JSON.parse(readFileSync(join(dir, 'ledgerhouse.json'), 'utf8')).organizations.acme).toEqual({
      provider: 'tripletex',
      country: 'NO',
      keepYears: 3,
      tripletex: { environment: 'test', clientCompanyId: 12345 },
    });

    const [duplicate, badOptions, other, foreign] = await Promise.all([
      ledgerhouse(dir, ['org', 'add', 'acme', '--provider', 'tripletex']),
      ledgerhouse(dir, ['org', 'add', 'beta', '--provider', 'tripletex', '--environment', 'prod', '--country', 'DK']),
      ledgerhouse(dir, ['org', 'add', 'sbx', '--provider', 'tripletex', '--base-url', 'http://127.0.0.1:1234/v2', '--country', 'se', '--config', join(dir, 'other.json')]),
      ledgerhouse(dir, ['org', 'add', 'gamma', '--provider', 'tripletex', '--company', 'acme-as']),
    ]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('--company is not an option of "org add --provider tripletex"; it takes --country, --keep-years, --environment, --base-url, --client-company-id.');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('Organization "acme" is already in');
    expect(duplicate.stderr).toContain('run "ledgerhouse org remove acme" first');
    expect(badOptions.code).toBe(2);
    expect(badOptions.stderr).toContain('--country must be one of "NO", "SE" or "FI", not "DK".\n--environment must be "production" or "test", not "prod".');
    expect(other.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'other.json'), 'utf8')).organizations.sbx.tripletex.baseUrl).toBe('http://127.0.0.1:1234/v2');

    const list = await ledgerhouse(dir, ['org', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ {2}acme +tripletex +NO +3 years +test, client company 12345 +not connected$/m);
    expect(list.stdout).not.toContain('beta');

    const [removed, nobody] = await Promise.all([ledgerhouse(dir, ['org', 'remove', 'acme']), ledgerhouse(dir, ['org', 'remove', 'nobody'])]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed "acme"');
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('There is no organization "nobody"');
    expect(JSON.parse(readFileSync(join(dir, 'ledgerhouse.json'), 'utf8')).organizations).toEqual({});
    expect(readdirSync(dir).sort()).toEqual(['ledgerhouse.json', 'other.json']);
  });

  it('connect stores the tokens encrypted and checks them; without a terminal it names the variables to set', async () => {
    const dir = tempDir();
    const company = generateCompany({ seed: 4, country: 'NO', linesPerYear: 500, years: 1, currentYear: 2026 });
    const sim = await TripletexSimulator.start({ companies: [company], consumerToken, employeeToken });
    afterEach(() => sim.close());
    writeConfig(dir, { acme: { provider: 'tripletex', tripletex: { baseUrl: sim.baseUrl } }, wrong: { provider: 'tripletex', tripletex: { baseUrl: sim.baseUrl } } });
    const key = randomBytes(32).toString('base64');
    const [connected, noTerminal, halfway, unknown, refused] = await Promise.all([
      ledgerhouse(dir, ['connect', 'acme'], { [KEY_ENV]: key, TRIPLETEX_CONSUMER_TOKEN: consumerToken, TRIPLETEX_EMPLOYEE_TOKEN: employeeToken }),
      ledgerhouse(dir, ['connect', 'acme'], { [KEY_ENV]: key }),
      ledgerhouse(dir, ['connect', 'acme'], { [KEY_ENV]: key, TRIPLETEX_CONSUMER_TOKEN: consumerToken }),
      ledgerhouse(dir, ['connect', 'nobody'], { [KEY_ENV]: key }),
      ledgerhouse(dir, ['connect', 'wrong'], { [KEY_ENV]: key, TRIPLETEX_CONSUMER_TOKEN: consumerToken, TRIPLETEX_EMPLOYEE_TOKEN: 'revoked-token-text' }),
    ]);
    expect(connected.stderr).toBe('');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toContain(`Stored the credentials of "acme", encrypted, in ${join(credentialsDir(join(dir, 'ledgerhouse.json')), 'credentials.json')}.`);
    expect(connected.stdout).toContain(`Checked: reached ${company.organization.name} (${company.organization.org_number}), company ${sim.companyIds[0]}.`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^The credentials of "wrong" are stored, but the check failed: tripletex: POST \/v2\/token\/session\/:create answered 401: the credentials were refused; create an employee token/);
    const companies = await ledgerhouse(dir, ['companies', 'acme'], { [KEY_ENV]: key });
    expect(companies.code).toBe(0);
    expect(companies.stdout).toMatch(new RegExp(`^\\* ${sim.companyIds[0]}  .* own company$`, 'm'));
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain('stdin is not a terminal. Set TRIPLETEX_CONSUMER_TOKEN and TRIPLETEX_EMPLOYEE_TOKEN in the environment');
    expect(halfway.code).toBe(2);
    expect(halfway.stderr).toContain('Set TRIPLETEX_EMPLOYEE_TOKEN in the environment');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no organization "nobody"');
    for (const r of [connected, noTerminal, halfway, unknown, refused, companies]) expect(r.stdout + r.stderr).not.toMatch(/token-text/);

    const store = await CredentialStore.open(credentialsDir(join(dir, 'ledgerhouse.json')), { [KEY_ENV]: key });
    expect(readFileSync(store.path, 'utf8')).not.toMatch(/token-text/);
    expect(await store.get('acme')).toEqual({ consumerToken, employeeToken });
    expect(existsSync(join(store.dir, 'secret.key'))).toBe(false); // the key came from the environment

    const list = await ledgerhouse(dir, ['org', 'list'], { [KEY_ENV]: key });
    expect(list.stdout).toMatch(/acme .* connected$/m);
    const removed = await ledgerhouse(dir, ['org', 'remove', 'acme'], { [KEY_ENV]: key });
    expect(removed.stdout).toContain('and forgot its stored credentials');
    expect(await store.get('acme')).toBeNull();
  });

  it('status: nothing yet, then an import with its rows, then exit 1 after a rejected file', async () => {
    const dir = tempDir();
    const key = randomBytes(32).toString('base64');
    const configFile = writeConfig(dir, { acme: tripletexOrg });
    await (await CredentialStore.open(credentialsDir(configFile), { [KEY_ENV]: key })).set('acme', { consumerToken, employeeToken });
    const env = { [KEY_ENV]: key };

    const empty = await ledgerhouse(dir, ['status'], env);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain(`Warehouse      ${join(dir, 'warehouse.duckdb')} (does not exist yet: nothing synced or imported)`);
    expect(empty.stdout).toMatch(/^acme\n {2}source {8}tripletex, test, NO; connected\n {2}last run {6}none yet$/m);
    expect(existsSync(join(dir, 'warehouse.duckdb'))).toBe(false);

    const sie = referencePath('sie', 'examples', 'SIE4_Exempelfil.SE');
    expect((await ledgerhouse(dir, ['import', sie, '--org', 'ovning'], env)).code).toBe(0);
    const imported = await ledgerhouse(dir, ['status'], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^ovning — Övningsbolaget AB\n {2}source {8}file import \(sie\)\n {2}last run {6}import of SIE4_Exempelfil\.SE, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d to \d\d:\d\d:\d\d: succeeded$/m);
    expect(imported.stdout).toContain('  rows          295 vouchers, 1,330 ledger lines, 530 accounts, 37 dimensions\n  fiscal years  1: 2021-01-01 to 2021-12-31\n  ledger from   2021 file import (sie)');
    expect(imported.stdout).toContain('All good');

    // The same file with one amount changed: the voucher no longer balances and it is rejected.
    const bad = join(dir, 'changed.se');
    writeFileSync(bad, readFileSync(sie, 'latin1').replace(/(#TRANS\s+\d+\s+\{[^}]*\}\s+)(-?\d+)/, (_m, head: string, n: string) => `${head}${Number(n) + 1}`), 'latin1');
    expect((await ledgerhouse(dir, ['import', bad, '--org', 'ovning'], env)).code).toBe(1);
    const failed = await ledgerhouse(dir, ['status'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/last run {6}import of changed\.se, .*: failed\n {2}error {9}changed\.se was rejected: .* nothing was imported\. /);
    expect(failed.stdout).toContain('  rows          295 vouchers, 1,330 ledger lines');
    expect(failed.stdout).toContain('Needs attention (1):\n  ovning: the last run failed: changed.se was rejected');
  });

  it('takes organization ids named like members of Object on every command as any other id, and refuses "__proto__" with a sentence', async () => {
    const dir = tempDir();
    const company = generateCompany({ seed: 4, country: 'NO', linesPerYear: 500, years: 1, currentYear: 2026 });
    const sim = await TripletexSimulator.start({ companies: [company], consumerToken, employeeToken });
    afterEach(() => sim.close());
    const env = { [KEY_ENV]: randomBytes(32).toString('base64') };
    const tokens = { ...env, TRIPLETEX_CONSUMER_TOKEN: consumerToken, TRIPLETEX_EMPLOYEE_TOKEN: employeeToken };
    const sie = referencePath('sie', 'examples', 'SIE4_Exempelfil.SE');
    const ok = (r: Result, what: string) => expect(r.code, `${what}: ${r.stderr}`).toBe(0);

    // Not configured: every command that takes an id says so.
    const absent = [['sync', 'constructor'], ['connect', 'toString'], ['companies', 'hasOwnProperty'], ['org', 'remove', 'valueOf']];
    for (const [i, r] of (await Promise.all(absent.map((args) => ledgerhouse(dir, args, tokens)))).entries()) {
      expect(r.code, absent[i]!.join(' ')).toBe(2);
      expect(r.stderr).toContain(`There is no organization "${absent[i]!.at(-1)}"`);
    }

    ok(await ledgerhouse(dir, ['org', 'add', 'constructor', '--provider', 'tripletex', '--base-url', sim.baseUrl]), 'org add');
    ok(await ledgerhouse(dir, ['connect', 'constructor'], tokens), 'connect');
    const [companies, synced, imported, otherConnect] = await Promise.all([
      ledgerhouse(dir, ['companies', 'constructor'], env),
      ledgerhouse(dir, ['sync', 'constructor', '--warehouse', join(dir, 'api.duckdb')], env),
      ledgerhouse(dir, ['import', sie, '--org', 'toString', '--warehouse', join(dir, 'files.duckdb')], env),
      ledgerhouse(dir, ['connect', 'toString'], tokens),
    ]);
    ok(companies, 'companies');
    expect(companies.stdout).toContain(String(sim.companyIds[0]));
    ok(synced, 'sync');
    expect(synced.stdout).toMatch(/^Run .*: succeeded\.$/m);
    ok(imported, 'import');
    expect(otherConnect.code).toBe(2);
    expect(otherConnect.stderr).toContain('There is no organization "toString"');

    const files = ['--warehouse', join(dir, 'files.duckdb')];
    const [exported, status] = await Promise.all([
      ledgerhouse(dir, ['export', '--org', 'toString', '--format', 'sie', '--fiscal-year', '2021', '--out', join(dir, 'out.se'), ...files]),
      ledgerhouse(dir, ['status', '--warehouse', join(dir, 'api.duckdb')], env),
    ]);
    ok(exported, 'export');
    ok(status, 'status');
    expect(status.stdout).toMatch(/^constructor — .*\n {2}source {8}tripletex, .*; connected, reachable at the last run\n {2}last run {6}sync \(tripletex\), .*: succeeded$/m);
    const removed = await ledgerhouse(dir, ['org', 'remove', 'constructor'], env);
    ok(removed, 'org remove');
    expect(removed.stdout).toContain('and forgot its stored credentials');

    const proto = await Promise.all([
      ledgerhouse(dir, ['org', 'add', '__proto__', '--provider', 'tripletex']),
      ledgerhouse(dir, ['import', sie, '--org', '__proto__', ...files]),
    ]);
    for (const r of proto) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/"__proto__" is not a valid organization id: use letters, digits/);
    }
    for (const r of [companies, synced, imported, otherConnect, status, removed, ...proto]) expect(r.stdout + r.stderr).not.toMatch(/token-text/);
  }, 150_000);
});
