import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configPath, configuredOrganization, credentialsDir, emptyConfig, loadConfig, requireOrganization, resolveWarehouse, saveConfig, type LedgerhouseConfig } from '../../pipeline/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

async function refusal(path: string): Promise<ConfigError> {
  const error = await loadConfig(path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const acme = (tripletex: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, organizations: { acme: { provider: 'tripletex', country: 'NO', tripletex, ...extra } } }, null, 2);

describe('the configuration file', () => {
  it('is empty when the file does not exist yet', async () => {
    const dir = tempDir();
    expect(await loadConfig(join(dir, 'ledgerhouse.json'))).toEqual({ version: 1, warehouse: 'warehouse.duckdb', organizations: {} });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the line and column of a JSON syntax error, without quoting the file', async () => {
    const path = join(tempDir(), 'ledgerhouse.json');
    writeFileSync(path, '{\n  "version": 1,\n  "organizations": {\n    "acme": { "provider": "tripletex", }\n  }\n}\n');
    const error = await refusal(path);
    expect(error.location).toEqual({ line: 4, column: 38 });
    expect(error.message).toBe(`${path}: not valid JSON at line 4, column 38: a comma before "}" (JSON allows no trailing comma).`);

    writeFileSync(path, '{ "version": 1, "warehouse": secret-value-123 }');
    const unquoted = await refusal(path);
    expect(unquoted.message).toContain('line 1, column 30: unexpected "s" where a value was expected');
    expect(unquoted.message).not.toContain('secret-value');
  });

  it('names the path of every bad field and what it allows', async () => {
    const path = join(tempDir(), 'ledgerhouse.json');
    writeFileSync(path, acme({ environment: 'prod', enviroment: 'test', clientCompanyId: 1.5 }, { keepYears: 0, country: 'DK' }));
    const error = await refusal(path);
    expect(error.problems).toEqual([
      'organizations.acme.country must be one of "NO", "SE" or "FI", not "DK".',
      'organizations.acme.keepYears must be at least 1.',
      'organizations.acme.tripletex.environment must be "production" or "test", not "prod".',
      'organizations.acme.tripletex.clientCompanyId must be a whole number, not a fraction.',
      'organizations.acme.tripletex has an unknown field "enviroment"; allowed: environment, baseUrl, clientCompanyId.',
    ]);
    expect(error.message).toContain(`${path} is not a valid ledgerhouse configuration (5 problems):`);

    writeFileSync(path, JSON.stringify({ version: 2, organizations: { 'acme.no': { provider: 'visma' }, 'fiken-org': { provider: 'fiken' }, 'not ok': { provider: 'tripletex' } } }));
    expect((await refusal(path)).problems).toEqual([
      'version must be 1, not 2.',
      'organizations["acme.no"].provider must be one of "tripletex", "fiken", "fortnox" or "fennoa", not "visma".',
      'organizations["fiken-org"].fiken is missing; it must be an object.',
      'organizations["not ok"] is not a valid organization id: use letters, digits, "-", "_" or ".", at most 64 characters, starting with a letter or digit.',
    ]);
  });

  it('refuses a secret pasted into it, without repeating it, and says where secrets go', async () => {
    const path = join(tempDir(), 'ledgerhouse.json');
    writeFileSync(path, acme({ environment: 'production', employeeToken: 'eyJ-employee-9d8f7a6b' }, { consumerToken: 'consumer-5e4d3c2b' }));
    const error = await refusal(path);
    expect([...error.problems].sort()).toEqual([
      'organizations.acme.consumerToken looks like a secret, and secrets never go in the configuration file: remove it and run "ledgerhouse connect acme", which stores them encrypted.',
      'organizations.acme.tripletex.employeeToken looks like a secret, and secrets never go in the configuration file: remove it and run "ledgerhouse connect acme", which stores them encrypted.',
    ]);
    expect(error.message).not.toMatch(/eyJ-employee|consumer-5e4d/);
  });

  it('refuses credentials in a URL, naming the field but not the credentials', async () => {
    const path = join(tempDir(), 'ledgerhouse.json');
    const pasted = ['bob:hunter2-pw@', 'tok-8c1f2e9a7b'];
    const cases: [string, string][] = [
      [`https://${pasted[0]}api.example.no/v2`, 'a user name or password before the host, user:pass@'],
      [`https://api.example.no/v2?token=${pasted[1]}`, '"token" in its query'],
      [`https://api.example.no/v2?page=1&access_token=${pasted[1]}`, '"access_token" in its query'],
      [`https://api.example.no/v2?key=${pasted[1]}`, '"key" in its query'],
      [`https://api.example.no/v2#access_token=${pasted[1]}`, '"access_token" in its fragment'],
    ];
    for (const [baseUrl, found] of cases) {
      writeFileSync(path, acme({ environment: 'test', baseUrl }));
      const error = await refusal(path);
      expect(error.problems).toEqual([
        `organizations.acme.tripletex.baseUrl holds credentials in its URL (${found}), and secrets never go in the configuration file: remove them and run "ledgerhouse connect acme", which stores them encrypted.`,
      ]);
      for (const secret of ['hunter2', pasted[1]!]) expect(error.message).not.toContain(secret);
    }
    writeFileSync(path, acme({ environment: 'test', baseUrl: 'https://api.example.no/v2?page=1' }));
    expect((await loadConfig(path)).organizations.acme).toBeDefined();
  });

  it('does not echo a long value pasted into a field of choices', async () => {
    const path = join(tempDir(), 'ledgerhouse.json');
    const token = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ';
    writeFileSync(path, acme({ environment: token }));
    const error = await refusal(path);
    expect(error.problems).toEqual([`organizations.acme.tripletex.environment must be "production" or "test", not a text of ${token.length} characters.`]);
    expect(error.message).not.toContain(token.slice(0, 8));
  });

  it('takes organization ids named like members of Object as any other', async () => {
    const path = join(tempDir(), 'ledgerhouse.json');
    writeFileSync(path, JSON.stringify({ version: 1, organizations: { constructor: { provider: 'tripletex', tripletex: { environment: 'test' } } } }));
    const config = await loadConfig(path);
    expect(requireOrganization(config, 'constructor', path).provider).toBe('tripletex');
    for (const id of ['toString', 'hasOwnProperty', 'valueOf']) {
      expect(configuredOrganization(config, id)).toBeUndefined();
      expect(() => requireOrganization(config, id, path)).toThrow(`There is no organization "${id}" in ${path} (it has "constructor")`);
    }
  });

  it('saves what it loads, with the defaults written out, and reads it back', async () => {
    const dir = tempDir();
    const path = join(dir, 'ledgerhouse.json');
    const config: LedgerhouseConfig = emptyConfig();
    config.organizations.acme = { provider: 'tripletex', country: 'NO', keepYears: 3, tripletex: { environment: 'production' } };
    config.organizations.sbx = {
      provider: 'tripletex',
      country: 'SE',
      keepYears: 2,
      tripletex: { environment: 'test', baseUrl: 'http://127.0.0.1:1234/v2', clientCompanyId: 12345 },
    };
    await saveConfig(path, config);
    expect(await loadConfig(path)).toEqual(config);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(`${JSON.stringify(config, null, 2)}\n`);

    writeFileSync(path, JSON.stringify({ version: 1, organizations: { acme: { provider: 'tripletex' } } }));
    expect((await loadConfig(path)).organizations.acme).toEqual({ provider: 'tripletex', country: 'NO', keepYears: 3, tripletex: { environment: 'production' } });
  });

  it('writes atomically: only the file itself is left, and a bad config is never written', async () => {
    const dir = tempDir();
    const path = join(dir, 'ledgerhouse.json');
    await saveConfig(path, emptyConfig());
    const config = emptyConfig();
    config.organizations.acme = { provider: 'tripletex', country: 'NO', keepYears: 3, tripletex: { environment: 'production' } };
    await saveConfig(path, config);
    expect(readdirSync(dir)).toEqual(['ledgerhouse.json']);

    const bad = { ...config, organizations: { acme: { ...config.organizations.acme!, keepYears: 0 } } };
    await expect(saveConfig(path, bad)).rejects.toThrow(/organizations\.acme\.keepYears must be at least 1/);
    expect(readdirSync(dir)).toEqual(['ledgerhouse.json']);
    expect(await loadConfig(path)).toEqual(config);
  });

  it('finds the file, the credentials beside it and the warehouse relative to it', () => {
    expect(configPath({ config: '/etc/lh/main.json' }, { LEDGERHOUSE_CONFIG: '/other.json' })).toBe('/etc/lh/main.json');
    expect(configPath({}, { LEDGERHOUSE_CONFIG: '/srv/lh.json' })).toBe('/srv/lh.json');
    expect(configPath({}, {})).toBe(join(process.cwd(), 'ledgerhouse.json'));
    expect(credentialsDir('/srv/lh/ledgerhouse.json')).toBe('/srv/lh/.ledgerhouse');

    const config = { ...emptyConfig(), warehouse: 'data/w.duckdb' };
    expect(resolveWarehouse('/srv/lh/ledgerhouse.json', config, {}, {})).toBe('/srv/lh/data/w.duckdb');
    expect(resolveWarehouse('/srv/lh/ledgerhouse.json', config, {}, { LEDGERHOUSE_WAREHOUSE: '/env/w.duckdb' })).toBe('/env/w.duckdb');
    expect(resolveWarehouse('/srv/lh/ledgerhouse.json', config, { warehouse: '/flag/w.duckdb' }, { LEDGERHOUSE_WAREHOUSE: '/env/w.duckdb' })).toBe('/flag/w.duckdb');
  });
});
