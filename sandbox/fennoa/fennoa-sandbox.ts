import type { SandboxDescriptor } from '../sandbox-descriptor.ts';
import { FennoaSimulator } from './fennoa-simulator.ts';

export const fennoaSandbox: SandboxDescriptor = {
  sandboxSeed: 2029,
  demoSeed: 2029,
  // A hundred requests a second: a year of 20 000 lines takes about a second of requests.
  demoLinesPerYear: 20_000,
  async start({ companies, port, clock }) {
    const company = companies[0];
    if (!company) throw new RangeError('the Fennoa sandbox serves one company; give one');
    const sim = await FennoaSimulator.start({ company, port, clock });
    return {
      settings: { baseUrl: sim.baseUrl, companyName: sim.companyName, ...(sim.businessId ? { businessId: sim.businessId } : {}) },
      secrets: { apiUser: sim.apiUser, apiKey: sim.apiKey },
      served: `Fennoa sandbox at ${sim.baseUrl}`,
      banner: [
        `Fennoa sandbox: ${sim.baseUrl} (HTTP Basic: API user ${sim.apiUser}, key ${sim.apiKey})`,
        `  company: ${sim.companyName}${sim.businessId ? ` (${sim.businessId})` : ''}`,
        ...(companies.length > 1 ? [`  (an API user reaches one company: only the first of ${companies.length} is served)`] : []),
      ],
      close: () => sim.close(),
    };
  },
};
