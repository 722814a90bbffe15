import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FikenSimulator, generateCompany } from '../../sandbox/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');

describe('connecting a Fiken organization on the command line', () => {
  const companies = [1, 2].map((seed) => generateCompany({ seed: 40 + seed, country: 'NO', linesPerYear: 400, years: 1, currentYear: 2026 }));
  let sim: FikenSimulator;
  beforeAll(async () => {
    // The person approves the first company only.
    sim = await FikenSimulator.start({ companies, approvedCompanies: [0] });
  });
  afterAll(() => sim.close());

  const setup = (slug: string) => {
    const dir = tempDir();
    const fiken = { companySlug: slug, apiBaseUrl: sim.apiBaseUrl, oauthBaseUrl: new URL(sim.authorizeUrl).origin };
    writeFileSync(join(dir, 'ledgerhouse.json'), JSON.stringify({ version: 1, organizations: { acme: { provider: 'fiken', fiken } } }));
    const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: randomBytes(32).toString('base64'), FIKEN_CLIENT_ID: sim.clientId, FIKEN_CLIENT_SECRET: sim.clientSecret };
    return { dir, env };
  };

  it('--no-listen takes the pasted redirect address, checks its state and stores the tokens', async () => {
    const { dir, env } = setup(sim.companySlugs[0]!);
    const child = spawn(process.execPath, [bin, 'connect', 'acme', '--no-listen', '--redirect-uri', 'https://example.invalid/callback'], { cwd: dir, env });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const consentUrl = await new Promise<string>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^ {2}(http:\/\/\S+\/oauth\/authorize\?\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    // The browser would be sent to the registered address, which need not load: the person copies it.
    const redirect = await fetch(consentUrl, { redirect: 'manual' });
    const location = redirect.headers.get('location')!;
    expect(location).toMatch(/^https:\/\/example\.invalid\/callback\?code=.+&state=.+/);
    child.stdin.end(`${location}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('paste the address the browser was sent to');
    expect(out).toMatch(/Checked: reached .+, company /);
  });

  it('refuses a pasted address from another attempt, and stores nothing', async () => {
    const { dir, env } = setup(sim.companySlugs[0]!);
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = execFile(process.execPath, [bin, 'connect', 'acme', '--no-listen', '--redirect-uri', 'https://example.invalid/callback'], { cwd: dir, env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }),
      );
      child.stdin!.end('https://example.invalid/callback?code=abc&state=not-ours\n');
    });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^The Fiken consent failed: the address is from another consent attempt \(its state does not match\); start "ledgerhouse connect" again\.$/m);
    expect(result.out).not.toContain('Unexpected error');
    expect(result.out).not.toContain('Stored the credentials');
  });

  it('names the two usual causes when the wanted company is not among those the consent reaches', async () => {
    const { dir, env } = setup(sim.companySlugs[1]!);
    const child = spawn(process.execPath, [bin, 'connect', 'acme'], { cwd: dir, env });
    let out = '';
    let opened = false;
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ {2}(http:\/\/\S+\/oauth\/authorize\?\S+)$/m.exec(out);
      if (m && !opened) {
        opened = true;
        void fetch(m[1]!).then((r) => r.text());
      }
    });
    expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(1);
    expect(out).toContain('The credentials of "acme" are stored, but the check failed');
    expect(out).toMatch(/the API add-on is not enabled for that company in Fiken, or the company was not added to the approved companies of the app/);
    const companies = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [bin, 'companies', 'acme'], { cwd: dir, env }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, out: stdout + stderr })),
    );
    expect(companies.code).toBe(1);
    expect(companies.out).toContain(`  ${sim.companySlugs[0]}  `);
    expect(companies.out).toMatch(/Fiken company ".+" is not among the companies the consent reaches/);
  });
});
