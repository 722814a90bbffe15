// What only Fiken does (its OAuth session); what every connector does is in fiken-conformance.test.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOrganization } from '../../pipeline/index.ts';
import { ConsentError, fikenApp, OAuth2Session, refreshTokens, tokenSecrets, type TokenVault } from '../../extract/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { generateCompany, type FikenSimulator } from '../../sandbox/index.ts';
import { fikenSubject } from '../helpers/fiken-subject.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bin = join(import.meta.dirname, '../../bin/ledgerhouse.js');
// One clock for the simulators, the client and the engine: what each calls today agrees.
const clock = new FixedClock('2026-11-22');
const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };

/** Configuration, app credentials and a consent given through the simulator (it approves at once). */
const connect = (sim: FikenSimulator, dir = tempDir()) => fikenSubject.connect(sim, { origin: fikenSubject.origin(sim), orgId: 'acme', dir, env, clock });

describe('a Fiken OAuth session, over HTTP', () => {
  const company = generateCompany({ seed: 31, country: 'NO', linesPerYear: 800, currentYear: 2026 });
  let sim: FikenSimulator;
  beforeAll(async () => {
    sim = await fikenSubject.start([company], clock);
  });
  afterAll(() => sim.close());

  it('keeps working when a run died between a token refresh and storing the new tokens', async () => {
    const setup = await connect(sim, tempDir());
    const stored = (await setup.store.get('acme'))!;
    // Another run refreshed, then died before it could store the rotated refresh token.
    await refreshTokens(fikenApp(setup.org.fiken, { clientId: stored.clientId!, clientSecret: stored.clientSecret! }), stored.refreshToken!, 'acme');
    sim.expireAccessTokens();
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      expect((await syncOrganization(warehouse, await setup.source(), { orgId: 'acme', clock })).status).toBe('succeeded');
      expect((await setup.store.get('acme'))!.refreshToken).not.toBe(stored.refreshToken);
    } finally {
      warehouse.close();
    }
  });

  it('refreshes once when two runs find the token expired at the same time', async () => {
    const setup = await connect(sim, tempDir());
    const stored = (await setup.store.get('acme'))!;
    const app = fikenApp(setup.org.fiken, { clientId: stored.clientId!, clientSecret: stored.clientSecret! });
    const vault = (): TokenVault => ({
      read: async () => {
        const s = (await setup.store.get('acme'))!;
        return { accessToken: s.accessToken!, refreshToken: s.refreshToken!, expiresAt: Number(s.expiresAt) };
      },
      write: async (t) => setup.store.set('acme', { ...(await setup.store.get('acme')), ...tokenSecrets(t) }),
      exclusive: (work) => setup.store.exclusive(work),
    });
    sim.resetStats();
    const runs = [new OAuth2Session(app, vault(), 'acme', { clock }), new OAuth2Session(app, vault(), 'acme', { clock })];
    const tokens = await Promise.all(runs.map((r) => r.refresh(stored.accessToken!)));
    expect(tokens[0]).toBe(tokens[1]);
    expect(sim.stats().refreshes).toBe(1);
  });

  it('ends with "re-consent needed" and the command to run when the consent is revoked', async () => {
    const local = await fikenSubject.start([company], clock);
    const setup = await connect(local, tempDir());
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      local.revokeConsent();
      const failure = await syncOrganization(warehouse, await setup.source(), { orgId: 'acme', clock }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConsentError);
      expect((failure as Error).message).toMatch(/^fiken: re-consent needed: .*; run "ledgerhouse connect acme" and approve ledgerhouse in Fiken again\.$/);
    } finally {
      warehouse.close();
      await local.close();
    }
  });

  it('never lets a secret into the output of a full run, even with the request log on', async () => {
    const dir = tempDir();
    const setup = await connect(sim, dir);
    sim.expireAccessTokens(); // the run refreshes, so new tokens pass through it too
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'sync', 'acme', '--config', setup.configPath, '--debug'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`sync exited ${code}: ${text}`))));
    });
    expect(output).toMatch(/\[fiken\] GET \/api\/v2\/companies\/.* 200/);
    const secrets = (await setup.store.get('acme'))!;
    for (const key of ['clientSecret', 'accessToken', 'refreshToken'] as const) {
      expect(secrets[key]!.length).toBeGreaterThan(8);
      expect(output).not.toContain(secrets[key]);
    }
  });
});
