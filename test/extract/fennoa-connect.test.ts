// `ledgerhouse org add … --provider fennoa --country FI` and `ledgerhouse connect` with the API
// user and key from FENNOA_API_USER and FENNOA_API_KEY, against the simulator: stored
// encrypted, checked at once, and a refused key said as Fennoa users need to hear it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FennoaSimulator, generateCompany } from '../../sandbox/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
const run = promisify(execFile);

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, env });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('connecting a Fennoa organization on the command line', () => {
  let sim: FennoaSimulator;
  beforeAll(async () => {
    sim = await FennoaSimulator.start({ company: generateCompany({ seed: 43, country: 'FI', linesPerYear: 500, years: 1, currentYear: 2026 }) });
  });
  afterAll(() => sim.close());

  const setup = async (apiKey: string) => {
    const dir = tempDir();
    const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: randomBytes(32).toString('base64'), FENNOA_API_USER: sim.apiUser, FENNOA_API_KEY: apiKey };
    const added = await cli(['org', 'add', 'oy', '--provider', 'fennoa', '--country', 'FI', '--base-url', sim.baseUrl, '--company-name', sim.companyName], dir, env);
    expect(added.code, added.out).toBe(0);
    return { dir, env };
  };

  it('stores the API user and key encrypted and checks them at once', async () => {
    const { dir, env } = await setup(sim.apiKey);
    const { code, out } = await cli(['connect', 'oy'], dir, env);
    expect(code, out).toBe(0);
    expect(out).toMatch(new RegExp(`Checked: reached ${sim.companyName}.*company ${sim.apiUser}`));
    const stored = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
    expect(stored.join('\n')).not.toContain(sim.apiKey);
  });

  it('says a refused key is wrong or revoked and what to do when it was lost, without showing it', async () => {
    const { dir, env } = await setup('a-revoked-key');
    const { code, out } = await cli(['connect', 'oy'], dir, env);
    expect(code).toBe(1);
    expect(out).toMatch(/the key is wrong or was revoked.*one API user per company/);
    expect(out).not.toContain('a-revoked-key');
  });
});
