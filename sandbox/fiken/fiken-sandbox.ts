import type { SandboxDescriptor } from '../sandbox-descriptor.ts';
import { FikenSimulator } from './fiken-simulator.ts';

export const fikenSandbox: SandboxDescriptor = {
  sandboxSeed: 2028,
  demoSeed: 2028,
  // Fiken serves four requests a second: a smaller company keeps the demo short.
  demoLinesPerYear: 4_000,
  async start({ companies, port, clock }) {
    const sim = await FikenSimulator.start({ companies, port, clock });
    const origin = new URL(sim.authorizeUrl).origin;
    return {
      settings: { companySlug: sim.companySlugs[0]!, apiBaseUrl: sim.apiBaseUrl, oauthBaseUrl: origin },
      secrets: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      served: `Fiken sandbox at ${sim.apiBaseUrl}`,
      banner: [
        `Fiken sandbox: ${sim.apiBaseUrl} (OAuth at ${origin}/oauth; it approves every consent at once)`,
        ...companies.map((c, i) => `  company ${sim.companySlugs[i]}: ${c.organization.name} (${c.organization.org_number})`),
        `  app client id ${sim.clientId}, client secret ${sim.clientSecret}`,
      ],
      consent: {
        note: 'open the address "connect" prints; the sandbox approves and sends you back',
        approve: async (url) => void (await fetch(url)).text(),
      },
      close: () => sim.close(),
    };
  },
};
