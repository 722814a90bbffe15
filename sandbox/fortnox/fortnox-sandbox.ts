import type { SandboxDescriptor } from '../sandbox-descriptor.ts';
import { FortnoxSimulator } from './fortnox-simulator.ts';

export const fortnoxSandbox: SandboxDescriptor = {
  sandboxSeed: 2029,
  demoSeed: 2029,
  // 25 requests per 5 s: a smaller company (and its documents) keeps the demo short.
  demoLinesPerYear: 4_000,
  async start({ companies, port, clock }) {
    const sim = await FortnoxSimulator.start({ companies, port, clock, documents: 30 });
    const origin = new URL(sim.authorizeUrl).origin;
    return {
      settings: { apiBaseUrl: sim.apiBaseUrl, oauthBaseUrl: `${origin}/oauth-v1` },
      secrets: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      served: `Fortnox sandbox at ${sim.apiBaseUrl}`,
      banner: [
        `Fortnox sandbox: ${sim.apiBaseUrl} (OAuth at ${origin}/oauth-v1; it approves every consent at once)`,
        ...companies.map((c, i) => `  tenant ${sim.databaseNumbers[i]}: ${c.organization.name} (${c.organization.org_number})`),
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
