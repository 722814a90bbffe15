import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore, providers } from '../../extract/index.ts';
import { connection, giveConsent, organizationSchema, verifyConnection } from '../../pipeline/index.ts';
import { generateCompany, sandboxes } from '../../sandbox/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

describe('the simulator registry', () => {
  it("gives every provider a simulator whose settings and secrets connect to its generated company", async () => {
    for (const provider of providers) {
      const sandbox = sandboxes[provider.id];
      const company = generateCompany({ seed: sandbox.demoSeed, country: provider.countries[0], linesPerYear: 400, years: 1, currentYear: 2026 });
      const sim = await sandbox.start({ companies: [company] });
      try {
        const org = organizationSchema.parse({ provider: provider.id, [provider.id]: sim.settings });
        expect(Object.keys(sim.secrets).sort()).toEqual(provider.secrets.map((f) => f.key).sort());
        expect(sim.banner.join('\n')).toContain(company.organization.name);
        expect(Boolean(sim.consent)).toBe(provider.auth.kind === 'oauth2');
        const store = await CredentialStore.open(join(tempDir(), 'creds'), { LEDGERHOUSE_SECRET_KEY: Buffer.alloc(32, 1).toString('base64') });
        const tokens = sim.consent ? await giveConsent(org, sim.secrets, { orgId: 'acme', mode: { listen: { port: 0 } }, showUrl: sim.consent.approve }) : {};
        await store.set('acme', { ...sim.secrets, ...tokens });
        expect(await verifyConnection('acme', org, store)).toContain(`reached ${company.organization.name} (${company.organization.org_number})`);
        const source = (await connection('acme', org, store)).source();
        expect(source.provider).toBe(provider.id);
        await source.close();
      } finally {
        await sim.close();
      }
    }
  });
});
