// The Fortnox connector against the simulator over loopback: the consent link, immediate
// rotation (serialised, stored before use, a crash between refresh and store), the sentences
// Fortnox users meet, and the choice between one-by-one top-ups and a new SIE export.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentError, ConsentFlowError, credentialVault, decodeCursor, exportCost, FortnoxRefusalError, oauth2Consent, OAuth2Session, fortnoxApp, type TokenVault } from '../../extract/index.ts';
import { connection, giveConsent, syncOrganization } from '../../pipeline/index.ts';
import { Warehouse } from '../../load/index.ts';
import { FixedClock } from '../../model/index.ts';
import { generateCompany, type FortnoxSimulator } from '../../sandbox/index.ts';
import { connectFortnox, fortnoxOrg, fortnoxTestRate, startFortnox } from '../helpers/fortnox-subject.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const env = { ...process.env, LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
const today = '2026-11-22';
const company = generateCompany({ seed: 17, country: 'SE', linesPerYear: 600, years: 2, currentYear: 2026 });

describe('the Fortnox connector', () => {
  const clock = new FixedClock(today);
  let sim: FortnoxSimulator;
  const origin = () => new URL(sim.apiBaseUrl).origin;
  beforeAll(async () => {
    sim = await startFortnox([company], clock);
  });
  afterAll(() => sim.close());
  const connect = () => connectFortnox(sim, { origin: origin(), orgId: 'acme', dir: tempDir(), env, clock });

  it('gives a link that first explains what is read (and that nothing is written), then leads to the consent page', async () => {
    const org = fortnoxOrg(origin(), { accountType: 'service' });
    const app = fortnoxApp(org.fortnox, { clientId: sim.clientId, clientSecret: sim.clientSecret });
    let page = '';
    let authorization = '';
    const tokens = await oauth2Consent(app, {
      orgId: 'acme',
      mode: { listen: { port: 0 } },
      showUrl: async (url, link) => {
        authorization = url;
        expect(link.explanation.join('\n')).toContain('nothing is written to Fortnox');
        page = await (await fetch(link.startPage!)).text();
        // The person follows the page's link to Fortnox, which approves and sends them back.
        const next = /<a href="([^"]+)">Continue to Fortnox<\/a>/.exec(page)![1]!.replaceAll('&amp;', '&');
        expect(next).toBe(authorization);
        expect(await (await fetch(next)).text()).toContain('ledgerhouse received the consent');
      },
    });
    expect(page).toContain('It only reads: nothing is written to Fortnox');
    expect(page).toContain('the vouchers of each financial year');
    const q = new URL(authorization).searchParams;
    expect(q.get('scope')!.split(' ')).toContain('bookkeeping');
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('account_type')).toBe('service');
    expect(tokens.refreshToken).not.toBe('');
  });

  it('says so when the person consenting may not approve integrations, and stores nothing', async () => {
    sim.consentWithoutRights = true;
    try {
      const org = fortnoxOrg(origin());
      const consent = giveConsent(org, { clientId: sim.clientId, clientSecret: sim.clientSecret }, { orgId: 'acme', mode: { listen: { port: 0 } }, showUrl: async (url) => void (await fetch(url)).text() });
      await expect(consent).rejects.toThrow(
        new ConsentFlowError(
          fortnoxApp(org.fortnox, { clientId: '', clientSecret: '' }).provider,
          'the Fortnox user who opened the link may not approve integrations for the company; send the link to a user with those rights (usually the administrator); nothing was stored.',
        ),
      );
    } finally {
      sim.consentWithoutRights = false;
    }
  });

  it('names the missing integration licence in one sentence with what to do', async () => {
    const unlicensed = await startFortnox([company], clock, { withoutIntegrationLicence: [0] });
    try {
      const connected = await connectFortnox(unlicensed, { origin: new URL(unlicensed.apiBaseUrl).origin, orgId: 'acme', dir: tempDir(), env, clock });
      const link = await connection('acme', connected.org, connected.store, { rate: fortnoxTestRate, clock });
      const refusal = await link.companies().catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(FortnoxRefusalError);
      expect((refusal as Error).message).toMatch(/^Fortnox says the company has no integration licence \(.*code 2001103\): someone with administrator rights .* then run "ledgerhouse sync acme" again\.$/);
    } finally {
      await unlicensed.close();
    }
  });

  it('asks for a new consent when the consent lacks a scope a stream needs, and the other streams go on', async () => {
    const narrow = await startFortnox([company], clock, { appScopes: ['companyinformation', 'bookkeeping', 'project', 'customer', 'supplier'] });
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const connected = await connectFortnox(narrow, { origin: new URL(narrow.apiBaseUrl).origin, orgId: 'acme', dir: tempDir(), env, clock });
      const summary = await syncOrganization(warehouse, await connected.source(), { orgId: 'acme', clock });
      expect(summary.status).toBe('partial');
      const failed = summary.streams.filter((s) => s.status === 'failed');
      expect(failed.map((s) => s.stream)).toEqual(['cost_centers', 'documents', 'documents']);
      expect(failed[0]!.note).toMatch(/re-consent needed: the consent in Fortnox was given without the permission \/3\/costcenters needs .*; run "ledgerhouse connect acme"/);
    } finally {
      warehouse.close();
      await narrow.close();
    }
  });

  it('ends a revoked consent with "re-consent needed" and the command to run', async () => {
    const connected = await connect();
    sim.revokeConsent();
    const source = await connected.source();
    const error = await source.organization().catch((e: unknown) => e);
    await source.close();
    expect(error).toBeInstanceOf(ConsentError);
    expect((error as Error).message).toMatch(/^fortnox: re-consent needed: .*; run "ledgerhouse connect acme" and approve ledgerhouse in Fortnox again\.$/);
  });

  it('refreshes once for any number of callers, storing the rotated pair before using it', async () => {
    const connected = await connect();
    sim.resetStats();
    sim.expireAccessTokens();
    const before = (await connected.store.get('acme'))!;
    const sources = await Promise.all([connected.source(), connected.source(), connected.source()]);
    const names = await Promise.all(sources.map((s) => s.organization().then((o) => o.name)));
    await Promise.all(sources.map((s) => s.close()));
    expect(names).toEqual([company.organization.name, company.organization.name, company.organization.name]);
    expect(sim.stats().refreshes).toBe(1);
    const after = (await connected.store.get('acme'))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
  });

  it('ends with "re-consent needed" after a crash between the refresh and the store (the old refresh token is dead)', async () => {
    const connected = await connect();
    sim.expireAccessTokens();
    const org = connected.org;
    const app = fortnoxApp(org.fortnox, { clientId: sim.clientId, clientSecret: sim.clientSecret });
    const vault = credentialVault(connected.store, 'acme');
    // The process dies after Fortnox answered the refresh and before the new pair was stored.
    const crashing: TokenVault = { ...vault, write: async () => Promise.reject(new Error('killed before the store was written')) };
    const stored = (await vault.read())!;
    await expect(new OAuth2Session(app, crashing, 'acme', { clock }).refresh(stored.accessToken)).rejects.toThrow('killed before the store was written');
    // The next run has only the old pair: its refresh token died with the refresh.
    const next = await connected.source();
    const error = await next.organization().catch((e: unknown) => e);
    await next.close();
    expect(error).toBeInstanceOf(ConsentError);
    expect((error as Error).message).toBe(
      'fortnox: re-consent needed: Fortnox no longer accepts the stored refresh token (the consent was revoked or expired, or a run stopped between refreshing and storing the new token); run "ledgerhouse connect acme" and approve ledgerhouse in Fortnox again.',
    );
  });

  it('tops up a year voucher by voucher when few changed, and exports it again when that costs fewer requests', async () => {
    const own = await startFortnox([company], clock);
    const warehouse = await Warehouse.open(join(tempDir(), 'w.duckdb'));
    try {
      const connected = await connectFortnox(own, { origin: new URL(own.apiBaseUrl).origin, orgId: 'acme', dir: tempDir(), env, clock });
      const current = company.truth.years.at(-1)!.fiscal_year;
      const ref = String(own.truth(0).ids.at(-1));
      const sync = async () => {
        const source = await connected.source();
        const summary = await syncOrganization(warehouse, source, { orgId: 'acme', clock, fiscalYear: current.label });
        expect(summary.status).toBe('succeeded');
        const state = await warehouse.one<{ cursor: string }>("SELECT cursor FROM sync_state WHERE org_id = 'acme' AND stream = 'fortnox:vouchers'");
        return { plan: source.plans.get(ref), summary, exportBytes: decodeCursor(state?.cursor ?? null)?.exportBytes ?? 0 };
      };
      expect((await sync()).plan).toEqual({ kind: 'export', reason: 'first read', changed: null });

      own.mutate(0, { add: 2, seed: 3 });
      own.resetStats();
      const few = await sync();
      expect(few.plan).toEqual({ kind: 'one-by-one', changed: 2 });
      expect(own.stats().byPath['/3/vouchers/A']).toBeUndefined();
      expect(Object.entries(own.stats().byPath).filter(([p]) => p.startsWith('/3/vouchers/')).reduce((n, [, c]) => n + c, 0)).toBe(2);
      expect(few.summary.streams.find((s) => s.stream === 'vouchers')!.changes).toEqual({ inserted: 2, updated: 0, deleted: 0 });

      // More changed vouchers than the export is worth in requests at this pace: one export instead.
      const corrected = own.mutate(0, { correct: 120, seed: 4 }).corrected.length;
      expect(corrected).toBeGreaterThan(exportCost(few.exportBytes, fortnoxTestRate));
      own.resetStats();
      const many = await sync();
      expect(many.plan).toMatchObject({ kind: 'export', reason: 'cheaper than one by one' });
      expect(own.stats().byPath['/3/sie/4']).toBe(1);
      expect(many.summary.streams.find((s) => s.stream === 'vouchers')!.changes).toEqual({ inserted: 0, updated: corrected, deleted: 0 });
    } finally {
      warehouse.close();
      await own.close();
    }
  });
});
